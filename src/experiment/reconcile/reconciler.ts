import { checkExperiment, type Experiment, type ExperimentStatus } from '../../api/index.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import { mergePatch } from '../../kube/merge-patch.js';
import type { ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import { splitKey } from '../../kube/types.js';
import type { ReconcileResult } from '../../kube/work-queue.js';
import type { ObjectWrite, WriteExpectations } from '../../kube/write-expectations.js';
import type { Clock } from '../../util/clock.js';
import { invalidSpecStatus } from '../core/conditions.js';
import type { ExperimentOutcome } from '../core/model.js';
import { amendDraft, concludeExperiment, draftExperiment } from '../core/plan.js';
import { type ExperimentActDeps, executeExperimentActions } from './executor.js';
import { type ExperimentObserveDeps, observeExperiment } from './observe.js';

/** Everything one Experiment reconcile needs; no module state besides the shared expectations. */
export interface ExperimentReconcilerDeps extends ExperimentObserveDeps, ExperimentActDeps {
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly experiments: ObjectCache<KubeObject>;
  /** This controller's writes (ReplicaSets, Experiment status) the caches must show before the next plan. */
  readonly expectations: WriteExpectations;
}

/** How soon an Experiment held back by unmet expectations is looked at again (the watch event usually comes first). */
const EXPECTATIONS_REQUEUE_MS = 75;

function caughtUp(deps: ExperimentReconcilerDeps, key: string, namespace: string | undefined): boolean {
  const check = deps.expectations.check(key, (kind, name) =>
    (kind === 'Experiment' ? deps.experiments : deps.replicaSets).get(namespace, name),
  );
  return check.state !== 'pending';
}

async function writeStatus(
  deps: ExperimentReconcilerDeps,
  key: string,
  raw: KubeObject,
  status: ExperimentStatus,
): Promise<boolean> {
  const diff = mergePatch((raw as { status?: unknown }).status ?? {}, status);
  if (diff === undefined) return false;
  const { namespace, name } = splitKey(key);
  const body = { type: 'merge' as const, body: { status: diff } };
  const ref = { namespace, name };
  // Argo's own Experiment CRD has no status subresource: there the status is part of the main resource.
  const res = await deps.client.patchStatus(Resources.experiments, ref, body).catch((err: unknown) => {
    if (!isApiError(err, 'NotFound')) throw err;
    return deps.client.patch(Resources.experiments, ref, body);
  });
  const resourceVersion = res?.metadata?.resourceVersion;
  if (resourceVersion)
    deps.expectations.expect(key, [{ kind: 'Experiment', verb: 'patch', name, resourceVersion }]);
  return true;
}

async function planAndAct(
  deps: ExperimentReconcilerDeps,
  key: string,
  experiment: Experiment,
): Promise<ExperimentOutcome> {
  const snapshot = await observeExperiment(deps, experiment, deps.clock.now());
  const draft = draftExperiment(snapshot);
  const result = await executeExperimentActions(deps, experiment, draft.actions);
  const writes: ObjectWrite[] = result.written.map((w) => ({ kind: 'ReplicaSet', verb: 'patch', ...w }));
  deps.expectations.expect(key, writes);
  return concludeExperiment(snapshot, amendDraft(draft, result.amendments));
}

/**
 * One reconcile of the Experiment `key`: observe → plan (`draftExperiment`) → act → conclude → record.
 * An invalid spec only gets its InvalidSpec condition (nothing is created). No plan is made while the
 * caches lack this controller's own last writes (a short requeue instead). The status is patched once, and
 * only when it changed; the Events of the transitions it records follow it.
 */
export async function reconcileExperiment(
  deps: ExperimentReconcilerDeps,
  key: string,
): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const raw = deps.experiments.get(namespace, name);
  if (!raw || raw.metadata?.deletionTimestamp) {
    deps.expectations.forget(key);
    return {};
  }
  if (!caughtUp(deps, key, namespace)) return { requeueAfterMs: EXPECTATIONS_REQUEUE_MS };
  const { experiment, issues } = checkExperiment(raw);
  if (experiment === undefined || issues.length > 0) {
    const message = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
    const target = (experiment ?? raw) as Experiment;
    await writeStatus(deps, key, raw, invalidSpecStatus(target, message, deps.clock.now()));
    return {};
  }
  const outcome = await planAndAct(deps, key, experiment);
  if (await writeStatus(deps, key, raw, outcome.status)) {
    for (const e of outcome.events) deps.events.event(raw, e.type, e.reason, e.message);
    deps.logger.debug({ experiment: key, phase: outcome.status.phase }, 'status updated');
  }
  return outcome.requeueAfterMs === undefined ? {} : { requeueAfterMs: outcome.requeueAfterMs };
}
