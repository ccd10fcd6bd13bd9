import type { DesiredTraffic } from '../desired-traffic.js';
import { isRecord, listOf } from '../json.js';
import type { EditResult, RouteIssue, RouteObjectRef } from '../router.js';
import type { AppMeshRoute, AppMeshRouteRule, VirtualRouter, WeightedTarget } from './types.js';

export type { VirtualRouter } from './types.js';

/** What `editVirtualRouter` needs from the Rollout. */
export interface VirtualRouterEditSpec {
  /** The Rollout's namespace: a weighted target without a namespace is in it. */
  namespace: string;
  canaryVirtualNode: string;
  stableVirtualNode: string;
  /** `appMesh.virtualService.routes`: the routes to re-weight (default: all). */
  routes?: readonly string[];
}

/** The route types App Mesh splits by weight, in the order Argo looks for them. */
export const ROUTE_TYPES = ['httpRoute', 'tcpRoute', 'http2Route', 'grpcRoute'] as const;

function refOf(router: VirtualRouter): RouteObjectRef {
  const ref: RouteObjectRef = { kind: 'VirtualRouter', name: router.metadata?.name ?? '' };
  if (router.metadata?.namespace !== undefined) ref.namespace = router.metadata.namespace;
  return ref;
}

/** The rule of `route` and its type (the first of `ROUTE_TYPES` it has), or undefined. */
export function routeRule(route: AppMeshRoute): { type: string; rule: AppMeshRouteRule } | undefined {
  const type = ROUTE_TYPES.find((t) => isRecord(route[t]));
  return type === undefined ? undefined : { type, rule: route[type] as AppMeshRouteRule };
}

/**
 * Argo's check of a referenced VirtualRouter: at least one route, and every route (whether Vireo edits it or
 * not) a supported type whose action has exactly two weighted targets.
 */
function routerIssues(router: VirtualRouter, object: RouteObjectRef): RouteIssue[] {
  const routes = listOf(router.spec?.routes);
  if (routes.length === 0) {
    const message = `no routes defined for App Mesh VirtualRouter "${object.name}"`;
    return [{ reason: 'NoHttpRoute', object, path: 'spec.routes', message }];
  }
  return routes.flatMap((route, i): RouteIssue[] => {
    const found = routeRule(route);
    if (found === undefined) {
      const message = `route "${route.name ?? ''}" has none of the route types ${ROUTE_TYPES.join(', ')}`;
      return [{ reason: 'Unsupported', object, path: `spec.routes[${i}]`, message }];
    }
    const targets = found.rule.action?.weightedTargets;
    if (Array.isArray(targets) && targets.length === 2) return [];
    const path = `spec.routes[${i}].${found.type}.action.weightedTargets`;
    const message = `route "${route.name ?? ''}" has ${Array.isArray(targets) ? targets.length : 'no'} weighted targets; App Mesh canaries need exactly 2 (the stable and the canary VirtualNode)`;
    return [{ reason: 'DestinationNotFound', object, path, message }];
  });
}

function targetIs(target: WeightedTarget, node: string, spec: VirtualRouterEditSpec): boolean {
  const ref = target.virtualNodeRef;
  return ref?.name === node && (ref.namespace || spec.namespace) === spec.namespace;
}

/** The indexes of the routes Vireo re-weights (`routes`, or all), or the issues of those it cannot. */
function editedRoutes(router: VirtualRouter, spec: VirtualRouterEditSpec, object: RouteObjectRef) {
  const routes = listOf(router.spec?.routes);
  const names = listOf(spec.routes);
  const issues: RouteIssue[] = names
    .filter((name) => !routes.some((r) => r.name === name))
    .map((name) => {
      const message = `VirtualRouter "${object.name}" has no route named "${name}"`;
      return { reason: 'RouteNotFound', object, path: 'spec.routes', message };
    });
  const indexes = routes.flatMap((route, i) =>
    names.length === 0 || names.includes(route.name ?? '') ? [i] : [],
  );
  for (const i of indexes) {
    const found = routeRule(routes[i] as AppMeshRoute);
    const targets = listOf(found?.rule.action?.weightedTargets);
    const both =
      targets.some((t) => targetIs(t, spec.stableVirtualNode, spec)) &&
      targets.some((t) => targetIs(t, spec.canaryVirtualNode, spec));
    if (both) continue;
    const path = `spec.routes[${i}].${found?.type ?? ''}.action.weightedTargets`;
    const message = `the weighted targets are not the stable VirtualNode "${spec.stableVirtualNode}" and the canary VirtualNode "${spec.canaryVirtualNode}" (namespace "${spec.namespace}")`;
    issues.push({ reason: 'DestinationNotFound', object, path, message });
  }
  return { indexes, issues };
}

function reweight(route: AppMeshRoute, spec: VirtualRouterEditSpec, desired: DesiredTraffic): AppMeshRoute {
  const found = routeRule(route);
  if (found === undefined) return route;
  const weightedTargets = listOf(found.rule.action?.weightedTargets).map((target) => {
    if (targetIs(target, spec.stableVirtualNode, spec)) return { ...target, weight: desired.stableWeight };
    if (targetIs(target, spec.canaryVirtualNode, spec)) return { ...target, weight: desired.canaryWeight };
    return target;
  });
  return { ...route, [found.type]: { ...found.rule, action: { ...found.rule.action, weightedTargets } } };
}

/**
 * Pure edit of an App Mesh VirtualRouter for `desired` (Argo's App Mesh router): in each re-weighted route
 * (`routes`, or all), the weighted target of the stable VirtualNode gets `stableWeight` and the canary's
 * `canaryWeight`. Everything else stays deep-equal. A router without routes, a route of no supported type or
 * without exactly two weighted targets (Argo's check, over every route), a listed route that does not exist,
 * or a re-weighted route whose targets are not the two VirtualNodes give issues and the input back unchanged.
 */
export function editVirtualRouter(
  router: VirtualRouter,
  spec: VirtualRouterEditSpec,
  desired: DesiredTraffic,
): EditResult<VirtualRouter> {
  const object = refOf(router);
  const invalid = routerIssues(router, object);
  if (invalid.length > 0) return { object: router, issues: invalid };
  const { indexes, issues } = editedRoutes(router, spec, object);
  if (issues.length > 0) return { object: router, issues };
  const edited = new Set(indexes);
  const routes = listOf(router.spec?.routes).map((r, i) => (edited.has(i) ? reweight(r, spec, desired) : r));
  return { object: { ...router, spec: { ...router.spec, routes } }, issues: [] };
}

/** Canary and stable weights of the first re-weighted route (undefined when a target is missing). */
export function observedRouterWeights(router: VirtualRouter, spec: VirtualRouterEditSpec) {
  const names = listOf(spec.routes);
  const route = listOf(router.spec?.routes).find((r) => names.length === 0 || names.includes(r.name ?? ''));
  const targets = listOf(route === undefined ? undefined : routeRule(route)?.rule.action?.weightedTargets);
  const weight = (node: string) => {
    const target = targets.find((t) => targetIs(t, node, spec));
    return typeof target?.weight === 'number' ? target.weight : undefined;
  };
  return { canaryWeight: weight(spec.canaryVirtualNode), stableWeight: weight(spec.stableVirtualNode) };
}
