import type { StringMatch } from '../../api/index.js';
import {
  type DesiredHeaderRoute,
  type DesiredMirrorRoute,
  type DesiredTraffic,
  type MirrorMatch,
  totalWeight,
} from '../desired-traffic.js';
import { listOf } from '../json.js';
import type { RouteIssue, RouteObjectRef } from '../router.js';
import { destinationRole } from './destinations.js';
import { managedRouteNames, type VirtualServiceEditSpec } from './route-select.js';
import type { IstioDestination, VsHttpRoute } from './types.js';

/** Inputs of `arrangeManagedRoutes`. */
export interface ManagedRoutesInput {
  /** `spec.http` after re-weighting. */
  http: readonly VsHttpRoute[];
  /** The first split HTTP route after re-weighting; header and mirror routes copy its canary destination. */
  weighted: VsHttpRoute | undefined;
  spec: VirtualServiceEditSpec;
  desired: DesiredTraffic;
  object: RouteObjectRef;
}

function stringMatch(match: StringMatch | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['exact', 'prefix', 'regex'] as const) {
    const value = match?.[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function mirrorMatch(match: MirrorMatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (match.method !== undefined) out.method = stringMatch(match.method);
  if (match.path !== undefined) out.uri = stringMatch(match.path);
  if (match.headers !== undefined) {
    out.headers = Object.fromEntries(Object.entries(match.headers).map(([k, v]) => [k, stringMatch(v)]));
  }
  return out;
}

/** Istio header route: one `match` entry per header (Argo's shape), all traffic to the canary. */
function headerRoute(route: DesiredHeaderRoute, canary: IstioDestination, total: number): VsHttpRoute {
  return {
    name: route.name,
    match: route.match.map((m) => ({ headers: { [m.headerName]: stringMatch(m.headerValue) } })),
    route: [{ destination: { ...canary }, weight: total }],
  };
}

/** Istio mirror route: keeps the split route's current weights and mirrors `percentage` to the canary. */
function mirrorRoute(
  route: DesiredMirrorRoute,
  canary: IstioDestination,
  weighted: VsHttpRoute,
): VsHttpRoute {
  return {
    name: route.name,
    match: route.match.map(mirrorMatch),
    route: listOf(weighted.route).map((d) => ({ ...d })),
    mirror: { ...canary },
    mirrorPercentage: { value: route.percentage },
  };
}

function canaryDestination(input: ManagedRoutesInput): IstioDestination | undefined {
  const found = listOf(input.weighted?.route).find((d) => destinationRole(d, input.spec) === 'canary');
  return found?.destination;
}

type ActiveRoute =
  | { kind: 'header'; route: DesiredHeaderRoute }
  | { kind: 'mirror'; route: DesiredMirrorRoute };

function activeRoutes(desired: DesiredTraffic): ActiveRoute[] {
  return [
    ...desired.headerRoutes
      .filter((r) => r.match.length > 0)
      .map((route) => ({ kind: 'header' as const, route })),
    ...desired.mirrorRoutes
      .filter((r) => r.match.length > 0)
      .map((route) => ({ kind: 'mirror' as const, route })),
  ];
}

type Problem = Pick<RouteIssue, 'reason' | 'message'>;

function problem(
  item: ActiveRoute,
  managed: readonly string[],
  taken: boolean,
  hasCanary: boolean,
): Problem | undefined {
  const { name } = item.route;
  if (!managed.includes(name)) {
    return {
      reason: 'UnmanagedRoute',
      message: `${item.kind} route "${name}" is not listed in trafficRouting.managedRoutes`,
    };
  }
  if (taken)
    return { reason: 'AmbiguousRoute', message: `managed route "${name}" is set by more than one step` };
  if (!hasCanary) {
    return {
      reason: 'NoHttpRoute',
      message: `${item.kind} route "${name}" needs a split HTTP route with a canary destination`,
    };
  }
  return undefined;
}

function buildWanted(input: ManagedRoutesInput, managed: readonly string[]) {
  const wanted = new Map<string, VsHttpRoute>();
  const issues: RouteIssue[] = [];
  const { object, desired, weighted } = input;
  const canary = canaryDestination(input);
  for (const item of activeRoutes(desired)) {
    const found = problem(item, managed, wanted.has(item.route.name), canary !== undefined);
    if (found !== undefined) issues.push({ ...found, object, path: 'spec.http' });
    if (found !== undefined || canary === undefined || weighted === undefined) continue;
    const built =
      item.kind === 'header'
        ? headerRoute(item.route, canary, totalWeight(desired))
        : mirrorRoute(item.route, canary, weighted);
    wanted.set(item.route.name, built);
  }
  return { wanted, issues };
}

/**
 * Places Vireo's header and mirror routes. Invariant: the result is the desired managed routes, in
 * `managedRoutes` order, followed by every other route of `http` in its original order and unchanged;
 * managed routes no longer desired (or whose step has no `match`) are dropped. With no `managedRoutes`,
 * `http` is returned as is.
 */
export function arrangeManagedRoutes(input: ManagedRoutesInput): {
  http: VsHttpRoute[];
  issues: RouteIssue[];
} {
  const managed = managedRouteNames(input.spec);
  const { wanted, issues } = buildWanted(input, managed);
  if (managed.length === 0 || issues.length > 0) return { http: [...input.http], issues };
  const first = managed.flatMap((name) => {
    const route = wanted.get(name);
    return route === undefined ? [] : [route];
  });
  const rest = input.http.filter((r) => r.name === undefined || !managed.includes(r.name));
  return { http: [...first, ...rest], issues };
}
