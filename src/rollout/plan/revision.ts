import { EVENT_REASON } from '../../api/index.js';
import { revisionOf } from '../core/replicasets.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import { type Draft, emit, type PlanContext } from './context.js';
import { stopTrackedRun } from './step-analysis.js';

function resetForNewRevision(ctx: PlanContext, draft: Draft): void {
  const status = draft.status;
  stopTrackedRun(ctx, draft);
  for (const key of ['pauseConditions', 'controllerPause', 'abort', 'abortedAt', 'promoteFull'] as const) {
    delete status[key];
  }
  if (ctx.steps.length > 0) status.currentStepIndex = 0;
}

/**
 * Creation order of two ReplicaSets: `creationTimestamp` has one-second resolution, so ReplicaSets made
 * within the same second are ordered by the revision they were created with (negative: `a` is older).
 */
function creationOrder(a: ReplicaSetView, b: ReplicaSetView): number {
  const byTime = Date.parse(a.creationTimestamp ?? '') - Date.parse(b.creationTimestamp ?? '');
  return Number.isNaN(byTime) || byTime === 0 ? revisionOf(a) - revisionOf(b) : byTime;
}

/**
 * Argo `isRollbackWithinWindow`: the desired ReplicaSet was created before the stable one and fewer than
 * `spec.rollbackWindow.revisions` ReplicaSets were created between them (creation order: `creationOrder`).
 */
export function withinRollbackWindow(ctx: PlanContext, stableHash: string | undefined): boolean {
  const revisions = ctx.rollout.spec.rollbackWindow?.revisions ?? 0;
  const desired = ctx.sets.desired;
  const stable = ctx.snapshot.replicaSets.find((rs) => rs.podTemplateHash === stableHash);
  if (revisions <= 0 || desired === undefined || stable === undefined) return false;
  if (!(creationOrder(desired, stable) < 0)) return false;
  const between = ctx.snapshot.replicaSets.filter(
    (rs) => creationOrder(desired, rs) < 0 && creationOrder(rs, stable) < 0,
  );
  return between.length < revisions;
}

/** A new template that is the stable one, or an older one inside `rollbackWindow`, skips all steps. */
function skipStepsOnRollback(ctx: PlanContext, draft: Draft): void {
  const status = draft.status;
  if (status.stableRS === ctx.sets.currentHash) {
    if (ctx.steps.length > 0) status.currentStepIndex = ctx.steps.length;
    emit(draft, 'Normal', EVENT_REASON.skipSteps, 'Rollback to stable ReplicaSet: skipping all steps');
  } else if (ctx.steps.length > 0 && withinRollbackWindow(ctx, status.stableRS)) {
    status.currentStepIndex = ctx.steps.length;
    emit(draft, 'Normal', EVENT_REASON.skipSteps, 'Rollback within window: skipping all steps');
  }
}

/**
 * Argo `resetRolloutStatus` and the initial-deploy rule, applied first in every pass:
 * - a changed template or step list restarts the steps and clears pauses, abort and `promoteFull`;
 * - a template equal to the stable one (rollback) skips all steps (`SkipSteps`), and so does a template of an
 *   older ReplicaSet inside `spec.rollbackWindow` (canary);
 * - no stable yet (`status.stableRS` unset: first deploy): the desired one becomes stable at once, steps
 *   skipped ("Initial deploy");
 * - a recorded stable whose ReplicaSet is gone (deleted by hand) while the template differs: NOT promoted
 *   (Argo would promote the unverified canary); `draft.stableMissing` is set and the pass holds, unless
 *   the user asked for `promoteFull` (then the canary is accepted).
 */
export function syncRevision(ctx: PlanContext, draft: Draft): void {
  const { currentHash } = ctx.sets;
  const status = draft.status;
  const seen = ctx.old.currentPodHash !== undefined;
  const changed =
    seen && (ctx.old.currentPodHash !== currentHash || ctx.old.currentStepHash !== ctx.stepsHash);
  if (changed) resetForNewRevision(ctx, draft);
  status.currentPodHash = currentHash;
  status.currentStepHash = ctx.stepsHash;
  if (ctx.steps.length === 0) delete status.currentStepIndex;
  else status.currentStepIndex ??= 0;
  const stableGone = status.stableRS !== undefined && ctx.sets.stable === undefined;
  if (stableGone && status.stableRS !== currentHash && status.promoteFull !== true) {
    draft.stableMissing = true;
    return;
  }
  if (status.stableRS === undefined) {
    status.stableRS = currentHash;
    if (ctx.steps.length > 0) status.currentStepIndex = ctx.steps.length;
    emit(
      draft,
      'Normal',
      EVENT_REASON.rolloutCompleted,
      `Rollout completed update to revision ${ctx.revision} (${currentHash}): Initial deploy`,
    );
    return;
  }
  if (changed && ctx.old.currentPodHash !== currentHash) skipStepsOnRollback(ctx, draft);
}
