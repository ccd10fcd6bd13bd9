import { deleteAnalysisRun } from '../../analysis/runs/create-run.js';
import type { Rollout } from '../../api/index.js';
import {
  EPHEMERAL_METADATA_ANNOTATION,
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
} from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import type { KubeObject, OwnerReference } from '../../kube/types.js';
import type { ObjectWrite } from '../../kube/write-expectations.js';
import type { RouterFactory } from '../../traffic/router-set.js';
import type {
  CreateReplicaSetAction,
  RolloutAction,
  ScaleReplicaSetAction,
  SetServiceSelectorAction,
  SyncEphemeralMetadataAction,
} from '../core/actions.js';
import { startAnalysisRun, stopAnalysisRun } from './analysis-run-actions.js';
import { applyTraffic } from './apply-traffic.js';
import { createExperiment, deleteExperiment, terminateExperiment } from './experiment-actions.js';
import { executeWorkloadAction } from './workload-actions.js';

/** The ports the executor acts through. */
export interface ExecutorPorts {
  client: KubeClient;
  events: EventRecorder;
  /** The traffic routers (absent: none; a traffic action then fails). */
  routers?: RouterFactory;
}

function ownerReference(rollout: Rollout): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.metadata?.name ?? '',
    uid: rollout.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The write of ReplicaSet `name` as the API server answered it (`response` absent: no object returned). */
function replicaSetWrite(verb: ObjectWrite['verb'], name: string, response?: KubeObject): ObjectWrite {
  const meta = response?.metadata;
  return {
    kind: 'ReplicaSet',
    verb,
    name,
    ...(meta?.generation === undefined ? {} : { generation: meta.generation }),
    ...(meta?.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
  };
}

async function createReplicaSet(
  ports: ExecutorPorts,
  rollout: Rollout,
  a: CreateReplicaSetAction,
): Promise<ObjectWrite> {
  const namespace = rollout.metadata?.namespace;
  const template = {
    ...a.template,
    metadata: {
      ...a.template.metadata,
      labels: { ...a.template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: a.podTemplateHash },
    },
  };
  const body: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: a.name,
      namespace,
      labels: a.labels,
      annotations: a.annotations,
      ownerReferences: [ownerReference(rollout)],
    },
    spec: { replicas: a.replicas, minReadySeconds: a.minReadySeconds, selector: a.selector, template },
  } as KubeObject;
  const created = await ports.client.create(Resources.replicaSets, namespace, body).catch((err: unknown) => {
    if (!isApiError(err, 'AlreadyExists')) throw err;
    return undefined;
  });
  return replicaSetWrite('create', a.name, created);
}

async function scaleReplicaSet(
  ports: ExecutorPorts,
  namespace: string | undefined,
  a: ScaleReplicaSetAction,
): Promise<ObjectWrite> {
  const minReady = a.minReadySeconds === undefined ? {} : { minReadySeconds: a.minReadySeconds };
  const body = {
    spec: { replicas: a.replicas, ...minReady },
    ...(a.annotations ? { metadata: { annotations: a.annotations } } : {}),
  };
  const ref = { namespace, name: a.name };
  const patched = await ports.client.patch(Resources.replicaSets, ref, { type: 'merge', body });
  return replicaSetWrite('patch', a.name, patched);
}

/** Points the Service at the ReplicaSet and, in the same patch, marks it managed by this Rollout (as Argo). */
async function setServiceSelector(
  ports: ExecutorPorts,
  rollout: Rollout,
  a: SetServiceSelectorAction,
): Promise<void> {
  const body = {
    metadata: { annotations: { [MANAGED_BY_ANNOTATION]: rollout.metadata?.name ?? '' } },
    spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: a.podTemplateHash } },
  };
  const ref = { namespace: rollout.metadata?.namespace, name: a.service };
  await ports.client.patch(Resources.services, ref, { type: 'merge', body });
}

async function deleteReplicaSet(
  ports: ExecutorPorts,
  namespace: string | undefined,
  name: string,
): Promise<ObjectWrite> {
  await ports.client.delete(Resources.replicaSets, { namespace, name }).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound')) throw err;
  });
  return replicaSetWrite('delete', name);
}

async function deletePod(
  ports: ExecutorPorts,
  namespace: string | undefined,
  a: { name: string; uid: string },
): Promise<void> {
  const opts = { preconditions: { uid: a.uid } };
  await ports.client.delete(Resources.pods, { namespace, name: a.name }, opts).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound') && !isApiError(err, 'Conflict')) throw err;
  });
}

function metadataPatch(a: SyncEphemeralMetadataAction): object {
  const unset = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, null]));
  return {
    labels: { ...unset(a.removeLabels), ...a.labels },
    annotations: { ...unset(a.removeAnnotations), ...a.annotations },
  };
}

