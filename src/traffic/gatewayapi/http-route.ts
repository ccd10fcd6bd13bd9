import { type GatewayApiConfig, ROUTER_CAPABILITIES } from '../../api/index.js';
import type { DesiredTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { EditResult, RouteIssue, RouteObjectRef } from '../router.js';
import { headerRule } from './header-rules.js';
import type { BackendRef, HTTPRoute, HttpRouteRule } from './types.js';

export type { HTTPRoute } from './types.js';

/** What `editHTTPRoute` needs from the Rollout and the plugin config. */
export interface HttpRouteEditSpec {
  canaryService: string;
  stableService: string;
  /** Whether header routes are added to this HTTPRoute (always for `httpRoute`; per entry for `httpRoutes`). */
  useHeaderRoutes?: boolean;
  managedRoutes?: readonly { name: string }[];
}

/** An HTTPRoute of the plugin config with its namespace resolved. */
export interface HttpRouteRef {
  name: string;
  namespace: string;
  useHeaderRoutes: boolean;
}

/**
 * The HTTPRoutes of a `argoproj-labs/gatewayAPI` config: `httpRoute` (header routes on) or each of
 * `httpRoutes` (header routes when `useHeaderRoutes`), in `namespace` or else the Rollout's.
 */
export function httpRouteRefs(config: GatewayApiConfig, rolloutNamespace: string): HttpRouteRef[] {
  const namespace = config.namespace ?? rolloutNamespace;
  if (config.httpRoute !== undefined && config.httpRoute !== '') {
    return [{ name: config.httpRoute, namespace, useHeaderRoutes: true }];
  }
  return listOf(config.httpRoutes).map((r) => ({
    name: r.name,
    namespace,
    useHeaderRoutes: r.useHeaderRoutes ?? false,
  }));
}

function isService(ref: BackendRef, name: string): boolean {
  return ref.name === name && (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '';
}

function routeRef(route: HTTPRoute): RouteObjectRef {
  const ref: RouteObjectRef = { kind: 'HTTPRoute', name: route.metadata?.name ?? '' };
  if (route.metadata?.namespace !== undefined) ref.namespace = route.metadata.namespace;
  return ref;
}

function ruleIssues(
  rule: HttpRouteRule,
  path: string,
  spec: HttpRouteEditSpec,
  object: RouteObjectRef,
): RouteIssue[] {
  const refs = listOf(rule.backendRefs);
  const issues: RouteIssue[] = [];
  for (const service of [spec.canaryService, spec.stableService]) {
    const count = refs.filter((r) => isService(r, service)).length;
    if (count > 1) {
      const message = `Service "${service}" appears ${count} times in the rule; a split rule needs it exactly once`;
      issues.push({ reason: 'DuplicateDestination', object, path: `${path}.backendRefs`, message });
    }
  }
  refs.forEach((ref, i) => {
    if (isService(ref, spec.canaryService) || isService(ref, spec.stableService) || ref.weight === 0) return;
    const message = `backendRef "${ref.name ?? ''}" has weight ${ref.weight ?? 1}; a rule Vireo splits may only send traffic to the stable and canary Services (set its weight to 0 or move it to another rule)`;
    issues.push({
      reason: 'UnexpectedDestination',
      object,
      path: `${path}.backendRefs[${i}].weight`,
      message,
    });
  });
  return issues;
}

function isSplitRule(rule: HttpRouteRule, spec: HttpRouteEditSpec): boolean {
  const refs = listOf(rule.backendRefs);
  return (
    refs.some((r) => isService(r, spec.canaryService)) && refs.some((r) => isService(r, spec.stableService))
  );
}

function reweight(rule: HttpRouteRule, spec: HttpRouteEditSpec, desired: DesiredTraffic): HttpRouteRule {
  const backendRefs = listOf(rule.backendRefs).map((ref) => {
    if (isService(ref, spec.canaryService)) return { ...ref, weight: desired.canaryWeight };
    if (isService(ref, spec.stableService)) return { ...ref, weight: desired.stableWeight };
    return ref;
  });
  return { ...rule, backendRefs };
}

function managedRules(
  split: HttpRouteRule,
  spec: HttpRouteEditSpec,
  desired: DesiredTraffic,
  object: RouteObjectRef,
) {
  const managed = listOf(spec.managedRoutes).map((r) => r.name);
  const issues: RouteIssue[] = [];
  const byName = new Map<string, HttpRouteRule>();
  const canaryRef = listOf(split.backendRefs).find((r) => isService(r, spec.canaryService)) ?? {};
  if (!ROUTER_CAPABILITIES.gatewayAPI.mirroring && desired.mirrorRoutes.some((r) => r.match.length > 0)) {
    issues.push({
      reason: 'Unsupported',
      object,
      path: 'spec.rules',
      message: 'mirror routes are not supported with the Gateway API yet',
    });
  }
  const active = spec.useHeaderRoutes === false ? [] : desired.headerRoutes.filter((r) => r.match.length > 0);
  for (const route of active) {
    if (!managed.includes(route.name)) {
      const message = `header route "${route.name}" is not listed in trafficRouting.managedRoutes`;
      issues.push({ reason: 'UnmanagedRoute', object, path: 'spec.rules', message });
      continue;
    }
    const built = headerRule({ route, split, canaryRef, object });
    issues.push(...built.issues);
    if (built.rule !== undefined) byName.set(route.name, built.rule);
  }
  const ordered = managed.flatMap((name): HttpRouteRule[] => {
    const rule = byName.get(name);
    return rule === undefined ? [] : [rule];
  });
  return { managed, ordered, issues };
}

/**
 * Pure edit of one HTTPRoute for the Gateway API plugin. Invariants on success: in every rule (Vireo's
 * own aside) whose backendRefs include both the stable and canary Services, canary gets `canaryWeight` and
 * stable `stableWeight`, so the rule's weights sum to the total; rules with only one of them and all
 * other rules and fields stay deep-equal; desired header routes are rules named after their managed
 * route, placed first in `managedRoutes` order; managed rules no longer desired are dropped. No split
 * rule, a third backendRef with non-zero weight (a missing weight counts as 1), or a bad header route
 * give issues and the input returned unchanged.
 */
export function editHTTPRoute(
  route: HTTPRoute,
  spec: HttpRouteEditSpec,
  desired: DesiredTraffic,
): EditResult<HTTPRoute> {
  const object = routeRef(route);
  const names = new Set(listOf(spec.managedRoutes).map((r) => r.name));
  const user = listOf(route.spec?.rules).flatMap((rule, index) =>
    rule.name !== undefined && names.has(rule.name) ? [] : [{ rule, index, split: isSplitRule(rule, spec) }],
  );
  const splits = user.filter((u) => u.split);
  const [first] = splits;
  if (first === undefined) {
    const message = `HTTPRoute "${object.name}" has no rule with backendRefs to both Service "${spec.stableService}" and Service "${spec.canaryService}"`;
    return { object: route, issues: [{ reason: 'BackendNotFound', object, path: 'spec.rules', message }] };
  }
  const issues = splits.flatMap((u) => ruleIssues(u.rule, `spec.rules[${u.index}]`, spec, object));
  if (issues.length > 0) return { object: route, issues };
  const managed = managedRules(reweight(first.rule, spec, desired), spec, desired, object);
  if (managed.issues.length > 0) return { object: route, issues: managed.issues };
  const rules = user.map((u) => (u.split ? reweight(u.rule, spec, desired) : u.rule));
  return { object: { ...route, spec: { ...route.spec, rules: [...managed.ordered, ...rules] } }, issues: [] };
}

/** Canary and stable weights of the first split rule of `route` (undefined when there is none). */
export function observedHttpRouteWeights(route: HTTPRoute, spec: HttpRouteEditSpec) {
  const split = listOf(route.spec?.rules).find((r) => isSplitRule(r, spec));
  const refs = listOf(split?.backendRefs);
  const weight = (name: string) => {
    const ref = refs.find((r) => isService(r, name));
    return ref === undefined ? undefined : (ref.weight ?? 1);
  };
  return { canaryWeight: weight(spec.canaryService), stableWeight: weight(spec.stableService) };
}
