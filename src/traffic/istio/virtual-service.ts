import type { IstioTrafficRouting, IstioVirtualService } from '../../api/index.js';
import type { DesiredTraffic } from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { EditResult, ObservedTraffic, RouteIssue } from '../router.js';
import { destinationRole, reweightDestinations, weightOf } from './destinations.js';
import { arrangeManagedRoutes } from './header-mirror-routes.js';
import {
  managedRouteNames,
  type RouteTarget,
  selectRoutes,
  type VirtualServiceEditSpec,
  virtualServiceRef,
} from './route-select.js';
import type {
  RouteDestination,
  RouteKind,
  VirtualService,
  VirtualServiceSpec,
  VsHttpRoute,
} from './types.js';

export type { VirtualServiceEditSpec } from './route-select.js';

/** A VirtualService the Rollout points at, with its namespace resolved. */
export interface VirtualServiceRef {
  name: string;
  namespace: string;
  spec: IstioVirtualService;
}

/**
 * The VirtualServices of `istio` (`virtualService` or `virtualServices`), in spec order. A name written
 * `name.namespace` selects another namespace (the last dot segment): `reviews.mesh` → reviews in mesh;
 * otherwise the Rollout's namespace.
 */
export function virtualServiceRefs(
  istio: IstioTrafficRouting,
  rolloutNamespace: string,
): VirtualServiceRef[] {
  const specs = istio.virtualService !== undefined ? [istio.virtualService] : listOf(istio.virtualServices);
  return specs.map((spec) => {
    const dot = spec.name.lastIndexOf('.');
    if (dot <= 0) return { name: spec.name, namespace: rolloutNamespace, spec };
    return { name: spec.name.slice(0, dot), namespace: spec.name.slice(dot + 1), spec };
  });
}

type SplitRoute = { route?: readonly RouteDestination[]; [key: string]: unknown };
type RouteLists = Record<RouteKind, SplitRoute[]>;

function routeLists(spec: VirtualServiceSpec | undefined): RouteLists {
  return { http: [...listOf(spec?.http)], tls: [...listOf(spec?.tls)], tcp: [...listOf(spec?.tcp)] };
}

function reweightTargets(
  vs: VirtualService,
  spec: VirtualServiceEditSpec,
  desired: DesiredTraffic,
  targets: RouteTarget[],
) {
  const lists = routeLists(vs.spec);
  const issues: RouteIssue[] = [];
  const object = virtualServiceRef(vs);
  for (const { kind, index } of targets) {
    const route = lists[kind][index];
    if (route === undefined) continue;
    const path = `spec.${kind}[${index}]`;
    const result = reweightDestinations({ route: route.route, path, object, spec, desired });
    issues.push(...result.issues);
    lists[kind][index] = { ...route, route: result.route };
  }
  return { lists, issues };
}

function withRoutes(
  spec: VirtualServiceSpec | undefined,
  http: VsHttpRoute[],
  lists: RouteLists,
): VirtualServiceSpec {
  const next: VirtualServiceSpec = { ...spec };
  if (spec?.http !== undefined || http.length > 0) next.http = http;
  if (spec?.tls !== undefined) next.tls = lists.tls;
  if (spec?.tcp !== undefined) next.tcp = lists.tcp;
  return next;
}

/**
 * Pure edit of one VirtualService for a host-level (canary/stable Services) or subset-level
 * (DestinationRule subsets) split. Invariants on success: only the selected routes' canary/stable
 * weights change and they sum to `canaryWeight + stableWeight`; desired header/mirror routes sit first
 * in `managedRoutes` order; every other route and field is deep-equal to the input; the input is not
 * mutated (unchanged subtrees are shared). On any issue the input object is returned as is.
 */
export function editVirtualService(
  vs: VirtualService,
  spec: VirtualServiceEditSpec,
  desired: DesiredTraffic,
): EditResult<VirtualService> {
  const selection = selectRoutes(vs, spec);
  if (selection.issues.length > 0) return { object: vs, issues: selection.issues };
  const { lists, issues } = reweightTargets(vs, spec, desired, selection.targets);
  if (issues.length > 0) return { object: vs, issues };
  const firstHttp = selection.targets.find((t) => t.kind === 'http');
  const weighted = firstHttp === undefined ? undefined : lists.http[firstHttp.index];
  const object = virtualServiceRef(vs);
  const arranged = arrangeManagedRoutes({ http: lists.http, weighted, spec, desired, object });
  if (arranged.issues.length > 0) return { object: vs, issues: arranged.issues };
  return { object: { ...vs, spec: withRoutes(vs.spec, arranged.http, lists) }, issues: [] };
}

function observedWeights(vs: VirtualService, spec: VirtualServiceEditSpec, target: RouteTarget | undefined) {
  const route = target === undefined ? undefined : routeLists(vs.spec)[target.kind][target.index];
  const dests = listOf(route?.route);
  const canary = dests.find((d) => destinationRole(d, spec) === 'canary');
  const stable = dests.find((d) => destinationRole(d, spec) === 'stable');
  return {
    canaryWeight: canary === undefined ? undefined : weightOf(canary),
    stableWeight: stable === undefined ? undefined : weightOf(stable),
  };
}

/**
 * Reads what a VirtualService currently does: canary/stable weights of the first split route (undefined
 * when it cannot be found) and the managed routes present (a route with `mirror` is a mirror route).
 * Selection problems are returned as issues.
 */
export function observeVirtualService(vs: VirtualService, spec: VirtualServiceEditSpec): ObservedTraffic {
  const selection = selectRoutes(vs, spec);
  const managed = managedRouteNames(spec);
  const present = listOf(vs.spec?.http).filter((r) => r.name !== undefined && managed.includes(r.name));
  return {
    ...observedWeights(vs, spec, selection.targets[0]),
    headerRoutes: present.filter((r) => r.mirror === undefined).map((r) => r.name ?? ''),
    mirrorRoutes: present.filter((r) => r.mirror !== undefined).map((r) => r.name ?? ''),
    issues: selection.issues,
  };
}