async function syncEphemeralMetadata(
  ports: ExecutorPorts,
  namespace: string | undefined,
  a: SyncEphemeralMetadataAction,
): Promise<ObjectWrite> {
  const metadata = metadataPatch(a);
  const rs = { namespace, name: a.name };
  await ports.client.patch(Resources.replicaSets, rs, {
    type: 'merge',
    body: { spec: { template: { metadata } } },
  });
  const selector = `${POD_TEMPLATE_HASH_LABEL}=${a.podTemplateHash}`;
  const pods = await ports.client.list(Resources.pods, namespace, { labelSelector: selector });
  for (const pod of pods.items) {
    const owned = pod.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === a.name);
    if (!owned || pod.metadata?.deletionTimestamp) continue;
    const ref = { namespace, name: pod.metadata?.name ?? '' };
    await ports.client
      .patch(Resources.pods, ref, { type: 'merge', body: { metadata } })
      .catch((err: unknown) => {
        if (!isApiError(err, 'NotFound')) throw err;
      });
  }
  const record = { metadata: { annotations: { [EPHEMERAL_METADATA_ANNOTATION]: a.record } } };
  const patched = await ports.client.patch(Resources.replicaSets, rs, { type: 'merge', body: record });
  return replicaSetWrite('patch', a.name, patched);
}

type Kind = RolloutAction['kind'];
type ActionOf<K extends Kind> = Extract<RolloutAction, { kind: K }>;
type Handler<K extends Kind> = (
  ports: ExecutorPorts,
  rollout: Rollout,
  action: ActionOf<K>,
) => Promise<ObjectWrite | undefined>;

const ns = (rollout: Rollout) => rollout.metadata?.namespace;
const none = async (work: Promise<unknown>): Promise<undefined> => {
  await work;
  return undefined;
};

const HANDLERS: { [K in Kind]: Handler<K> } = {
  createReplicaSet: createReplicaSet,
  scaleReplicaSet: (ports, rollout, a) => scaleReplicaSet(ports, ns(rollout), a),
  deleteReplicaSet: (ports, rollout, a) => deleteReplicaSet(ports, ns(rollout), a.name),
  syncEphemeralMetadata: (ports, rollout, a) => syncEphemeralMetadata(ports, ns(rollout), a),
  deletePod: (ports, rollout, a) => none(deletePod(ports, ns(rollout), a)),
  setServiceSelector: (ports, rollout, a) => none(setServiceSelector(ports, rollout, a)),
  emitEvent: async (ports, rollout, a) => {
    ports.events.event(rollout as KubeObject, a.type, a.reason, a.message);
    return undefined;
  },
  applyTraffic: (ports, rollout, a) => none(applyTraffic(ports.client, rollout, a, ports.routers)),
  createAnalysisRun: (ports, rollout, a) => none(startAnalysisRun(ports.client, rollout, a)),
  terminateAnalysisRun: (ports, rollout, a) => none(stopAnalysisRun(ports.client, rollout, a.name)),
  deleteAnalysisRun: (ports, rollout, a) => none(deleteAnalysisRun(ports.client, ns(rollout) ?? '', a.name)),
  createExperiment: (ports, rollout, a) => createExperiment(ports.client, rollout, a),
  terminateExperiment: (ports, rollout, a) => terminateExperiment(ports.client, rollout, a),
  deleteExperiment: (ports, rollout, a) => deleteExperiment(ports.client, rollout, a),
  scaleDeployment: (ports, rollout, a) => none(executeWorkloadAction(ports.client, rollout, a)),
  setWorkloadGeneration: (ports, rollout, a) => none(executeWorkloadAction(ports.client, rollout, a)),
};

/**
 * Performs one action; idempotent (AlreadyExists/NotFound count as done, a pod delete whose uid no longer
 * matches is done, patches state absolute targets). Returns the ReplicaSet or Experiment write it made, if
 * it wrote one (the last write, for an action that writes the same ReplicaSet twice).
 */
export async function executeAction(
  ports: ExecutorPorts,
  rollout: Rollout,
  action: RolloutAction,
): Promise<ObjectWrite | undefined> {
  const handler = HANDLERS[action.kind] as Handler<Kind>;
  return handler(ports, rollout, action as ActionOf<Kind>);
}

/**
 * Performs `actions` in order, stopping at the first failure (the next pass re-plans from the world).
 * Every ReplicaSet write made is appended to `written` as it completes (so a caller still has the writes
 * made before a failure), and `written` is returned.
 */
export async function executeActions(
  ports: ExecutorPorts,
  rollout: Rollout,
  actions: readonly RolloutAction[],
  written: ObjectWrite[] = [],
): Promise<ObjectWrite[]> {
  for (const action of actions) {
    const write = await executeAction(ports, rollout, action);
    if (write) written.push(write);
  }
  return written;
}
