import {
  GATEWAY_API_PLUGIN,
  type GatewayApiConfig,
  type Rollout,
  type ServiceRoles,
  serviceRolesOf,
  stableSideOf,
} from '../api/index.js';
import { type KubeClient, Resources, type ResourceType } from '../kube/client.js';
import { AlbTrafficRouter } from './alb/router.js';
import { AmbassadorTrafficRouter } from './ambassador/router.js';
import { ApisixTrafficRouter } from './apisix/router.js';
import { AppMeshTrafficRouter } from './appmesh/router.js';
import { GatewayApiTrafficRouter } from './gatewayapi/router.js';
import { IstioTrafficRouter } from './istio/router.js';
import { NginxTrafficRouter } from './nginx/router.js';
import type { TrafficRouter } from './router.js';
import { SmiTrafficRouter } from './smi/router.js';
import { TraefikTrafficRouter } from './traefik/router.js';

/**
 * Controller-wide router settings: the collections whose API version (or group) a flag chooses, as Argo's
 * `--traffic-split-api-version`, `--traefik-api-group` and `--traefik-api-version` do.
 */
export interface RouterSettings {
  trafficSplits: ResourceType;
  traefikServices: ResourceType;
}

/** Argo's defaults: TrafficSplit `split.smi-spec.io/v1alpha1`, TraefikService `traefik.io/v1alpha1`. */
export const DEFAULT_ROUTER_SETTINGS: RouterSettings = {
  trafficSplits: Resources.trafficSplits,
  traefikServices: Resources.traefikServices,
};

function isGatewayApiConfig(value: unknown): value is GatewayApiConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The router settings of the controller's flags (`--traffic-split-api-version`, `--traefik-api-group`/`-version`). */
export function routerSettingsOf(flags: {
  trafficSplitApiVersion: string;
  traefikApiGroup: string;
  traefikApiVersion: string;
}): RouterSettings {
  const { trafficSplitApiVersion, traefikApiGroup, traefikApiVersion } = flags;
  return {
    trafficSplits: { ...Resources.trafficSplits, version: trafficSplitApiVersion },
    traefikServices: { ...Resources.traefikServices, group: traefikApiGroup, version: traefikApiVersion },
  };
}

type Canary = NonNullable<Rollout['spec']['strategy']['canary']>;
type Routing = NonNullable<Canary['trafficRouting']>;

interface RouterContext {
  client: KubeClient;
  name: string;
  namespace: string;
  uid: string;
  routing: Routing;
  /** The Services in the stable and canary roles (ping/pong by the recorded side, or the plan's). */
  services: ServiceRoles;
  settings: RouterSettings;
}

function istioRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, services, routing } = ctx;
  if (routing.istio === undefined) return undefined;
  return new IstioTrafficRouter({
    client,
    rolloutName: name,
    namespace,
    istio: routing.istio,
    ...services,
    ...(routing.managedRoutes === undefined ? {} : { managedRoutes: routing.managedRoutes }),
  });
}

function nginxRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, uid, services, routing } = ctx;
  if (routing.nginx === undefined) return undefined;
  return new NginxTrafficRouter({
    client,
    rollout: { name, namespace, uid },
    nginx: routing.nginx,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
  });
}

function albRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, services, routing } = ctx;
  if (routing.alb === undefined) return undefined;
  return new AlbTrafficRouter({
    client,
    rolloutName: name,
    namespace,
    alb: routing.alb,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
    ...(routing.managedRoutes === undefined ? {} : { managedRoutes: routing.managedRoutes }),
  });
}

function smiRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, uid, services, routing, settings } = ctx;
  if (routing.smi === undefined) return undefined;
  return new SmiTrafficRouter({
    client,
    rollout: { name, namespace, uid },
    smi: routing.smi,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
    resource: settings.trafficSplits,
  });
}

function traefikRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, namespace, services, routing, settings } = ctx;
  if (routing.traefik === undefined) return undefined;
  return new TraefikTrafficRouter({
    client,
    namespace,
    traefik: routing.traefik,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
    resource: settings.traefikServices,
  });
}

function gatewayApiRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, namespace, services, routing } = ctx;
  const config = routing.plugins?.[GATEWAY_API_PLUGIN];
  if (!isGatewayApiConfig(config)) return undefined;
  return new GatewayApiTrafficRouter({
    client,
    namespace,
    config,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
    ...(routing.managedRoutes === undefined ? {} : { managedRoutes: routing.managedRoutes }),
  });
}

function ambassadorRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, uid, services, routing } = ctx;
  if (routing.ambassador === undefined) return undefined;
  return new AmbassadorTrafficRouter({
    client,
    rollout: { name, namespace, uid },
    ambassador: routing.ambassador,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
  });
}

function appMeshRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, routing } = ctx;
  if (routing.appMesh === undefined) return undefined;
  return new AppMeshTrafficRouter({ client, rolloutName: name, namespace, appMesh: routing.appMesh });
}

function apisixRouter(ctx: RouterContext): TrafficRouter | undefined {
  const { client, name, namespace, uid, services, routing } = ctx;
  if (routing.apisix === undefined) return undefined;
  return new ApisixTrafficRouter({
    client,
    rollout: { name, namespace, uid },
    apisix: routing.apisix,
    canaryService: services.canaryService ?? '',
    stableService: services.stableService ?? '',
    ...(routing.managedRoutes === undefined ? {} : { managedRoutes: routing.managedRoutes }),
  });
}

/**
 * The routers of `rollout.spec.strategy.canary.trafficRouting`, in a fixed order (Argo's): Istio, NGINX,
 * ALB, SMI, Traefik, Gateway API (`plugins["argoproj-labs/gatewayAPI"]`), Ambassador, App Mesh, APISIX.
 * Routers Vireo does not implement (other plugins…) are not returned: `validateRollout` already reports
 * them as unsupported. No traffic routing → `[]`. `settings` are the controller's (default Argo's API versions).
 * The canary and stable destinations are `services` when given (the roles a plan decided), else the roles
 * the Rollout records (`serviceRolesOf`: `canaryService`/`stableService`, or with `pingPong` the side
 * `status.canary.stablePingPong` names). Pure construction: no API call is made here.
 */
export function createTrafficRouters(
  client: KubeClient,
  rollout: Rollout,
  services?: ServiceRoles,
  settings: RouterSettings = DEFAULT_ROUTER_SETTINGS,
): TrafficRouter[] {
  const canary = rollout.spec.strategy.canary;
  const routing = canary?.trafficRouting;
  if (canary === undefined || routing === undefined) return [];
  const ctx: RouterContext = {
    client,
    name: rollout.metadata?.name ?? '',
    namespace: rollout.metadata?.namespace ?? 'default',
    uid: rollout.metadata?.uid ?? '',
    routing,
    services: services ?? serviceRolesOf(canary, stableSideOf(rollout.status)),
    settings,
  };
  const routers = [
    istioRouter(ctx),
    nginxRouter(ctx),
    albRouter(ctx),
    smiRouter(ctx),
    traefikRouter(ctx),
    gatewayApiRouter(ctx),
    ambassadorRouter(ctx),
    appMeshRouter(ctx),
    apisixRouter(ctx),
  ];
  return routers.filter((r): r is TrafficRouter => r !== undefined);
}
