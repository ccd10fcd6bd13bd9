import type { NginxTrafficRouting } from '../../api/index.js';
import { type DesiredTraffic, totalWeight } from '../desired-traffic.js';
import { contains, listOf } from '../json.js';
import type { EditResult } from '../router.js';
import type { Ingress, IngressPath, IngressRule } from './ingress-types.js';

export type { Ingress } from './ingress-types.js';

/** Default `trafficRouting.nginx.annotationPrefix`. */
export const DEFAULT_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const MAX_NAME = 253;
const SUFFIX = '-canary';

/** What `buildCanaryIngress` needs from the Rollout. */
export interface CanaryIngressInput {
  rolloutName: string;
  canaryService: string;
  stableService: string;
  nginx: NginxTrafficRouting;
}

/** Options of `buildCanaryIngress`; `annotationPrefix` overrides `nginx.annotationPrefix`. */
export interface CanaryIngressOptions {
  annotationPrefix?: string;
}

/** The stable Ingress names of `nginx` (`stableIngress` or `stableIngresses`), in spec order. */
export function stableIngressNames(nginx: NginxTrafficRouting): string[] {
  const list = listOf(nginx.stableIngresses);
  if (list.length > 0) return [...list];
  return nginx.stableIngress === undefined || nginx.stableIngress === '' ? [] : [nginx.stableIngress];
}

/**
 * Name of the canary Ingress: `<rollout>-<stableIngress>-canary`, the prefix cut so the whole name is at
 * most 253 characters. Example: (`web`, `web-ing`) → `web-web-ing-canary`.
 */
export function canaryIngressName(rolloutName: string, stableIngress: string): string {
  return `${rolloutName}-${stableIngress}`.slice(0, MAX_NAME - SUFFIX.length) + SUFFIX;
}

function prefixOf(input: CanaryIngressInput, options: CanaryIngressOptions): string {
  return options.annotationPrefix ?? input.nginx.annotationPrefix ?? DEFAULT_ANNOTATION_PREFIX;
}

function servesStable(path: IngressPath, stable: string): boolean {
  return path.backend?.service?.name === stable || path.backend?.serviceName === stable;
}

function retarget(path: IngressPath, canary: string): IngressPath {
  const backend = path.backend ?? {};
  if (backend.service !== undefined)
    return { ...path, backend: { ...backend, service: { ...backend.service, name: canary } } };
  return { ...path, backend: { ...backend, serviceName: canary } };
}

function canaryRules(rules: readonly IngressRule[], input: CanaryIngressInput): IngressRule[] {
  return rules.flatMap((rule) => {
    const paths = listOf(rule.http?.paths).filter((p) => servesStable(p, input.stableService));
    if (paths.length === 0) return [];
    return [{ ...rule, http: { ...rule.http, paths: paths.map((p) => retarget(p, input.canaryService)) } }];
  });
}

function canaryAnnotations(
  stable: Ingress,
  input: CanaryIngressInput,
  prefix: string,
  desired: DesiredTraffic,
) {
  const annotations: Record<string, string> = {};
  const ingressClass = stable.metadata?.annotations?.[CLASS_ANNOTATION];
  if (ingressClass !== undefined) annotations[CLASS_ANNOTATION] = ingressClass;
  for (const [key, value] of Object.entries(input.nginx.additionalIngressAnnotations ?? {})) {
    annotations[key.startsWith(`${prefix}/`) ? key : `${prefix}/${key}`] = value;
  }
  Object.assign(annotations, input.nginx.canaryIngressAnnotations);
  annotations[`${prefix}/canary`] = 'true';
  annotations[`${prefix}/canary-weight`] = String(desired.canaryWeight);
  const total = totalWeight(desired);
  if (total !== 100) annotations[`${prefix}/canary-weight-total`] = String(total);
  return annotations;
}

