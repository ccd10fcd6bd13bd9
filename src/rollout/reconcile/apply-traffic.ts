import { createAnalysisRun, terminateAnalysisRun } from '../../analysis/runs/create-run.js';
import type { Rollout } from '../../api/index.js';
import { CONTROLLER_INSTANCE_LABEL } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { desiredTrafficOf } from '../../traffic/router.js';
import {
  applyTrafficToAll,
  type RouterFactory,
  routeIssuesMessage,
  routersOf,
} from '../../traffic/router-set.js';
import type { ApplyTrafficAction, CreateAnalysisRunAction } from '../core/actions.js';
import { managedRoutesOf } from '../core/managed-routes.js';

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
 * Moves every router of the Rollout to the action's weights and hashes, with the managed header/mirror
 * routes in force for the Rollout's recorded step (all routers or none); the canary and stable Services are
 * the action's `services` when set (ping-pong roles), else the Rollout's.
 */
export async function applyTraffic(
  client: KubeClient,
  rollout: Rollout,
  action: ApplyTrafficAction,
  routers: RouterFactory | undefined,
): Promise<void> {
  const desired = desiredTrafficOf({
    ...managedRoutesOf(rollout),
    canaryWeight: action.canaryWeight,
    maxTrafficWeight: action.canaryWeight + action.stableWeight,
    ...(action.canaryHash ? { canaryHash: action.canaryHash } : {}),
    ...(action.stableHash ? { stableHash: action.stableHash } : {}),
  });
  const result = await applyTrafficToAll(routersOf(routers, client, rollout, action.services), desired);
  if (result.issues.length > 0) throw new TrafficRoutingError(routeIssuesMessage(result.issues));
}

/**
 * Creates the AnalysisRun from its templates, labelled with the Rollout's controller-instance label (so the
 * same controller instance watches it); an existing run of that name counts as done.
 */
export async function startAnalysisRun(
  client: KubeClient,
  rollout: Rollout,
  action: CreateAnalysisRunAction,
): Promise<void> {
  const instance = rollout.metadata.labels?.[CONTROLLER_INSTANCE_LABEL];
  await createAnalysisRun(client, rollout, {
    name: action.name,
    labels: instance ? { ...action.labels, [CONTROLLER_INSTANCE_LABEL]: instance } : action.labels,
    analysis: action.analysis,
    latestHash: action.podTemplateHash,
    stableHash: rollout.status?.stableRS,
  });
}

/** Asks a running AnalysisRun to stop. */
export async function stopAnalysisRun(client: KubeClient, rollout: Rollout, name: string): Promise<void> {
  await terminateAnalysisRun(client, rollout.metadata?.namespace, name);
}
