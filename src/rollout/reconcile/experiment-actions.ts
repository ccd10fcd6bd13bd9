import type { Rollout } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import type { ObjectWrite } from '../../kube/write-expectations.js';
import type {
  CreateExperimentAction,
  DeleteExperimentAction,
  TerminateExperimentAction,
} from '../core/actions.js';

function experimentWrite(verb: ObjectWrite['verb'], name: string, response?: KubeObject): ObjectWrite {
  const resourceVersion = response?.metadata?.resourceVersion;
  return { kind: 'Experiment', verb, name, ...(resourceVersion === undefined ? {} : { resourceVersion }) };
}

/**
 * Creates the Experiment the plan built. An Experiment of that name controlled by this Rollout counts as
 * created (a pass planned from a cache that had not shown it yet); one controlled by anything else is an
 * error naming it, never silently adopted.
 */
export async function createExperiment(
  client: KubeClient,
  rollout: Rollout,
  action: CreateExperimentAction,
): Promise<ObjectWrite> {
  const namespace = rollout.metadata.namespace;
  const name = action.experiment.metadata.name ?? '';
  const body = action.experiment as unknown as KubeObject;
  try {
    return experimentWrite('create', name, await client.create(Resources.experiments, namespace, body));
  } catch (err) {
    if (!isApiError(err, 'AlreadyExists')) throw err;
  }
  const existing = await client.get<KubeObject>(Resources.experiments, namespace, name);
  const controller = existing.metadata?.ownerReferences?.find((ref) => ref.controller);
  if (controller?.uid !== rollout.metadata.uid) {
    throw new Error(
      `Experiment "${name}" already exists and is not controlled by Rollout "${rollout.metadata.name}"`,
    );
  }
  return experimentWrite('create', name);
}

/** Asks a running Experiment to stop (`spec.terminate: true`, as Argo's `experimentutil.Terminate`); one gone is done. */
export async function terminateExperiment(
  client: KubeClient,
  rollout: Rollout,
  action: TerminateExperimentAction,
): Promise<ObjectWrite | undefined> {
  const ref = { namespace: rollout.metadata.namespace, name: action.name };
  const body = { spec: { terminate: true } };
  try {
    return experimentWrite(
      'patch',
      action.name,
      await client.patch(Resources.experiments, ref, { type: 'merge', body }),
    );
  } catch (err) {
    if (!isApiError(err, 'NotFound')) throw err;
    return undefined;
  }
}

/** Deletes an Experiment (its ReplicaSets, Services and AnalysisRuns go with it); one already gone is done. */
export async function deleteExperiment(
  client: KubeClient,
  rollout: Rollout,
  action: DeleteExperimentAction,
): Promise<ObjectWrite> {
  const ref = { namespace: rollout.metadata.namespace, name: action.name };
  await client.delete(Resources.experiments, ref).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound')) throw err;
  });
  return experimentWrite('delete', action.name);
}
