import { checkRollout, type Issue, type Rollout } from '../../api/index.js';
import { Resources } from '../../kube/client.js';
import type { EventRecorder } from '../../kube/events.js';
import { mergePatch } from '../../kube/merge-patch.js';
import type { ObjectCache } from '../../kube/object-cache.js';
import type { KubeObject } from '../../kube/types.js';
import { splitKey } from '../../kube/types.js';
import type { ReconcileResult } from '../../kube/work-queue.js';
import type { ObjectWrite, WriteExpectations } from '../../kube/write-expectations.js';
import type { Logger } from '../../util/logger.js';
import type { RolloutPlan } from '../core/actions.js';
import type { RolloutSnapshot } from '../core/snapshot.js';
import { planInvalidSpec } from '../plan/plan-rollout.js';
import { planWithWorkloadRef } from '../plan/workload-ref-plan.js';
import { executeActions } from './executor.js';
import { type ObserveDeps, observeRollout } from './observe-rollout.js';

/** Everything one Rollout reconcile needs; no module state. */
export interface RolloutReconcilerDeps extends ObserveDeps {
  events: EventRecorder;
  logger: Logger;
  rollouts: ObjectCache<KubeObject>;
  /** The writes of earlier passes (ReplicaSets, Rollout status) the caches have not shown yet, per key. */
  expectations: WriteExpectations;
}

/**
 * How soon a Rollout held back by unmet expectations is looked at again. A backstop only: the watch event
 * that brings the cache up to date enqueues the key at once.
 */
export const EXPECTATIONS_REQUEUE_MS = 75;

/** The status merge patch for a plan, or undefined when the status is unchanged (no write). */
export function statusPatchFor(observed: KubeObject, plan: RolloutPlan): object | undefined {
  const before = (observed as { status?: unknown }).status ?? {};
  const diff = mergePatch(before, plan.status);
  return diff === undefined ? undefined : { status: diff };
}

/**
 * The plan of a Rollout that does not parse or validate: only its `InvalidSpec` condition, made without
 * observing anything (observing reads the objects and routers the spec names, which it cannot be trusted to).
 */
function invalidSpecPlan(
  deps: RolloutReconcilerDeps,
  raw: KubeObject,
  checked: { rollout: Rollout | undefined; issues: Issue[] },
): RolloutPlan {
  const rollout = checked.rollout ?? (raw as unknown as Rollout);
  const unobserved: RolloutSnapshot = { rollout, replicaSets: [], analysisRuns: [], now: deps.clock.now() };
  return planInvalidSpec(unobserved, checked.issues);
}

/**
 * False (after logging) while the caches still lack a write of an earlier pass of `key` (a ReplicaSet, an
 * Experiment, or the Rollout's status): a plan made from them would repeat that pass's decisions. Expired expectations
 * no longer hold the key back.
 */
function cacheCaughtUp(deps: RolloutReconcilerDeps, key: string, namespace: string | undefined): boolean {
  const caches = { Rollout: deps.rollouts, ReplicaSet: deps.replicaSets, Experiment: deps.experiments };
  const check = deps.expectations.check(key, (kind, name) => caches[kind]?.get(namespace, name));
  if (check.state === 'satisfied') return true;
  const detail = { rollout: key, objects: check.waitingFor };
  if (check.state === 'expired') {
    deps.logger.info(detail, 'the cache never showed these writes; planning anyway');
    return true;
  }
  deps.logger.debug(detail, 'waiting for the cache to show our own writes');
  return false;
}

/** Plans from the snapshot and acts; the ReplicaSet writes made (even before a failure) become expectations. */
async function planAndAct(deps: RolloutReconcilerDeps, key: string, rollout: Rollout): Promise<RolloutPlan> {
  const plan = planWithWorkloadRef(await observeRollout(deps, rollout));
  const written: ObjectWrite[] = [];
  try {
    await executeActions(deps, rollout, plan.actions, written);
  } finally {
    deps.expectations.expect(key, written);
  }
  return plan;
}

/** Patches the Rollout's status; the response's resourceVersion is what the Rollout cache must reach. */
async function patchStatus(deps: RolloutReconcilerDeps, key: string, patch: object): Promise<void> {
  const { namespace, name } = splitKey(key);
  const body = { type: 'merge' as const, body: patch };
  const res = await deps.client.patchStatus(Resources.rollouts, { namespace, name }, body);
  const resourceVersion = res?.metadata?.resourceVersion;
  if (resourceVersion)
    deps.expectations.expect(key, [{ kind: 'Rollout', verb: 'patch', name, resourceVersion }]);
}

/**
 * One reconcile of the Rollout `key`: observe → plan → act → record. No plan is made while the caches have
 * not yet shown this Rollout's own earlier writes (a short requeue instead, bounded by the expectations'
 * TTL). The spec is validated before anything is observed; an invalid one only gets its `InvalidSpec`
 * condition (no actions, no requeue); the planner validates the observed Rollout once (with `workloadRef`
 * its template comes from the workload). Actions run in order and stop at the first failure (the work queue
 * retries with backoff); the status is patched once, and only when it changed.
 */
export async function reconcileRollout(deps: RolloutReconcilerDeps, key: string): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const raw = deps.rollouts.get(namespace, name);
  if (!raw || raw.metadata?.deletionTimestamp) {
    deps.expectations.forget(key);
    return {};
  }
  if (!cacheCaughtUp(deps, key, namespace)) return { requeueAfterMs: EXPECTATIONS_REQUEUE_MS };
  const checked = checkRollout(raw);
  const plan =
    checked.rollout !== undefined && checked.issues.length === 0
      ? await planAndAct(deps, key, checked.rollout)
      : invalidSpecPlan(deps, raw, checked);
  const patch = statusPatchFor(raw, plan);
  if (patch) {
    await patchStatus(deps, key, patch);
    deps.logger.debug({ rollout: key, phase: plan.status.phase }, 'status updated');
  }
  return plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs };
}
