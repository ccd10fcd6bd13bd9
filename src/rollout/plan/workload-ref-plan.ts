import type { RolloutStatus } from '../../api/index.js';
import {
  CONDITION,
  REVISION_ANNOTATION,
  rolloutSettings,
  validateRollout,
  WORKLOAD_GENERATION_ANNOTATION,
} from '../../api/index.js';
import type { RolloutAction, RolloutPlan } from '../core/actions.js';
import type { RolloutSnapshot } from '../core/snapshot.js';
import {
  missingWorkloadIssue,
  restateOnWorkloadRef,
  type WorkloadObject,
  type WorkloadObservation,
} from '../core/workload-ref.js';
import { planInvalidSpec, planValidRollout } from './plan-rollout.js';
import { planReferenceIssues, planWithReferences } from './reference-check.js';

function hasInvalidSpec(status: RolloutStatus): boolean {
  return (status.conditions ?? []).some((c) => c.type === CONDITION.invalidSpec && c.status === 'True');
}

/** True while the desired ReplicaSet is the Rollout's first (revision 1): Argo's one-time migration window. */
function firstRevision(snapshot: RolloutSnapshot, status: RolloutStatus): boolean {
  const desired = snapshot.replicaSets.find((rs) => rs.podTemplateHash === status.currentPodHash);
  return desired?.annotations[REVISION_ANNOTATION] === '1';
}

/**
 * The `spec.replicas` the referenced Deployment should have after this pass, or undefined to leave it
 * (Argo `reconcileNewReplicaSet` and `syncRolloutStatusCanary`). Only a Deployment is scaled, and only while
 * the Rollout's first revision is the desired one (a one-time migration):
 * - `never`: never;
 * - `onsuccess`: to 0 once the Rollout is Healthy;
 * - `progressively`: to 0 once Healthy; before that to `spec.replicas − readyReplicas` of the Rollout
 *   (never below 0) as soon as any Rollout pod is (or was, last pass) ready, so the Deployment hands its
 *   pods over one by one and takes them back if the Rollout's pods stop being ready.
 * Pure; `status` is the status this pass writes.
 */
export function deploymentScaleTarget(
  snapshot: RolloutSnapshot,
  workload: WorkloadObservation,
  status: RolloutStatus,
): number | undefined {
  const { ref } = workload;
  if (ref.kind !== 'Deployment' || ref.scaleDown === 'never' || !firstRevision(snapshot, status)) {
    return undefined;
  }
  if (status.phase === 'Healthy') return 0;
  if (ref.scaleDown === 'onsuccess') return undefined;
  const ready = status.readyReplicas ?? 0;
  const wasReady = snapshot.rollout.status?.readyReplicas ?? 0;
  if (ready === 0 && wasReady === 0) return undefined;
  return Math.max(0, rolloutSettings(snapshot.rollout.spec).replicas - ready);
}

function generationAction(snapshot: RolloutSnapshot, generation: string | null): RolloutAction[] {
  const current = snapshot.rollout.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION] ?? null;
  return current === generation ? [] : [{ kind: 'setWorkloadGeneration', generation }];
}

/** A plan without `workloadRef`: any leftover annotation and `status.workloadObservedGeneration` are dropped. */
function withoutWorkloadRef(snapshot: RolloutSnapshot, plan: RolloutPlan): RolloutPlan {
  const { workloadObservedGeneration: _observed, ...status } = plan.status;
  return { ...plan, actions: [...plan.actions, ...generationAction(snapshot, null)], status };
}

function withWorkloadRef(
  snapshot: RolloutSnapshot,
  workload: WorkloadObservation,
  object: WorkloadObject,
  plan: RolloutPlan,
): RolloutPlan {
  const generation = String(object.generation);
  const actions = [...plan.actions, ...generationAction(snapshot, generation)];
  const target = hasInvalidSpec(plan.status)
    ? undefined
    : deploymentScaleTarget(snapshot, workload, plan.status);
  if (target !== undefined && target !== object.replicas) {
    actions.push({ kind: 'scaleDeployment', name: workload.ref.name, replicas: target });
  }
  return { ...plan, actions, status: { ...plan.status, workloadObservedGeneration: generation } };
}

/**
 * The plan of one pass, `spec.workloadRef` included (pure in `snapshot`, as `planRollout`):
 * - without `workloadRef`, `planWithReferences`, minus a leftover generation annotation and
 *   `status.workloadObservedGeneration`;
 * - a referenced object that does not exist: the `InvalidSpec` plan on `spec.workloadRef.name` (no action:
 *   nothing is scaled), looked at again after `REFERENCE_RECHECK_MS` (a ReplicaSet is not watched);
 * - a workload whose template does not make a valid Rollout: `InvalidSpec` on `spec.workloadRef`;
 * - otherwise the plan of the effective Rollout, plus the annotation `rollout.argoproj.io/workload-generation`
 *   and `status.workloadObservedGeneration` set to the workload's generation (Argo CD's health check wants
 *   them equal), plus the Deployment scale-down of `deploymentScaleTarget` (not while `InvalidSpec`).
 */
export function planWithWorkloadRef(snapshot: RolloutSnapshot): RolloutPlan {
  const workload = snapshot.workload;
  if (workload === undefined) return withoutWorkloadRef(snapshot, planWithReferences(snapshot));
  const { object, ref } = workload;
  if (object === undefined) {
    return planReferenceIssues(snapshot, [missingWorkloadIssue(ref, snapshot.rollout.metadata.namespace)]);
  }
  const issues = validateRollout(snapshot.rollout);
  if (issues.length > 0) return planInvalidSpec(snapshot, restateOnWorkloadRef(issues, ref));
  return withWorkloadRef(snapshot, workload, object, planWithReferences(snapshot, planValidRollout));
}
