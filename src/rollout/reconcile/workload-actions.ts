import type { Rollout } from '../../api/index.js';
import { WORKLOAD_GENERATION_ANNOTATION } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources, WORKLOAD_RESOURCES } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { ScaleDeploymentAction, SetWorkloadGenerationAction } from '../core/actions.js';

/**
 * Sets `spec.replicas` of the referenced Deployment (a merge patch of that one field: an absolute target,
 * so repeating it is harmless). A Deployment deleted meanwhile is left to the next pass (NotFound is done).
 */
async function scaleDeployment(
  client: KubeClient,
  rollout: Rollout,
  action: ScaleDeploymentAction,
): Promise<void> {
  const ref = { namespace: rollout.metadata.namespace, name: action.name };
  const body = { spec: { replicas: action.replicas } };
  await client.patch(WORKLOAD_RESOURCES.Deployment, ref, { type: 'merge', body }).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound')) throw err;
  });
}

/**
 * Writes (or, for `null`, removes) the Rollout's `rollout.argoproj.io/workload-generation` annotation with a
 * merge patch of that one key, so no other metadata or the spec is touched.
 */
async function setWorkloadGeneration(
  client: KubeClient,
  rollout: Rollout,
  action: SetWorkloadGenerationAction,
): Promise<void> {
  const ref = { namespace: rollout.metadata.namespace, name: rollout.metadata.name ?? '' };
  const body = { metadata: { annotations: { [WORKLOAD_GENERATION_ANNOTATION]: action.generation } } };
  await client.patch(Resources.rollouts, ref, { type: 'merge', body });
}

/** Performs one `workloadRef` action (idempotent: both state absolute targets). */
export function executeWorkloadAction(
  client: KubeClient,
  rollout: Rollout,
  action: ScaleDeploymentAction | SetWorkloadGenerationAction,
): Promise<void> {
  return action.kind === 'scaleDeployment'
    ? scaleDeployment(client, rollout, action)
    : setWorkloadGeneration(client, rollout, action);
}
