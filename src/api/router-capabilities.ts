import { GATEWAY_API_PLUGIN, type TrafficRouting } from './traffic-routing.js';

/** What a traffic router can do; steps needing a missing capability are refused by validation, never no-op'd. */
export interface RouterCapabilities {
  headerRouting: boolean;
  mirroring: boolean;
  reportsWeight: boolean;
}

/** The traffic routers Vireo implements. */
export type TrafficRouterType = 'istio' | 'nginx' | 'gatewayAPI' | 'ambassador' | 'appMesh' | 'apisix';

/**
 * The one capability table: validation refuses `setHeaderRoute` / `setMirrorRoute` steps no configured
 * router can carry, and each router adapter declares (and enforces) its row. Istio splits, routes by header
 * and mirrors; NGINX splits by weight only (header canaries go through `additionalIngressAnnotations`); the
 * Gateway API plugin splits and routes by header (mirroring, a RequestMirror filter, is not implemented).
 * Ambassador (a canary Mapping) and App Mesh (VirtualRouter weights) split only; APISIX splits and routes by
 * header (a managed ApisixRoute per header route), without mirroring, as in Argo.
 */
export const ROUTER_CAPABILITIES: Readonly<Record<TrafficRouterType, Readonly<RouterCapabilities>>> = {
  istio: { headerRouting: true, mirroring: true, reportsWeight: true },
  nginx: { headerRouting: false, mirroring: false, reportsWeight: true },
  gatewayAPI: { headerRouting: true, mirroring: false, reportsWeight: true },
  ambassador: { headerRouting: false, mirroring: false, reportsWeight: true },
  appMesh: { headerRouting: false, mirroring: false, reportsWeight: true },
  apisix: { headerRouting: true, mirroring: false, reportsWeight: true },
};

/** Where each router is configured in `trafficRouting`, for messages (`plugins["argoproj-labs/gatewayAPI"]`). */
export const ROUTER_FIELDS: Readonly<Record<TrafficRouterType, string>> = {
  istio: 'istio',
  nginx: 'nginx',
  gatewayAPI: `plugins["${GATEWAY_API_PLUGIN}"]`,
  ambassador: 'ambassador',
  appMesh: 'appMesh',
  apisix: 'apisix',
};

/**
 * The routers Vireo implements that `routing` configures, in a fixed order (Istio, NGINX, Gateway API,
 * Ambassador, App Mesh, APISIX).
 */
export function configuredRouterTypes(routing: TrafficRouting | undefined): TrafficRouterType[] {
  if (routing === undefined) return [];
  const types: TrafficRouterType[] = [];
  if (routing.istio !== undefined) types.push('istio');
  if (routing.nginx !== undefined) types.push('nginx');
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

/** The routers with `capability`, as configured in `trafficRouting` (e.g. `istio, plugins["…/gatewayAPI"]`). */
export function routersWith(capability: keyof RouterCapabilities): string {
  const types = Object.keys(ROUTER_CAPABILITIES) as TrafficRouterType[];
  return types
    .filter((type) => ROUTER_CAPABILITIES[type][capability])
    .map((type) => ROUTER_FIELDS[type])
    .join(', ');
}
