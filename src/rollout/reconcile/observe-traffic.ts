import type { Issue, Rollout, TrafficRouterType } from '../../api/index.js';
import { ROUTER_FIELDS } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { combineObserved } from '../../traffic/object-edits.js';
import type { RouteIssue } from '../../traffic/router.js';
import { type RouterFactory, routersOf } from '../../traffic/router-set.js';
import { desiredTrafficFor } from '../core/managed-routes.js';
import type { TrafficView } from '../core/snapshot.js';

/**
 * A route issue of the `router` as a `reference` issue of the Rollout: the router's field path
 * (`spec.strategy.canary.trafficRouting.<router>`), the object and its field.
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
  const [seen, staged] = await Promise.all([
    Promise.all(routers.map((r) => r.observe())),
    Promise.all(routers.map((r) => r.prepare(dry))),
  ]);
  const observed = combineObserved(seen);
  const issues = uniqueIssues(
    routers.flatMap((router, i) =>
      [...(seen[i]?.issues ?? []), ...(staged[i]?.issues ?? [])].map((issue) =>
        routeIssueAsReference(issue, router.type),
      ),
    ),
  );
  return {
    ...(observed.canaryWeight === undefined ? {} : { canaryWeight: observed.canaryWeight }),
    ...(observed.stableWeight === undefined ? {} : { stableWeight: observed.stableWeight }),
    drifted: staged.some((s) => s.pendingWrites > 0),
    issues,
  };
}
