import type { Rollout, ServiceRoles } from '../api/index.js';
import type { KubeClient } from '../kube/client.js';
import type { DesiredTraffic } from './desired-traffic.js';
import { combineObserved } from './object-edits.js';
import type { ApplyResult, CleanupOptions, ObservedTraffic, RouteIssue, TrafficRouter } from './router.js';

/**
 * Builds the router adapters of a Rollout (`createTrafficRouters` in production, composed in `main.ts`): the
 * port through which reconcilers reach concrete routers without importing them. `services` (the canary and
 * stable roles a plan decided) overrides the roles the Rollout records.
 */
export type RouterFactory = (
  client: KubeClient,
  rollout: Rollout,
  services?: ServiceRoles,
) => TrafficRouter[];

/**
 * The routers of `rollout` built by `factory`; none without traffic routing. Throws when the Rollout
 * routes traffic but no factory was given (a controller wired without routers), never silently routing nothing.
 */
export function routersOf(
  factory: RouterFactory | undefined,
  client: KubeClient,
  rollout: Rollout,
  services?: ServiceRoles,
): TrafficRouter[] {
  if (rollout.spec.strategy.canary?.trafficRouting === undefined) return [];
  if (factory === undefined) throw new Error('traffic routing is configured but no router factory was wired');
  return factory(client, rollout, services);
}

/** An `Unsupported` issue for each router handed experiment weights it cannot route (never silently dropped). */
function experimentWeightIssues(routers: readonly TrafficRouter[], desired: DesiredTraffic): RouteIssue[] {
  if ((desired.experimentWeights ?? []).length === 0) return [];
  return routers
    .filter((router) => !router.capabilities.experimentWeights)
    .map((router) => ({
      reason: 'Unsupported' as const,
      object: { kind: router.type, name: router.type },
      path: 'experimentWeights',
      message: `the ${router.type} router cannot route experiment template weights`,
    }));
}

/**
 * Applies `desired` to every router, all or nothing at the level of route issues: a router handed experiment
 * weights without `capabilities.experimentWeights` is an issue before anything is read; every router first
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
  const refused = experimentWeightIssues(routers, desired);
  if (refused.length > 0) return { changed: false, issues: refused };
  const staged = await Promise.all(routers.map((r) => r.prepare(desired)));
  const issues = staged.flatMap((s) => s.issues);
  if (issues.length > 0) return { changed: false, issues };
  let changed = false;
  for (const s of staged) changed = (await s.commit()) || changed;
  return { changed, issues: [] };
}

/**
 * Clean-up of every router (all traffic to stable, managed routes, hash labels and the experiment
 * destinations `options` names removed, canary Ingresses deleted), best effort: each router restores what it
 * can, and the issues of all are returned.
 */
export async function cleanupAll(
  routers: readonly TrafficRouter[],
  options: CleanupOptions = {},
): Promise<ApplyResult> {
  let changed = false;
  const issues: RouteIssue[] = [];
  for (const router of routers) {
    const result = await router.cleanup(options);
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
