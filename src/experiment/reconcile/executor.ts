import { mergeTemplates } from '../../analysis/core/index.js';
import { analysisRunObject, carriedRunAnnotations } from '../../analysis/core/run-builder.js';
import {
  createRunWithCollisionCounter,
  fetchTemplateSources,
  terminateAnalysisRun,
} from '../../analysis/runs/create-run.js';
import type { Experiment } from '../../api/index.js';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { ApiError, isApiError } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import type { ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import type { Logger } from '../../util/logger.js';
import type {
  CreateAnalysisRunAction,
  CreateReplicaSetAction,
  CreateServiceAction,
  DraftAmendment,
  ExperimentAction,
  ScaleReplicaSetAction,
} from '../core/model.js';
import { claimedBy } from './observe.js';

/** The ports acting goes through. */
export interface ExperimentActDeps {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly replicaSets: ObjectCache<KubeObject>;
}

/** What acting did: the changes to the draft, and the ReplicaSets it wrote (name → resourceVersion). */
export interface ActResult {
  readonly amendments: DraftAmendment[];
  readonly written: { name: string; resourceVersion?: string }[];
}

const text = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Network trouble, throttling and server errors are retried with backoff; other failures are Argo's status errors. */
function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.code === 0 || err.code === 429 || err.code >= 500;
}

type Act<A> = (deps: ExperimentActDeps, ex: Experiment, action: A, out: ActResult) => Promise<void>;

const createReplicaSet: Act<CreateReplicaSetAction> = async (deps, ex, a, out) => {
  const rs = a.replicaSet;
  const name = rs.metadata?.name ?? '';
  const ns = ex.metadata.namespace;
  try {
    const created = await deps.client.create(Resources.replicaSets, ns, rs as KubeObject);
    out.written.push({ name, resourceVersion: created.metadata?.resourceVersion });
    const size = rs.spec?.replicas ?? 0;
    if (size > 0)
      deps.events.event(
        ex,
        'Normal',
        'NewReplicaSetCreated',
        `Created new replica set "${name}" with size ${size}`,
      );
  } catch (err) {
    if (isTransient(err)) throw err;
    if (isApiError(err, 'AlreadyExists')) {
      const existing =
        deps.replicaSets.get(ns, name) ?? (await deps.client.get(Resources.replicaSets, ns, name));
      if (claimedBy(ex, existing) === a.template) return;
    }
    deps.events.event(
      ex,
      'Warning',
      'ReplicaSetCreateError',
      `Failed to create new replica set "${name}": ${text(err)}`,
    );
    const message = `Failed to create ReplicaSet for template '${a.template}': ${text(err)}`;
    out.amendments.push({ kind: 'template', name: a.template, status: 'Error', message });
  }
};

