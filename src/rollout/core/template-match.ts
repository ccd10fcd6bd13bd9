import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import { withoutAntiAffinity } from './anti-affinity.js';
import type { EphemeralSpec } from './ephemeral-spec.js';
import { withPodTemplateDefaults } from './pod-template-defaults.js';
import { canonicalJson } from './pod-template-hash.js';
import type { ReplicaSetView } from './snapshot.js';

type Meta = Readonly<Record<string, string>> | undefined;

function withoutKeys(values: Meta, drop: readonly Meta[]): Record<string, string> | undefined {
  const kept = Object.entries(values ?? {}).filter(
    ([key, value]) => key !== POD_TEMPLATE_HASH_LABEL && !drop.some((d) => d?.[key] === value),
  );
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** Drops `null`, `undefined`, empty objects and empty arrays at every depth (API round-trips add or drop them). */
function pruned(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([key, member]) => [key, pruned(member)] as const)
    .filter(([, member]) => member !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The comparable form of a pod template: with Kubernetes' pod defaults applied (`withPodTemplateDefaults`:
 * a ReplicaSet's template is stored defaulted, a Rollout's is not; Argo's `PodTemplateEqualIgnoreHash`
 * defaults it too), without the `rollouts-pod-template-hash` label, without labels and annotations injected as
 * ephemeral metadata (canary/stable or preview/active: same key and value), and without empty or null members.
 * Two templates with the same comparable form run the same pods.
 * Example: labels {app: web, rollouts-pod-template-hash: abc, role: canary} with canaryMetadata {role: canary}
 * → labels {app: web}.
 */
export function comparableTemplate(template: PodTemplateSpec | undefined, spec: EphemeralSpec): string {
  const ephemeral = [spec.desired, spec.stable];
  const defaulted = template && withPodTemplateDefaults(template);
  const metadata = defaulted?.metadata ?? {};
  const labels = withoutKeys(
    metadata.labels,
    ephemeral.map((m) => m?.labels),
  );
  const annotations = withoutKeys(
    metadata.annotations,
    ephemeral.map((m) => m?.annotations),
  );
  return canonicalJson(pruned({ ...defaulted, metadata: { ...metadata, labels, annotations } }) ?? {});
}

/**
 * The ReplicaSet whose pod template is semantically the Rollout's `template` although its hash differs, as
 * after `kubectl argo rollouts undo` (which copies a ReplicaSet's API-defaulted template minus the hash label
 * into `spec.template`; Argo `FindNewReplicaSet` step 3). Candidates are compared by `comparableTemplate`
 * after dropping injected anti-affinity terms (`withoutAntiAffinity`);
 * among several matches the stable one wins, then the highest revision order given by `ordered`.
 * Returns `undefined` when none matches (a new ReplicaSet is needed).
 */
export function findSameTemplate(
  template: PodTemplateSpec | undefined,
  spec: EphemeralSpec,
  ordered: readonly ReplicaSetView[],
  stableHash: string | undefined,
): ReplicaSetView | undefined {
  const wanted = comparableTemplate(template && withoutAntiAffinity(template), spec);
  const matches = ordered.filter(
    (rs) =>
      rs.podTemplateHash !== undefined &&
      rs.template !== undefined &&
      comparableTemplate(withoutAntiAffinity(rs.template), spec) === wanted,
  );
  return matches.find((rs) => rs.podTemplateHash === stableHash) ?? matches.at(-1);
}
