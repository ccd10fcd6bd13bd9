import type {
  Affinity,
  PodAffinityTerm,
  PodAntiAffinity,
  PodTemplateSpec,
} from 'kubernetes-types/core/v1.js';
import type { RolloutStrategy } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';

/** `strategy.canary.antiAffinity` / `strategy.blueGreen.antiAffinity`: exactly one member is set. */
export interface AntiAffinityChoice {
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number };
  requiredDuringSchedulingIgnoredDuringExecution?: Record<string, never>;
}

/** The node label the injected term spreads over (Argo's choice): one host never runs both versions. */
export const ANTI_AFFINITY_TOPOLOGY_KEY = 'kubernetes.io/hostname';

/**
 * The anti-affinity setting of the Rollout's strategy (canary first, as Argo `GetRolloutAffinity`), or
 * `undefined` when unset or when neither member is set. Example: `{canary: {antiAffinity: {}}}` → undefined.
 */
export function antiAffinityOf(strategy: RolloutStrategy): AntiAffinityChoice | undefined {
  const choice = (strategy.canary?.antiAffinity ?? strategy.blueGreen?.antiAffinity) as
    | AntiAffinityChoice
    | undefined;
  if (choice === undefined) return undefined;
  const set =
    choice.preferredDuringSchedulingIgnoredDuringExecution ??
    choice.requiredDuringSchedulingIgnoredDuringExecution;
  return set === undefined ? undefined : choice;
}

/** The injected term: pods of the ReplicaSet with `stableHash`, in `namespace`, on the same host. */
export function antiAffinityTerm(stableHash: string, namespace: string): PodAffinityTerm {
  return {
    labelSelector: {
      matchExpressions: [{ key: POD_TEMPLATE_HASH_LABEL, operator: 'In', values: [stableHash] }],
    },
    namespaces: [namespace],
    topologyKey: ANTI_AFFINITY_TOPOLOGY_KEY,
  };
}

/**
 * `template` with the Rollout's anti-affinity term against the stable ReplicaSet's pods appended to its own
 * `affinity.podAntiAffinity` (Argo `GenerateReplicaSetAffinity`): a weighted preferred term (the configured
 * weight) or a required one. The user's own affinity rules are kept as they are. Only the new (canary or
 * preview) ReplicaSet gets it, and only while a different stable exists; otherwise `template` is returned as is.
 * Example: preferred weight 50, stable `abc` → preferred [{weight 50, podAffinityTerm: hash In [abc],
 * topologyKey kubernetes.io/hostname}].
 */
export function withAntiAffinity(
  template: PodTemplateSpec,
  choice: AntiAffinityChoice | undefined,
  stableHash: string | undefined,
  namespace: string,
): PodTemplateSpec {
  if (choice === undefined || stableHash === undefined || stableHash === '') return template;
  const term = antiAffinityTerm(stableHash, namespace);
  const anti: PodAntiAffinity = { ...template.spec?.affinity?.podAntiAffinity };
  const preferred = choice.preferredDuringSchedulingIgnoredDuringExecution;
  if (preferred !== undefined) {
    const weighted = { weight: preferred.weight, podAffinityTerm: term };
    anti.preferredDuringSchedulingIgnoredDuringExecution = [
      ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      weighted,
    ];
  } else {
    anti.requiredDuringSchedulingIgnoredDuringExecution = [
      ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      term,
    ];
  }
  const affinity: Affinity = { ...template.spec?.affinity, podAntiAffinity: anti };
  return { ...template, spec: { containers: [], ...template.spec, affinity } };
}

function isInjected(term: PodAffinityTerm | undefined): boolean {
  return (term?.labelSelector?.matchExpressions ?? []).some((e) => e.key === POD_TEMPLATE_HASH_LABEL);
}

/**
 * `template` without injected anti-affinity terms (those selecting on `rollouts-pod-template-hash`), empty
 * members dropped: the form a ReplicaSet's template is compared in (Argo `RemoveInjectedAntiAffinityRule`).
 * Example: podAntiAffinity with only the injected required term → no `affinity` at all.
 */
export function withoutAntiAffinity(template: PodTemplateSpec): PodTemplateSpec {
  const affinity = template.spec?.affinity;
  const anti = affinity?.podAntiAffinity;
  if (template.spec === undefined || anti === undefined) return template;
  const preferred = (anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter(
    (t) => !isInjected(t.podAffinityTerm),
  );
  const required = (anti.requiredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => !isInjected(t));
  const kept: PodAntiAffinity = {
    ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
    ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
  };
  const { podAntiAffinity: _dropped, ...rest } = affinity ?? {};
  const next: Affinity = Object.keys(kept).length > 0 ? { ...rest, podAntiAffinity: kept } : rest;
  const { affinity: _old, ...spec } = template.spec;
  return { ...template, spec: Object.keys(next).length > 0 ? { ...spec, affinity: next } : spec };
}
