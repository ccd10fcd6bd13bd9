import {
  GATEWAY_API_PLUGIN,
  type GatewayApiConfig,
  type Rollout,
  type ServiceRoles,
  serviceRolesOf,
  stableSideOf,
} from '../api/index.js';
import type { KubeClient } from '../kube/client.js';
import { AmbassadorTrafficRouter } from './ambassador/router.js';
import { ApisixTrafficRouter } from './apisix/router.js';
import { AppMeshTrafficRouter } from './appmesh/router.js';
import { GatewayApiTrafficRouter } from './gatewayapi/router.js';
import { IstioTrafficRouter } from './istio/router.js';
import { NginxTrafficRouter } from './nginx/router.js';
import type { TrafficRouter } from './router.js';

function isGatewayApiConfig(value: unknown): value is GatewayApiConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
 * The routers of `rollout.spec.strategy.canary.trafficRouting`, in a fixed order: Istio, NGINX, Gateway
 * API (`plugins["argoproj-labs/gatewayAPI"]`), Ambassador, App Mesh, APISIX. Routers Vireo does not implement (alb, smi, other plugins…)
 * are not returned: `validateRollout` already reports them as unsupported. No traffic routing → `[]`.
 * The canary and stable destinations are `services` when given (the roles a plan decided), else the roles
 * the Rollout records (`serviceRolesOf`: `canaryService`/`stableService`, or with `pingPong` the side
 * `status.canary.stablePingPong` names). Pure construction: no API call is made here.
 */
export function createTrafficRouters(
  client: KubeClient,
  rollout: Rollout,
  services?: ServiceRoles,
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
  };
  return [
    istioRouter(ctx),
    nginxRouter(ctx),
    gatewayApiRouter(ctx),
    ambassadorRouter(ctx),
    appMeshRouter(ctx),
    apisixRouter(ctx),
  ].filter((r): r is TrafficRouter => r !== undefined);
}
