import {
  GATEWAY_API_PLUGIN,
  type GatewayApiConfig,
  type Rollout,
  type ServiceRoles,
  serviceRolesOf,
  stableSideOf,
} from '../api/index.js';
import type { KubeClient } from '../kube/client.js';
import { GatewayApiTrafficRouter } from './gatewayapi/router.js';
import { IstioTrafficRouter } from './istio/router.js';
import { NginxTrafficRouter } from './nginx/router.js';
import { combineObserved } from './object-edits.js';
import type { ApplyResult, DesiredTraffic, ObservedTraffic, RouteIssue, TrafficRouter } from './router.js';

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

/**
 * The routers of `rollout.spec.strategy.canary.trafficRouting`, in a fixed order: Istio, NGINX, Gateway
 * API (`plugins["argoproj-labs/gatewayAPI"]`). Routers Vireo does not implement (alb, smi, other plugins…)
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
  return [istioRouter(ctx), nginxRouter(ctx), gatewayApiRouter(ctx)].filter(
    (r): r is TrafficRouter => r !== undefined,
  );
}

/**
 * Applies `desired` to every router, all or nothing at the level of route issues: every router first
 * reads and edits its objects (`prepare`, no writes); if any router reports an issue, nothing is written
 * anywhere and all issues are returned (`changed: false`), so a problem in one router never leaves the
 * others at a different weight. Otherwise the routers commit in order. An API failure during commit
 * (e.g. a 409 Conflict because an object changed since it was read) rejects: earlier routers may then
 * already be at the new weight, and the retried pass re-reads everything and converges, since every edit
 * states absolute targets. Route issues never reject.
 */
export async function applyTrafficToAll(
  routers: readonly TrafficRouter[],
  desired: DesiredTraffic,
): Promise<ApplyResult> {
  const staged = await Promise.all(routers.map((r) => r.prepare(desired)));
  const issues = staged.flatMap((s) => s.issues);
  if (issues.length > 0) return { changed: false, issues };
  let changed = false;
  for (const s of staged) changed = (await s.commit()) || changed;
  return { changed, issues: [] };
}

/**
 * Clean-up of every router (all traffic to stable, managed routes and hash labels removed, canary Ingresses
 * deleted), best effort: each router restores what it can, and the issues of all are returned.
 */
export async function cleanupAll(routers: readonly TrafficRouter[]): Promise<ApplyResult> {
  let changed = false;
  const issues: RouteIssue[] = [];
  for (const router of routers) {
    const result = await router.cleanup();
    changed = result.changed || changed;
    issues.push(...result.issues);
  }
  return { changed, issues };
}

/** What all routers report, combined: a weight only when every router agrees on it; issues of all. */
export async function observeAll(routers: readonly TrafficRouter[]): Promise<ObservedTraffic> {
  return combineObserved(await Promise.all(routers.map((r) => r.observe())));
}

/**
 * One line per issue for a Rollout condition message, e.g.
 * `VirtualService "web-vsvc" spec.http[0].route[2].weight: destination "x" has weight 10; …`.
 * No issues → ''.
 */
export function routeIssuesMessage(issues: readonly RouteIssue[]): string {
  return issues.map((i) => `${i.object.kind} "${i.object.name}" ${i.path}: ${i.message}`).join('; ');
}