/**
 * Pure build of the canary Ingress for one stable Ingress. Invariants: the result keeps the stable
 * Ingress's apiVersion (v1 or extensions/v1beta1), namespace, `ingressClassName`, `tls` and
 * `kubernetes.io/ingress.class`; it holds exactly the paths whose backend is `stableService`, now pointing
 * at `canaryService` (rules without such a path are left out); annotations are `additionalIngressAnnotations`
 * (prefixed), then `canaryIngressAnnotations`, then `<prefix>/canary: "true"`, `<prefix>/canary-weight`
 * and, when the total is not 100, `<prefix>/canary-weight-total`. Owner references and labels are the
 * adapter's. No stable path → `object` undefined and a `BackendNotFound` issue.
 */
export function buildCanaryIngress(
  stable: Ingress,
  input: CanaryIngressInput,
  desired: DesiredTraffic,
  options: CanaryIngressOptions = {},
): EditResult<Ingress | undefined> {
  const stableName = stable.metadata?.name ?? '';
  const rules = canaryRules(listOf(stable.spec?.rules), input);
  if (rules.length === 0) {
    const object = {
      kind: 'Ingress',
      name: stableName,
      ...(stable.metadata?.namespace ? { namespace: stable.metadata.namespace } : {}),
    };
    const message = `Ingress "${stableName}" has no rule with a path to Service "${input.stableService}"`;
    return {
      object: undefined,
      issues: [{ reason: 'BackendNotFound', object, path: 'spec.rules', message }],
    };
  }
  const metadata: Ingress['metadata'] = {
    name: canaryIngressName(input.rolloutName, stableName),
    ...(stable.metadata?.namespace === undefined ? {} : { namespace: stable.metadata.namespace }),
    annotations: canaryAnnotations(stable, input, prefixOf(input, options), desired),
  };
  const spec: NonNullable<Ingress['spec']> = { rules };
  if (stable.spec?.ingressClassName !== undefined) spec.ingressClassName = stable.spec.ingressClassName;
  if (stable.spec?.tls !== undefined) spec.tls = stable.spec.tls;
  return {
    object: { apiVersion: stable.apiVersion ?? 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec },
    issues: [],
  };
}

/** `buildCanaryIngress` for each stable Ingress, in order: one canary Ingress (or issue) per stable Ingress. */
export function buildCanaryIngresses(
  stables: readonly Ingress[],
  input: CanaryIngressInput,
  desired: DesiredTraffic,
  options: CanaryIngressOptions = {},
): EditResult<Ingress | undefined>[] {
  return stables.map((stable) => buildCanaryIngress(stable, input, desired, options));
}

/** Annotation keys (after `<prefix>/`) that Vireo alone writes on a canary Ingress; absent in desired → removed. */
export const OWNED_CANARY_ANNOTATION_KEYS: readonly string[] = [
  'canary',
  'canary-weight',
  'canary-weight-total',
];
const OWNED_KEYS = OWNED_CANARY_ANNOTATION_KEYS;

/**
 * True when `current` must be patched to match `desired` (a merge patch of annotations, labels and spec).
 * Annotations and labels others added are ignored; one of Vireo's weight annotations present in
 * `current` but absent from `desired` (e.g. `canary-weight-total`) needs an update.
 */
export function canaryIngressNeedsUpdate(
  current: Ingress,
  desired: Ingress,
  options: { annotationPrefix?: string } = {},
): boolean {
  const prefix = options.annotationPrefix ?? DEFAULT_ANNOTATION_PREFIX;
  const have = current.metadata?.annotations ?? {};
  const want = desired.metadata?.annotations ?? {};
  const stale = OWNED_KEYS.some((key) => `${prefix}/${key}` in have && !(`${prefix}/${key}` in want));
  return (
    stale ||
    !contains(have, want) ||
    !contains(current.metadata?.labels ?? {}, desired.metadata?.labels ?? {}) ||
    !contains(current.spec ?? {}, desired.spec ?? {})
  );
}

/** The canary weight written on a canary Ingress (`<prefix>/canary-weight`), or undefined when absent. */
export function observedCanaryWeight(
  canary: Ingress,
  annotationPrefix = DEFAULT_ANNOTATION_PREFIX,
): number | undefined {
  const raw = canary.metadata?.annotations?.[`${annotationPrefix}/canary-weight`];
  const weight = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isInteger(weight) ? weight : undefined;
}
