import { z } from 'zod';
import { preserveUnknown, StringMapSchema } from './primitives.js';

/** A TLS route of an Istio VirtualService, matched by port and SNI hosts. */
export const TlsRouteSchema = z.object({
  port: z.int().optional(),
  sniHosts: z.array(z.string()).optional(),
});

/** A TCP route of an Istio VirtualService, matched by port. */
export const TcpRouteSchema = z.object({ port: z.int().optional() });

/** One Istio VirtualService the controller edits. `name` may be `name.namespace`. */
export const IstioVirtualServiceSchema = z.object({
  name: z.string(),
  routes: z.array(z.string()).optional(),
  tlsRoutes: z.array(TlsRouteSchema).optional(),
  tcpRoutes: z.array(TcpRouteSchema).optional(),
});
export type IstioVirtualService = z.infer<typeof IstioVirtualServiceSchema>;

/** Istio subset-level split: the DestinationRule whose subsets get the canary and stable pod hashes. */
export const IstioDestinationRuleSchema = z.object({
  name: z.string(),
  canarySubsetName: z.string(),
  stableSubsetName: z.string(),
  additionalSubsetNames: z.array(z.string()).optional(),
});

/** Istio traffic routing: `virtualService` or `virtualServices` (one of them), optional DestinationRule. */
export const IstioTrafficRoutingSchema = z.object({
  virtualService: IstioVirtualServiceSchema.optional(),
  virtualServices: z.array(IstioVirtualServiceSchema).optional(),
  destinationRule: IstioDestinationRuleSchema.optional(),
});
export type IstioTrafficRouting = z.infer<typeof IstioTrafficRoutingSchema>;

/** NGINX Ingress traffic routing: `stableIngress` or `stableIngresses` (one of them). */
export const NginxTrafficRoutingSchema = z.object({
  annotationPrefix: z.string().optional(),
  stableIngress: z.string().optional(),
  stableIngresses: z.array(z.string()).optional(),
  additionalIngressAnnotations: StringMapSchema.optional(),
  canaryIngressAnnotations: StringMapSchema.optional(),
});
export type NginxTrafficRouting = z.infer<typeof NginxTrafficRoutingSchema>;

/** ALB `stickinessConfig`: duration-based stickiness of the forward action's target groups. */
export const AlbStickinessConfigSchema = z.object({
  enabled: z.boolean(),
  durationSeconds: z.int(),
});

/**
 * AWS Load Balancer Controller traffic routing: `ingress` or `ingresses` (one of them), the `servicePort`
 * the forward action targets, `rootService` (the backend whose action annotation is written; default
 * `stableService`), `annotationPrefix` (default `alb.ingress.kubernetes.io`) and `stickinessConfig`.
 */
export const AlbTrafficRoutingSchema = z.object({
  ingress: z.string().optional(),
  ingresses: z.array(z.string()).optional(),
  servicePort: z.int32(),
  rootService: z.string().optional(),
  annotationPrefix: z.string().optional(),
  stickinessConfig: AlbStickinessConfigSchema.optional(),
});
export type AlbTrafficRouting = z.infer<typeof AlbTrafficRoutingSchema>;

/** SMI traffic routing: the TrafficSplit (default: the Rollout's name) and its root Service (default `stableService`). */
export const SmiTrafficRoutingSchema = z.object({
  rootService: z.string().optional(),
  trafficSplitName: z.string().optional(),
});
export type SmiTrafficRouting = z.infer<typeof SmiTrafficRoutingSchema>;

/** Traefik traffic routing: the TraefikService whose `spec.weighted.services` carry the split. */
export const TraefikTrafficRoutingSchema = z.object({
  weightedTraefikServiceName: z.string(),
});
export type TraefikTrafficRouting = z.infer<typeof TraefikTrafficRoutingSchema>;
/** Ambassador traffic routing: the Mappings Vireo derives a `<mapping>-canary` Mapping from. */
export const AmbassadorTrafficRoutingSchema = z.object({ mappings: z.array(z.string()) });
export type AmbassadorTrafficRouting = z.infer<typeof AmbassadorTrafficRoutingSchema>;

