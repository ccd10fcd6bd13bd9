import type { IstioTrafficRouting, IstioVirtualService } from '../../api/index.js';
import { listOf } from '../json.js';
import type { RouteIssue, RouteObjectRef } from '../router.js';
import type { L4Match, RouteKind, VirtualService, VsL4Route } from './types.js';

/** The DestinationRule settings of `trafficRouting.istio.destinationRule`. */
export type IstioDestinationRuleRef = NonNullable<IstioTrafficRouting['destinationRule']>;

/**
 * What `editVirtualService` needs from the Rollout: the `virtualService(s)` entry for this object, the
 * canary/stable Services (host-level split) or the DestinationRule subsets (subset-level split), and
 * `managedRoutes` (header and mirror routes, in precedence order).
 */
export interface VirtualServiceEditSpec {
  virtualService: IstioVirtualService;
  canaryService?: string;
  stableService?: string;
  destinationRule?: IstioDestinationRuleRef;
  managedRoutes?: readonly { name: string }[];
}

/** A route Vireo re-weights: `spec.<kind>[index]`. */
export interface RouteTarget {
  kind: RouteKind;
  index: number;
}

/** Routes to re-weight in one VirtualService, or the issues explaining why they cannot be chosen. */
export interface RouteSelection {
  targets: RouteTarget[];
  issues: RouteIssue[];
}

/** A reference to `vs` for `RouteIssue.object`. */
export function virtualServiceRef(vs: VirtualService): RouteObjectRef {
  const ref: RouteObjectRef = { kind: 'VirtualService', name: vs.metadata?.name ?? '' };
  if (vs.metadata?.namespace !== undefined) ref.namespace = vs.metadata.namespace;
  return ref;
}

/** Names in `managedRoutes`. */
export function managedRouteNames(spec: VirtualServiceEditSpec): string[] {
  return listOf(spec.managedRoutes).map((r) => r.name);
}

function l4Matches(route: VsL4Route, port: number, sniHosts: readonly string[] | undefined): boolean {
  const matches: readonly L4Match[] = listOf(route.match);
  const ports = new Set(matches.map((m) => m.port ?? 0));
  if (ports.size > 1) return false;
  const routePort = ports.values().next().value ?? 0;
  if (routePort !== port) return false;
  if (sniHosts === undefined) return true;
  const routeHosts = new Set(matches.flatMap((m) => listOf(m.sniHosts)));
  const wanted = new Set(sniHosts);
  return routeHosts.size === wanted.size && [...wanted].every((h) => routeHosts.has(h));
}

function issue(vs: VirtualService, reason: RouteIssue['reason'], path: string, message: string): RouteIssue {
  return { reason, object: virtualServiceRef(vs), path, message };
}

function httpTargets(vs: VirtualService, names: readonly string[], out: RouteSelection): void {
  const http = listOf(vs.spec?.http);
  for (const name of names) {
    const index = http.findIndex((r) => r.name === name);
    if (index >= 0) out.targets.push({ kind: 'http', index });
    else {
      const message = `HTTP route "${name}" not found in VirtualService "${vs.metadata?.name ?? ''}"`;
      out.issues.push(issue(vs, 'RouteNotFound', 'spec.http', message));
    }
  }
}

type L4Spec = { port?: number; sniHosts?: readonly string[] };

function l4Targets(
  vs: VirtualService,
  kind: 'tls' | 'tcp',
  wanted: readonly L4Spec[],
  out: RouteSelection,
): void {
  const routes = listOf(vs.spec?.[kind]);
  for (const want of wanted) {
    const port = want.port ?? 0;
    const sni = kind === 'tls' ? (want.sniHosts ?? []) : undefined;
    const found = routes.flatMap((r, index) => (l4Matches(r, port, sni) ? [index] : []));
    for (const index of found) out.targets.push({ kind, index });
    if (found.length > 0) continue;
    const hosts = sni === undefined ? '' : ` and sniHosts [${sni.join(', ')}]`;
    const message = `${kind.toUpperCase()} route for port ${port}${hosts} not found in VirtualService "${vs.metadata?.name ?? ''}"`;
    out.issues.push(issue(vs, 'RouteNotFound', `spec.${kind}`, message));
  }
}

function listedTargets(vs: VirtualService, spec: VirtualServiceEditSpec): RouteSelection {
  const out: RouteSelection = { targets: [], issues: [] };
  httpTargets(vs, listOf(spec.virtualService.routes), out);
  l4Targets(vs, 'tls', listOf(spec.virtualService.tlsRoutes), out);
  l4Targets(vs, 'tcp', listOf(spec.virtualService.tcpRoutes), out);
  return out;
}

function implicitTargets(vs: VirtualService, spec: VirtualServiceEditSpec): RouteSelection {
  const managed = new Set(managedRouteNames(spec));
  const out: RouteSelection = { targets: [], issues: [] };
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    const routes: readonly Record<string, unknown>[] = listOf<Record<string, unknown>>(vs.spec?.[kind]);
    const candidates = routes.flatMap((r, index) =>
      kind === 'http' && typeof r.name === 'string' && managed.has(r.name) ? [] : [index],
    );
    const [first] = candidates;
    if (candidates.length === 1 && first !== undefined) out.targets.push({ kind, index: first });
    if (candidates.length > 1) {
      const field = kind === 'http' ? 'routes' : `${kind}Routes`;
      const message = `VirtualService "${vs.metadata?.name ?? ''}" has ${candidates.length} ${kind.toUpperCase()} routes: list the ones to split in trafficRouting.istio.virtualService.${field}`;
      out.issues.push(issue(vs, 'AmbiguousRoute', `spec.${kind}`, message));
    }
  }
  if (out.targets.length === 0 && out.issues.length === 0) {
    out.issues.push(
      issue(vs, 'RouteNotFound', 'spec', `VirtualService "${vs.metadata?.name ?? ''}" has no route to split`),
    );
  }
  return out;
}

/**
 * Chooses the routes to re-weight. With `routes`/`tlsRoutes`/`tcpRoutes` listed: exactly those (HTTP by
 * name; TLS by port and the same set of SNI hosts; TCP by port; a TLS/TCP route whose matches use several
 * ports never matches). With none listed: for each of http/tls/tcp, the single route of that kind
 * (managed routes aside); several routes of a kind is an `AmbiguousRoute` issue. Targets are unique.
 */
export function selectRoutes(vs: VirtualService, spec: VirtualServiceEditSpec): RouteSelection {
  const v = spec.virtualService;
  const listed = listOf(v.routes).length + listOf(v.tlsRoutes).length + listOf(v.tcpRoutes).length > 0;
  const selection = listed ? listedTargets(vs, spec) : implicitTargets(vs, spec);
  const seen = new Set<string>();
  const targets = selection.targets.filter((t) => {
    const key = `${t.kind}/${t.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { targets, issues: selection.issues };
}
