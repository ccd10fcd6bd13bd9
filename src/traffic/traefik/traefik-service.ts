import type { DesiredTraffic } from '../desired-traffic.js';
import { isRecord } from '../json.js';
import type { EditResult, RouteIssue } from '../router.js';

/** One entry of `spec.weighted.services`; unknown fields (port, kind, namespace…) are kept. */
export interface WeightedService {
  name?: string;
  weight?: number;
  [key: string]: unknown;
}

/** A TraefikService as read or written; unknown fields are kept. */
export interface TraefikService {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  spec?: { weighted?: { services?: WeightedService[]; [key: string]: unknown }; [key: string]: unknown };
  [key: string]: unknown;
}

/** The canary and stable Services whose entries carry the split. */
export interface TraefikEditSpec {
  canaryService: string;
  stableService: string;
}

const SERVICES_PATH = 'spec.weighted.services';

function issueOf(
  ts: TraefikService,
  reason: RouteIssue['reason'],
  path: string,
  message: string,
): RouteIssue {
  const { name = '', namespace } = ts.metadata ?? {};
  return {
    reason,
    object: { kind: 'TraefikService', name, ...(namespace ? { namespace } : {}) },
    path,
    message,
  };
}

/** The issues that stop an edit (Argo's errors): no `spec.weighted.services`, an entry without a name, a missing Service. */
function editIssues(ts: TraefikService, spec: TraefikEditSpec): RouteIssue[] {
  const services = ts.spec?.weighted?.services;
  if (!Array.isArray(services)) {
    return [
      issueOf(
        ts,
        'RouteNotFound',
        SERVICES_PATH,
        'is missing: the TraefikService must be a weighted service',
      ),
    ];
  }
  const unnamed = services.findIndex((s) => !isRecord(s) || typeof s.name !== 'string');
  if (unnamed >= 0) {
    return [
      issueOf(
        ts,
        'MalformedObject',
        `${SERVICES_PATH}[${unnamed}].name`,
        'every weighted service needs a name',
      ),
    ];
  }
  return [spec.canaryService, spec.stableService]
    .filter((name) => !services.some((s) => s.name === name))
    .map((name) => issueOf(ts, 'DestinationNotFound', SERVICES_PATH, `has no entry for Service "${name}"`));
}

/**
 * Pure edit of a TraefikService (Argo's Traefik `SetWeight`): the first entry of `spec.weighted.services`
 * named `canaryService` gets `canaryWeight`, the first named `stableService` gets `stableWeight`; every other
 * entry and field is kept (as in Argo, other entries' weights are not checked). On issues the input is
 * returned unchanged.
 */
export function editTraefikService(
  ts: TraefikService,
  spec: TraefikEditSpec,
  desired: DesiredTraffic,
): EditResult<TraefikService> {
  const issues = editIssues(ts, spec);
  if (issues.length > 0) return { object: ts, issues };
  const services = ts.spec?.weighted?.services ?? [];
  const first = (name: string) => services.findIndex((s) => s.name === name);
  const [canary, stable] = [first(spec.canaryService), first(spec.stableService)];
  const edited = services.map((s, i) => {
    if (i === canary) return { ...s, weight: desired.canaryWeight };
    if (i === stable) return { ...s, weight: desired.stableWeight };
    return s;
  });
  return {
    object: { ...ts, spec: { ...ts.spec, weighted: { ...ts.spec?.weighted, services: edited } } },
    issues: [],
  };
}

/** The canary and stable weights a TraefikService carries; undefined when absent. */
export function observedTraefikWeights(
  ts: TraefikService,
  spec: TraefikEditSpec,
): { canaryWeight: number | undefined; stableWeight: number | undefined } {
  const services = Array.isArray(ts.spec?.weighted?.services) ? ts.spec.weighted.services : [];
  const weightOf = (name: string) => {
    const weight = services.find((s) => isRecord(s) && s.name === name)?.weight;
    return typeof weight === 'number' && Number.isInteger(weight) ? weight : undefined;
  };
  return { canaryWeight: weightOf(spec.canaryService), stableWeight: weightOf(spec.stableService) };
}
