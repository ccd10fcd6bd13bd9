import type { Rollout } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import {
  applyTrafficToAll,
  type RouterFactory,
  routeIssuesMessage,
  routersOf,
} from '../../traffic/router-set.js';
import type { ApplyTrafficAction } from '../core/actions.js';

/**
 * A traffic router refused to move weights (a route it cannot edit safely). Nothing was written by any
 * router; the pass stops so the planned weights are not recorded in status, and the work queue retries.
 */
export class TrafficRoutingError extends Error {
  constructor(message: string) {
    super(`traffic routing: ${message}`);
    this.name = 'TrafficRoutingError';
  }
}

/**
 * Brings every router of the Rollout to the traffic the plan decided (weights, hashes, header and mirror
 * routes: the action itself), all routers or none; the canary and stable Services are the action's
 * `services` when set (ping-pong roles), else the Rollout's. Decides nothing.
 */
export async function applyTraffic(
  client: KubeClient,
  rollout: Rollout,
  action: ApplyTrafficAction,
  routers: RouterFactory | undefined,
): Promise<void> {
  const { kind: _kind, services, ...desired } = action;
  const result = await applyTrafficToAll(routersOf(routers, client, rollout, services), desired);
  if (result.issues.length > 0) throw new TrafficRoutingError(routeIssuesMessage(result.issues));
}
