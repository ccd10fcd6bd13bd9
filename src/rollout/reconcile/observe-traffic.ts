import type { Issue, Rollout } from '../../api/index.js';
import { GATEWAY_API_PLUGIN } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import type { RouteIssue } from '../../traffic/router.js';
import { observeAll, type RouterFactory, routersOf } from '../../traffic/router-set.js';
import { desiredTrafficFor } from '../core/managed-routes.js';
import type { TrafficView } from '../core/snapshot.js';

function routerPath(kind: string): string {
  const base = 'spec.strategy.canary.trafficRouting';
  if (kind === 'Ingress') return `${base}.nginx`;
  if (kind === 'HTTPRoute') return `${base}.plugins["${GATEWAY_API_PLUGIN}"]`;
  return `${base}.istio`;
}

/** A route issue as a `reference` issue of the Rollout: the router's field path, the object and its field. */
export function routeIssueAsReference(issue: RouteIssue): Issue {
  const { kind, name, namespace } = issue.object;
  const where = namespace === undefined ? name : `${namespace}/${name}`;
  const message =
    issue.reason === 'ObjectNotFound' ? issue.message : `${kind} "${where}" ${issue.path}: ${issue.message}`;
  return { path: routerPath(kind), message, kind: 'reference' };
}

function uniqueIssues(issues: readonly RouteIssue[]): Issue[] {
  const seen = new Map<string, Issue>();
  for (const issue of issues.map(routeIssueAsReference)) seen.set(`${issue.path}|${issue.message}`, issue);
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
  const [observed, staged] = await Promise.all([
    observeAll(routers),
    Promise.all(routers.map((r) => r.prepare(dry))),
  ]);
  const issues = uniqueIssues([...observed.issues, ...staged.flatMap((s) => s.issues)]);
  return {
    ...(observed.canaryWeight === undefined ? {} : { canaryWeight: observed.canaryWeight }),
    ...(observed.stableWeight === undefined ? {} : { stableWeight: observed.stableWeight }),
    drifted: staged.some((s) => s.pendingWrites > 0),
    issues,
  };
}