/** An App Mesh VirtualService whose VirtualRouter routes (all, or those named) are re-weighted. */
export const AppMeshVirtualServiceSchema = z.object({
  name: z.string(),
  routes: z.array(z.string()).optional(),
});

/** A reference to an App Mesh VirtualNode in the Rollout's namespace. */
export const AppMeshVirtualNodeReferenceSchema = z.object({ name: z.string() });

/** The canary and stable VirtualNodes whose pod selectors get the ReplicaSets' pod-template hashes. */
export const AppMeshVirtualNodeGroupSchema = z.object({
  canaryVirtualNodeRef: AppMeshVirtualNodeReferenceSchema,
  stableVirtualNodeRef: AppMeshVirtualNodeReferenceSchema,
});

/** AWS App Mesh traffic routing (`appmesh.k8s.aws/v1beta2`). */
export const AppMeshTrafficRoutingSchema = z.object({
  virtualService: AppMeshVirtualServiceSchema.optional(),
  virtualNodeGroup: AppMeshVirtualNodeGroupSchema.optional(),
});
export type AppMeshTrafficRouting = z.infer<typeof AppMeshTrafficRoutingSchema>;

/** The ApisixRoute Vireo re-weights, and its HTTP rules (default: the rule named like the route). */
export const ApisixRouteSchema = z.object({
  name: z.string(),
  rules: z.array(z.string()).optional(),
});

/** Apache APISIX traffic routing (`apisix.apache.org/v2` ApisixRoute). */
export const ApisixTrafficRoutingSchema = z.object({ route: ApisixRouteSchema.optional() });
export type ApisixTrafficRouting = z.infer<typeof ApisixTrafficRoutingSchema>;

/** A route the controller owns (created for setHeaderRoute / setMirrorRoute). Order sets precedence. */
export const ManagedRouteSchema = z.object({ name: z.string() });

/**
 * `trafficRouting`. Routers Vireo does not implement are still part of the schema (opaque objects), so the
 * API server keeps them and validation reports them as unsupported instead of silently dropping them.
 */
export const TrafficRoutingSchema = z.object({
  istio: IstioTrafficRoutingSchema.optional(),
  nginx: NginxTrafficRoutingSchema.optional(),
  plugins: z.record(z.string(), preserveUnknown()).optional(),
  managedRoutes: z.array(ManagedRouteSchema).optional(),
  maxTrafficWeight: z.int32().optional(),
  alb: AlbTrafficRoutingSchema.optional(),
  smi: SmiTrafficRoutingSchema.optional(),
  ambassador: AmbassadorTrafficRoutingSchema.optional(),
  appMesh: AppMeshTrafficRoutingSchema.optional(),
  traefik: TraefikTrafficRoutingSchema.optional(),
  apisix: ApisixTrafficRoutingSchema.optional(),
});
export type TrafficRouting = z.infer<typeof TrafficRoutingSchema>;

/** Every router key of `trafficRouting` (supported or not); `plugins` is keyed further by plugin name. */
export const TRAFFIC_ROUTER_KEYS = [
  'istio',
  'nginx',
  'plugins',
  'alb',
  'smi',
  'ambassador',
  'appMesh',
  'traefik',
  'apisix',
] as const;
export type TrafficRouterKey = (typeof TRAFFIC_ROUTER_KEYS)[number];

/** Name under which manifests written for Argo configure the Gateway API plugin. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** One HTTPRoute of the Gateway API plugin config. */
export const GatewayApiHttpRouteSchema = z.object({
  name: z.string(),
  useHeaderRoutes: z.boolean().optional(),
});

/**
 * Config of `trafficRouting.plugins["argoproj-labs/gatewayAPI"]`, the same shape as Argo's Gateway API
 * plugin: `httpRoute` or `httpRoutes`, optional `namespace` (default: the Rollout's) and `configMap`.
 * Unknown keys are kept so validation can report the plugin features Vireo does not implement.
 */
export const GatewayApiConfigSchema = z.looseObject({
  httpRoute: z.string().optional(),
  httpRoutes: z.array(GatewayApiHttpRouteSchema).optional(),
  namespace: z.string().optional(),
  configMap: z.string().optional(),
});
export type GatewayApiConfig = z.infer<typeof GatewayApiConfigSchema>;
