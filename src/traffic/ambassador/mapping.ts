import type { DesiredTraffic } from '../desired-traffic.js';
import type { EditResult, RouteIssue, RouteObjectRef } from '../router.js';

/** An Ambassador `Mapping` (`getambassador.io/v2`) as read from the API server; unknown fields are kept. */
export interface Mapping {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  spec?: { service?: string; weight?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** What the canary Mapping is derived with. */
export interface CanaryMappingSpec {
  canaryService: string;
  stableService: string;
}

const MAX_BASE = 246;

/**
 * The name of the canary Mapping of `mapping`, as Argo names it: `<mapping>-canary`, the base cut to 246
 * characters. Example: `web` → `web-canary`.
 */
export function canaryMappingName(mapping: string): string {
  return `${mapping.slice(0, MAX_BASE)}-canary`;
}

function refOf(mapping: Mapping): RouteObjectRef {
  const ref: RouteObjectRef = { kind: 'Mapping', name: mapping.metadata?.name ?? '' };
  if (mapping.metadata?.namespace !== undefined) ref.namespace = mapping.metadata.namespace;
  return ref;
}

/** Why `base` cannot carry a canary split: it sets a weight itself, or its service does not name stable. */
function baseIssues(base: Mapping, spec: CanaryMappingSpec): RouteIssue[] {
  const object = refOf(base);
  const issues: RouteIssue[] = [];
  const weight = base.spec?.weight;
  if (weight !== undefined && weight !== 0) {
    const message = `Ambassador Mapping "${object.name}" can not define weight (it has ${weight}); Vireo gives the canary its share through "${canaryMappingName(object.name)}"`;
    issues.push({ reason: 'WeightOverflow', object, path: 'spec.weight', message });
  }
  const service = base.spec?.service ?? '';
  if (!service.includes(spec.stableService)) {
    const message = `service "${service}" does not name the stable Service "${spec.stableService}", so the canary Mapping could not point at "${spec.canaryService}"`;
    issues.push({ reason: 'BackendNotFound', object, path: 'spec.service', message });
  }
  return issues;
}

/**
 * The canary Mapping Vireo wants beside `base` for `desired` (Argo's Ambassador router): a copy of the base
 * Mapping's spec whose `service` has its first occurrence of the stable Service replaced by the canary
 * Service, with `spec.weight` the canary weight, named `canaryMappingName`, in the base's namespace, with no
 * other metadata. Canary weight 0 → no canary Mapping (`object` undefined): it is deleted. A base that
 * defines a weight, or whose service does not name the stable Service, gives issues and no Mapping.
 */
export function buildCanaryMapping(
  base: Mapping,
  spec: CanaryMappingSpec,
  desired: DesiredTraffic,
): EditResult<Mapping | undefined> {
  const issues = baseIssues(base, spec);
  if (issues.length > 0 || desired.canaryWeight === 0) return { object: undefined, issues };
  const name = canaryMappingName(base.metadata?.name ?? '');
  const metadata =
    base.metadata?.namespace === undefined ? { name } : { name, namespace: base.metadata.namespace };
  const service = (base.spec?.service ?? '').replace(spec.stableService, spec.canaryService);
  const canary: Mapping = {
    ...(base.apiVersion === undefined ? {} : { apiVersion: base.apiVersion }),
    ...(base.kind === undefined ? {} : { kind: base.kind }),
    metadata,
    spec: { ...base.spec, service, weight: desired.canaryWeight },
  };
  return { object: canary, issues: [] };
}

/** The weight a canary Mapping carries (0 when there is none or it sets no weight). */
export function canaryMappingWeight(canary: Mapping | undefined): number {
  const weight = canary?.spec?.weight;
  return typeof weight === 'number' ? weight : 0;
}
