import { GATEWAY_API_PLUGIN, type TrafficRouting } from './traffic-routing.js';

/** What a traffic router can do; steps needing a missing capability are refused by validation, never no-op'd. */
export interface RouterCapabilities {
  headerRouting: boolean;
  mirroring: boolean;
  reportsWeight: boolean;
}

/** The traffic routers Vireo implements. */
export type TrafficRouterType = 'istio' | 'nginx' | 'alb' | 'smi' | 'traefik' | 'gatewayAPI';

/**
 * The one capability table: validation refuses `setHeaderRoute` / `setMirrorRoute` steps no configured
 * router can carry, and each router adapter declares (and enforces) its row. Istio splits, routes by header
 * and mirrors; NGINX splits by weight only (header canaries go through `additionalIngressAnnotations`); the
 * Gateway API plugin splits and routes by header (mirroring, a RequestMirror filter, is not implemented).
 * ALB splits through the forward action annotation and routes by header (conditions annotations, exact
 * values only); SMI (TrafficSplit) and Traefik (TraefikService) split by weight only, as in Argo.
 */
export const ROUTER_CAPABILITIES: Readonly<Record<TrafficRouterType, Readonly<RouterCapabilities>>> = {
  istio: { headerRouting: true, mirroring: true, reportsWeight: true },
  nginx: { headerRouting: false, mirroring: false, reportsWeight: true },
  alb: { headerRouting: true, mirroring: false, reportsWeight: true },
  smi: { headerRouting: false, mirroring: false, reportsWeight: true },
  traefik: { headerRouting: false, mirroring: false, reportsWeight: true },
  gatewayAPI: { headerRouting: true, mirroring: false, reportsWeight: true },
};

/** Where each router is configured in `trafficRouting`, for messages (`plugins["argoproj-labs/gatewayAPI"]`). */
export const ROUTER_FIELDS: Readonly<Record<TrafficRouterType, string>> = {
  istio: 'istio',
  nginx: 'nginx',
  alb: 'alb',
  smi: 'smi',
  traefik: 'traefik',
  gatewayAPI: `plugins["${GATEWAY_API_PLUGIN}"]`,
};

/** The routers Vireo implements that `routing` configures, in a fixed order (Istio, NGINX, ALB, SMI, Traefik, Gateway API). */
export function configuredRouterTypes(routing: TrafficRouting | undefined): TrafficRouterType[] {
  if (routing === undefined) return [];
  const types: TrafficRouterType[] = [];
  if (routing.istio !== undefined) types.push('istio');
  if (routing.nginx !== undefined) types.push('nginx');
  if (routing.alb !== undefined) types.push('alb');
  if (routing.smi !== undefined) types.push('smi');
  if (routing.traefik !== undefined) types.push('traefik');
  if (routing.plugins?.[GATEWAY_API_PLUGIN] !== undefined) types.push('gatewayAPI');
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
