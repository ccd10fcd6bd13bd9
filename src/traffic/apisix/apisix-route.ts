import type { DesiredTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { EditResult, RouteIssue, RouteObjectRef } from '../router.js';
import type { ApisixBackend, ApisixHttpRule, ApisixRoute } from './types.js';

export type { ApisixRoute } from './types.js';

/** What `editApisixRoute` needs from the Rollout. */
export interface ApisixRouteEditSpec {
  /** `apisix.route.name`: the ApisixRoute, and the default rule name. */
  routeName: string;
  /** `apisix.route.rules`: the HTTP rules to split (default: the rule named like the route). */
  rules?: readonly string[];
  canaryService: string;
  stableService: string;
}

/** APISIX's weight of a backend without one. */
const DEFAULT_BACKEND_WEIGHT = 100;

/** The HTTP rule names Vireo splits: `rules`, or (as in Argo) the route's own name when none are listed. */
export function splitRuleNames(spec: ApisixRouteEditSpec): readonly string[] {
  return spec.rules !== undefined && spec.rules.length > 0 ? spec.rules : [spec.routeName];
}

/** The object reference of `route` for issues. */
export function apisixRouteRef(route: ApisixRoute): RouteObjectRef {
  const ref: RouteObjectRef = { kind: 'ApisixRoute', name: route.metadata?.name ?? '' };
  if (route.metadata?.namespace !== undefined) ref.namespace = route.metadata.namespace;
  return ref;
}

function backendIssues(rule: ApisixHttpRule, at: string, spec: ApisixRouteEditSpec, object: RouteObjectRef) {
  const backends = listOf(rule.backends);
  const issues: RouteIssue[] = [];
  for (const service of [spec.stableService, spec.canaryService]) {
    const count = backends.filter((b) => b.serviceName === service).length;
    if (count === 1) continue;
    const message =
      count === 0
        ? `rule "${rule.name ?? ''}" has no backend for Service "${service}"; a rule Vireo splits needs the stable and the canary Service`
        : `Service "${service}" appears ${count} times in the rule's backends; a rule Vireo splits needs it exactly once`;
    issues.push({
      reason: count === 0 ? 'BackendNotFound' : 'DuplicateDestination',
      object,
      path: `${at}.backends`,
      message,
    });
  }
  backends.forEach((backend, i) => {
    const named = backend.serviceName === spec.stableService || backend.serviceName === spec.canaryService;
    const weight = backend.weight ?? DEFAULT_BACKEND_WEIGHT;
    if (named || weight === 0) return;
    const message = `backend "${backend.serviceName ?? ''}" has weight ${weight}; a rule Vireo splits may only send traffic to the stable and canary Services (set its weight to 0)`;
    issues.push({ reason: 'UnexpectedDestination', object, path: `${at}.backends[${i}].weight`, message });
  });
  return issues;
}

/** The indexes in `spec.http` of the rules Vireo splits, or the issues of the missing or malformed ones. */
export function splitRuleIndexes(
  route: ApisixRoute,
  spec: ApisixRouteEditSpec,
): { indexes: number[]; issues: RouteIssue[] } {
  const object = apisixRouteRef(route);
  const http = listOf(route.spec?.http);
  if (http.length === 0) {
    const message = `ApisixRoute "${object.name}" has no HTTP rules (spec.http)`;
    return { indexes: [], issues: [{ reason: 'NoHttpRoute', object, path: 'spec.http', message }] };
  }
  const indexes: number[] = [];
  const issues: RouteIssue[] = [];
  for (const name of splitRuleNames(spec)) {
    const index = http.findIndex((rule) => rule.name === name);
    const rule = http[index];
    if (rule === undefined) {
      const message = `ApisixRoute "${object.name}" has no HTTP rule named "${name}" (rules: ${http.map((r) => r.name ?? '').join(', ')})`;
      issues.push({ reason: 'RouteNotFound', object, path: 'spec.http', message });
      continue;
    }
    issues.push(...backendIssues(rule, `spec.http[${index}]`, spec, object));
    indexes.push(index);
  }
  return { indexes, issues };
}

function reweight(rule: ApisixHttpRule, spec: ApisixRouteEditSpec, desired: DesiredTraffic): ApisixHttpRule {
  const backends = listOf(rule.backends).map((backend): ApisixBackend => {
    if (backend.serviceName === spec.canaryService) return { ...backend, weight: desired.canaryWeight };
    if (backend.serviceName === spec.stableService) return { ...backend, weight: desired.stableWeight };
    return backend;
  });
  return { ...rule, backends };
}

/**
 * Pure edit of the ApisixRoute for `desired` (Argo's APISIX router): in each split rule (`splitRuleNames`)
 * the canary Service's backend gets `canaryWeight` and the stable Service's `stableWeight`. Every other rule,
 * backend and field stays deep-equal. A missing `spec.http` or rule, a split rule without exactly one backend
 * of each Service, or a third backend with a non-zero weight (APISIX counts a missing weight as 100) give
 * issues and the input back unchanged.
 */
export function editApisixRoute(
  route: ApisixRoute,
  spec: ApisixRouteEditSpec,
  desired: DesiredTraffic,
): EditResult<ApisixRoute> {
  const { indexes, issues } = splitRuleIndexes(route, spec);
  if (issues.length > 0) return { object: route, issues };
  const split = new Set(indexes);
  const http = listOf(route.spec?.http).map((rule, i) =>
    split.has(i) ? reweight(rule, spec, desired) : rule,
  );
  return { object: { ...route, spec: { ...route.spec, http } }, issues: [] };
}

/** Canary and stable weights of the first split rule (undefined when it or a backend is missing). */
export function observedApisixWeights(route: ApisixRoute, spec: ApisixRouteEditSpec) {
  const [first] = splitRuleNames(spec);
  const rule = listOf(route.spec?.http).find((r) => r.name === first);
  const weight = (service: string) => {
    const backend = listOf(rule?.backends).find((b) => b.serviceName === service);
    return backend === undefined ? undefined : (backend.weight ?? DEFAULT_BACKEND_WEIGHT);
  };
  return { canaryWeight: weight(spec.canaryService), stableWeight: weight(spec.stableService) };
}