const scaleReplicaSet: Act<ScaleReplicaSetAction> = async (deps, ex, a, out) => {
  const direction = a.replicas > a.from ? 'up' : 'down';
  const body = { spec: { replicas: a.replicas } };
  try {
    const res = await deps.client.patch(
      Resources.replicaSets,
      { namespace: ex.metadata.namespace, name: a.name },
      { type: 'merge', body },
    );
    out.written.push({ name: a.name, resourceVersion: res.metadata?.resourceVersion });
    deps.events.event(
      ex,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} ReplicaSet ${a.name} from ${a.from} to ${a.replicas}`,
    );
  } catch (err) {
    if (isTransient(err)) throw err;
    deps.events.event(
      ex,
      'Warning',
      'ReplicaSetUpdateError',
      `Failed to scale ${a.name} ${direction}: ${text(err)}`,
    );
    const message = `Unable to scale ReplicaSet for template '${a.template}' to desired replica count '${a.replicas}': ${text(err)}`;
    out.amendments.push({ kind: 'template', name: a.template, status: 'Error', message });
  }
};

const createService: Act<CreateServiceAction> = async (deps, ex, a, out) => {
  const name = a.service.metadata?.name ?? '';
  const ns = ex.metadata.namespace;
  try {
    await deps.client.create(Resources.services, ns, a.service as KubeObject);
  } catch (err) {
    if (isTransient(err)) throw err;
    if (
      isApiError(err, 'AlreadyExists') &&
      claimedBy(ex, await deps.client.get(Resources.services, ns, name)) === a.template
    )
      return;
    const message = `Failed to create Service ${name} for template '${a.template}': ${text(err)}`;
    out.amendments.push({ kind: 'template', name: a.template, status: 'Error', message });
  }
};

const createAnalysisRun: Act<CreateAnalysisRunAction> = async (deps, ex, a, out) => {
  try {
    const refs = [{ templateName: a.templateName, clusterScope: a.clusterScope }];
    const sources = await fetchTemplateSources(deps.client, ex.metadata.namespace, refs);
    const carried = carriedRunAnnotations(sources);
    if (!carried.ok) throw new Error(carried.error);
    const spec = mergeTemplates({
      templates: sources.map((source) => source.spec),
      args: a.args,
      dryRun: a.dryRun,
      measurementRetention: a.measurementRetention,
    });
    if (!spec.ok) throw new Error(spec.error);
    const run = analysisRunObject({
      name: a.name,
      namespace: ex.metadata.namespace,
      labels: a.metadata.labels ?? {},
      annotations: { ...carried.value, ...a.metadata.annotations },
      owner: { kind: 'Experiment', name: ex.metadata.name ?? '', uid: ex.metadata.uid ?? '' },
      spec: spec.value,
    });
    const name = await createRunWithCollisionCounter(deps.client, run);
    if (name !== a.name) out.amendments.push({ kind: 'runName', analysis: a.analysis, name });
  } catch (err) {
    if (isTransient(err)) throw err;
    const message = `Failed to create AnalysisRun for analysis '${a.analysis}': ${text(err)}`;
    out.amendments.push({ kind: 'analysis', name: a.analysis, phase: 'Error', message });
  }
};

async function act(
  deps: ExperimentActDeps,
  ex: Experiment,
  action: ExperimentAction,
  out: ActResult,
): Promise<void> {
  const ns = ex.metadata.namespace;
  switch (action.kind) {
    case 'createReplicaSet':
      return createReplicaSet(deps, ex, action, out);
    case 'scaleReplicaSet':
      return scaleReplicaSet(deps, ex, action, out);
    case 'setScaleDownDeadline': {
      const body = { metadata: { annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: action.deadline } } };
      const ref = { namespace: ns, name: action.name };
      const res = await deps.client
        .patch(Resources.replicaSets, ref, { type: 'merge', body })
        .catch((err: unknown) => {
          if (isTransient(err)) throw err;
          deps.logger.warn(
            { experiment: ex.metadata.name, replicaSet: action.name, err: text(err) },
            'scale-down deadline not set',
          );
          return undefined;
        });
      if (res) out.written.push({ name: action.name, resourceVersion: res.metadata?.resourceVersion });
      return;
    }
    case 'createService':
      return createService(deps, ex, action, out);
    case 'deleteService':
      return deps.client
        .delete(Resources.services, { namespace: ns, name: action.name })
        .catch((err: unknown) => {
          if (isTransient(err)) throw err;
          if (isApiError(err, 'NotFound')) return;
          const message = `Failed to delete Service for template '${action.template}': ${text(err)}`;
          out.amendments.push({ kind: 'template', name: action.template, status: 'Error', message });
        });
    case 'createAnalysisRun':
      return createAnalysisRun(deps, ex, action, out);
    case 'terminateAnalysisRun':
      deps.events.event(
        ex,
        'Normal',
        'AnalysisRunTerminating',
        `Terminating ${action.analysis} (${action.name})`,
      );
      return terminateAnalysisRun(deps.client, ns, action.name).catch((err: unknown) => {
        if (isTransient(err)) throw err;
        out.amendments.push({ kind: 'analysis', name: action.analysis, phase: 'Error', message: text(err) });
      });
  }
}

/**
 * Performs the actions in order. A failure Argo records in status (a create, scale or delete the API refuses)
 * becomes an amendment of the draft, with Argo's message and Event; network trouble, throttling and server
 * errors are thrown so the work queue retries the whole pass. ReplicaSet writes are reported for
 * read-your-writes.
 */
export async function executeExperimentActions(
  deps: ExperimentActDeps,
  experiment: Experiment,
  actions: readonly ExperimentAction[],
): Promise<ActResult> {
  const out: ActResult = { amendments: [], written: [] };
  for (const action of actions) await act(deps, experiment, action, out);
  return out;
}
