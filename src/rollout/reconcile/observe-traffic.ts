import type { Issue, Rollout, TrafficRouterType } from '../../api/index.js';
import { ROUTER_FIELDS } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { combineObserved } from '../../traffic/object-edits.js';
import type { RouteIssue, TrafficRouter } from '../../traffic/router.js';
import { type RouterFactory, routersOf } from '../../traffic/router-set.js';
import { desiredTrafficFor } from '../core/managed-routes.js';
import type { TrafficView } from '../core/snapshot.js';

/**
 * A route issue of the router `router` as a `reference` issue of the Rollout: the router's field path
 * (`spec.strategy.canary.trafficRouting.<ROUTER_FIELDS[router]>`), the object and its field.
 */
export function routeIssueAsReference(issue: RouteIssue, router: TrafficRouterType): Issue {
  const { kind, name, namespace } = issue.object;
  const where = namespace === undefined ? name : `${namespace}/${name}`;
  const message =
    issue.reason === 'ObjectNotFound' ? issue.message : `${kind} "${where}" ${issue.path}: ${issue.message}`;
  return { path: `spec.strategy.canary.trafficRouting.${ROUTER_FIELDS[router]}`, message, kind: 'reference' };
}

function uniqueIssues(issues: readonly Issue[]): Issue[] {
  const seen = new Map<string, Issue>();
  for (const issue of issues) seen.set(`${issue.path}|${issue.message}`, issue);
  return [...seen.values()];
}

/** What one router shows, whether the dry edit would write, and its issues mapped to its field path. */
async function observeOne(router: TrafficRouter, dry: ReturnType<typeof desiredTrafficFor>) {
  const [observed, staged] = await Promise.all([router.observe(), router.prepare(dry)]);
  const issues = [...observed.issues, ...staged.issues].map((i) => routeIssueAsReference(i, router.type));
  return { observed, drifted: staged.pendingWrites > 0, issues };
}

/**
 * What the Rollout's routers show now, read through `reader` (caches in production): the weights every
 * router agrees on; whether a dry edit to the traffic `status.canary.weights` records would write anything
 * (`drifted`: a weight, pod-hash label or canary Ingress was changed by hand); and the issues that would
 * stop an edit (missing objects or routes, missing destinations, a third weighted destination…). No traffic
 * routing → undefined. Writes nothing.
 */
export async function observeTraffic(
  reader: KubeClient,
  rollout: Rollout,
  factory: RouterFactory | undefined,
): Promise<TrafficView | undefined> {
  const routers = routersOf(factory, reader, rollout);
  if (routers.length === 0) return undefined;
  const dry = desiredTrafficFor(rollout, rollout.status?.canary?.weights);
  const each = await Promise.all(routers.map((r) => observeOne(r, dry)));
  const observed = combineObserved(each.map((e) => e.observed));
  return {
    ...(observed.canaryWeight === undefined ? {} : { canaryWeight: observed.canaryWeight }),
    ...(observed.stableWeight === undefined ? {} : { stableWeight: observed.stableWeight }),
    drifted: each.some((e) => e.drifted),
    issues: uniqueIssues(each.flatMap((e) => e.issues)),
  };
}
