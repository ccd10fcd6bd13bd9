import { GATEWAY_API_PLUGIN, type TrafficRouting } from './traffic-routing.js';

/** What a traffic router can do; steps needing a missing capability are refused by validation, never no-op'd. */
export interface RouterCapabilities {
  headerRouting: boolean;
  mirroring: boolean;
  reportsWeight: boolean;
  /**
   * Routes an `experiment` step's template `weight`s to the Experiment's Services (Argo's additional
   * destinations, `TrafficRouter.prepare` receives them in `DesiredTraffic.experimentWeights`).
   */
  experimentWeights: boolean;
}

/** The traffic routers Vireo implements. */
export type TrafficRouterType =
  | 'istio'
  | 'nginx'
  | 'alb'
  | 'smi'
  | 'traefik'
  | 'gatewayAPI'
  | 'ambassador'
  | 'appMesh'
  | 'apisix';

/**
 * The one capability table: validation refuses `setHeaderRoute` / `setMirrorRoute` steps no configured
 * router can carry, and experiment template `weight`s unless every configured router routes them; each
 * router adapter declares (and enforces) its row. Istio splits, routes by header, mirrors and routes
 * experiment weights; NGINX splits by weight only (header canaries go through
 * `additionalIngressAnnotations`; Argo's NGINX router ignores experiment weights); the Gateway API plugin
 * splits and routes by header (mirroring, a RequestMirror filter, and experiment weights are not implemented).
 * ALB splits through the forward action annotation and routes by header (conditions annotations, exact
 * values only); SMI (TrafficSplit) and Traefik (TraefikService) split by weight only. Experiment weights
 * through ALB and SMI (which Argo routes) are not implemented yet: such a step is InvalidSpec. Ambassador (a
 * canary Mapping) and App Mesh (VirtualRouter weights) split only; APISIX splits and routes by header (a
 * managed ApisixRoute per header route), without mirroring, as in Argo.
 */
export const ROUTER_CAPABILITIES: Readonly<Record<TrafficRouterType, Readonly<RouterCapabilities>>> = {
  istio: { headerRouting: true, mirroring: true, reportsWeight: true, experimentWeights: true },
  nginx: { headerRouting: false, mirroring: false, reportsWeight: true, experimentWeights: false },
  alb: { headerRouting: true, mirroring: false, reportsWeight: true, experimentWeights: false },
  smi: { headerRouting: false, mirroring: false, reportsWeight: true, experimentWeights: false },
  traefik: { headerRouting: false, mirroring: false, reportsWeight: true, experimentWeights: false },
  gatewayAPI: { headerRouting: true, mirroring: false, reportsWeight: true, experimentWeights: false },
  ambassador: { headerRouting: false, mirroring: false, reportsWeight: true, experimentWeights: false },
  appMesh: { headerRouting: false, mirroring: false, reportsWeight: true, experimentWeights: false },
  apisix: { headerRouting: true, mirroring: false, reportsWeight: true, experimentWeights: false },
};

/** Where each router is configured in `trafficRouting`, for messages (`plugins["argoproj-labs/gatewayAPI"]`). */
export const ROUTER_FIELDS: Readonly<Record<TrafficRouterType, string>> = {
  istio: 'istio',
  nginx: 'nginx',
  alb: 'alb',
  smi: 'smi',
  traefik: 'traefik',
  gatewayAPI: `plugins["${GATEWAY_API_PLUGIN}"]`,
  ambassador: 'ambassador',
  appMesh: 'appMesh',
  apisix: 'apisix',
};

/**
 * The routers Vireo implements that `routing` configures, in a fixed order (Istio, NGINX, ALB, SMI, Traefik,
 * Gateway API, Ambassador, App Mesh, APISIX).
 */
export function configuredRouterTypes(routing: TrafficRouting | undefined): TrafficRouterType[] {
  if (routing === undefined) return [];
  const types: TrafficRouterType[] = [];
  if (routing.istio !== undefined) types.push('istio');
  if (routing.nginx !== undefined) types.push('nginx');
  if (routing.alb !== undefined) types.push('alb');
  if (routing.smi !== undefined) types.push('smi');
  if (routing.traefik !== undefined) types.push('traefik');
  if (routing.plugins?.[GATEWAY_API_PLUGIN] !== undefined) types.push('gatewayAPI');
  if (routing.ambassador !== undefined) types.push('ambassador');
  if (routing.appMesh !== undefined) types.push('appMesh');
  if (routing.apisix !== undefined) types.push('apisix');
  return types;
}

/** True when at least one router configured in `routing` has `capability`. */
export function routingCan(
  routing: TrafficRouting | undefined,
  capability: keyof RouterCapabilities,
): boolean {
  return configuredRouterTypes(routing).some((type) => ROUTER_CAPABILITIES[type][capability]);
}

/** The routers configured in `routing` that lack `capability`, as configured (e.g. `nginx`); none → []. */
export function routersWithout(
  routing: TrafficRouting | undefined,
  capability: keyof RouterCapabilities,
): string[] {
  return configuredRouterTypes(routing)
    .filter((type) => !ROUTER_CAPABILITIES[type][capability])
    .map((type) => ROUTER_FIELDS[type]);
}

/** The routers with `capability`, as configured in `trafficRouting` (e.g. `istio, plugins["…/gatewayAPI"]`). */
export function routersWith(capability: keyof RouterCapabilities): string {
  const types = Object.keys(ROUTER_CAPABILITIES) as TrafficRouterType[];
  return types
    .filter((type) => ROUTER_CAPABILITIES[type][capability])
    .map((type) => ROUTER_FIELDS[type])
    .join(', ');
}
