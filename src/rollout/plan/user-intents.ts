import { EVENT_REASON, VIREO_EVENT_REASON } from '../../api/index.js';
import { MESSAGE } from '../core/conditions.js';
import { failedAnalysisCause, pausedOnFailedAnalysis } from '../core/failure-pause.js';
import { type Draft, emit, isAborted, type PlanContext } from './context.js';
import { stopTrackedRun } from './step-analysis.js';

function clearPauses(draft: Draft): void {
  delete draft.status.pauseConditions;
  delete draft.status.controllerPause;
}

/**
 * Marks the rollout aborted this pass (user abort seen for the first time, failed analysis, or
 * `progressDeadlineAbort`): `abort` and the first `abortedAt`, steps back to 0, pauses cleared, the step
 * analysis stopped, and one Warning event `RolloutAborted`. Scaling follows from the weight dropping to 0.
 */
export function markAborted(ctx: PlanContext, draft: Draft, cause?: string): void {
  const first = draft.status.abortedAt === undefined;
  draft.status.abort = true;
  draft.status.abortedAt ??= ctx.nowIso;
  if (ctx.steps.length > 0) draft.status.currentStepIndex = 0;
  clearPauses(draft);
  delete draft.status.promoteFull;
  stopTrackedRun(ctx, draft);
  if (cause !== undefined) draft.abortCause = cause;
  if (first || cause !== undefined) {
    const message = `${MESSAGE.aborted(ctx.revision)}${cause ? `: ${cause}` : ''}`;
    emit(draft, 'Warning', EVENT_REASON.rolloutAborted, message);
  }
}

function applyPromoteFull(ctx: PlanContext, draft: Draft): void {
  if (
    draft.status.currentStepIndex !== ctx.steps.length ||
    draft.status.pauseConditions ||
    draft.status.abort
  ) {
    if (ctx.steps.length > 0) draft.status.currentStepIndex = ctx.steps.length;
    clearPauses(draft);
    delete draft.status.abort;
    delete draft.status.abortedAt;
    stopTrackedRun(ctx, draft);
    emit(draft, 'Normal', VIREO_EVENT_REASON.promoteFull, 'Full promotion requested');
  }
}

/**
 * The cause of an abort that ends a pause on a failed analysis (`vireo.dev/analysis-failure-action: pause`):
 * the failed run's, so the abort reads, and is written back to Git and notified, as the automatic abort it
 * was deferred from. `undefined` for any other user abort (Argo's abort without a cause).
 */
function deferredAbortCause(draft: Draft): string | undefined {
  return pausedOnFailedAnalysis(draft.status) ? failedAnalysisCause(draft.status) : undefined;
}

/**
 * Applies the user's intent flags before anything is scaled: `promoteFull` (skip remaining steps, clear pauses
 * and abort), `abort` (see `markAborted`, with the failed run's cause when it ends a pause on a failed
 * analysis; ignored and cleared once fully promoted) and retry (abort cleared
 * while `abortedAt` remains: `abortedAt` removed and steps restarted from 0).
 */
export function applyUserIntents(ctx: PlanContext, draft: Draft): void {
  const promoted = draft.status.stableRS === ctx.sets.currentHash;
  if (draft.status.promoteFull && !promoted) {
    applyPromoteFull(ctx, draft);
    return;
  }
  if (draft.status.abort && promoted) {
    delete draft.status.abort;
    delete draft.status.abortedAt;
    return;
  }
  if (isAborted(ctx, draft)) {
    if (draft.status.abortedAt === undefined) markAborted(ctx, draft, deferredAbortCause(draft));
    return;
  }
  if (draft.status.abortedAt !== undefined) {
    delete draft.status.abortedAt;
    delete draft.status.abort;
    if (ctx.steps.length > 0) draft.status.currentStepIndex = 0;
    draft.retried = true;
    emit(draft, 'Normal', EVENT_REASON.rolloutRetry, MESSAGE.retry);
  }
}
