import { analysisFailureAction, CONDITION, VIREO_EVENT_REASON, VIREO_PAUSE_REASON } from '../../api/index.js';
import { findCondition } from '../core/conditions.js';
import { failedAnalysisCause, pausedOnFailedAnalysis } from '../core/failure-pause.js';
import { addPause, type Draft, emit, isAborted, type PlanContext } from './context.js';
import { markAborted } from './user-intents.js';

/** True when the Rollout answers a Failed/Error analysis with a pause (`vireo.dev/analysis-failure-action: pause`). */
export function pausesOnFailure(ctx: PlanContext): boolean {
  return analysisFailureAction(ctx.rollout) === 'pause';
}

/** True while the draft is paused on a failed analysis and not aborted. */
export function pausedOnFailure(ctx: PlanContext, draft: Draft): boolean {
  return pausedOnFailedAnalysis(draft.status) && !isAborted(ctx, draft);
}

/**
 * True in the first pass after a user resumed a pause on a failed analysis (`promote`, Argo CD's resume: the
 * pause conditions were cleared): the observed `Paused` condition still says `FailedAnalysisRun` (it is written
 * with the pause condition in one status patch, and turns False in this pass), the revision is unchanged and
 * the pause condition is gone. The failed runs are then retried instead of paused on again.
 */
export function resumedFromFailurePause(ctx: PlanContext, draft: Draft): boolean {
  const paused = findCondition(ctx.old.conditions, CONDITION.paused);
  return (
    paused?.status === 'True' &&
    paused.reason === VIREO_PAUSE_REASON.failedAnalysis &&
    ctx.old.currentPodHash === ctx.sets.currentHash &&
    !pausedOnFailedAnalysis(draft.status) &&
    !isAborted(ctx, draft)
  );
}

/**
 * The Rollout's answer to a Failed or Error analysis run (`cause` as `failedRunCause` words it): Argo's abort
 * (`markAborted`), or with `vireo.dev/analysis-failure-action: pause` a pause — the `FailedAnalysisRun` pause
 * condition and `controllerPause`, a `RolloutPaused` and a Warning `PausedOnFailedAnalysis` event, once. The
 * step index and the failed run's record stay, so traffic goes back to stable (see `rollback-traffic.ts`), the
 * canary keeps its size and `promote` can retry that run.
 */
export function reactToFailedAnalysis(ctx: PlanContext, draft: Draft, cause: string): void {
  if (!pausesOnFailure(ctx)) {
    markAborted(ctx, draft, cause);
    return;
  }
  if (pausedOnFailedAnalysis(draft.status)) return;
  addPause(ctx, draft, VIREO_PAUSE_REASON.failedAnalysis);
  const message = `${ctx.name} paused instead of aborting (vireo.dev/analysis-failure-action: pause); traffic goes back to stable, the canary ReplicaSet is kept; promote retries the analysis, abort rolls back: ${cause}`;
  emit(draft, 'Warning', VIREO_EVENT_REASON.pausedOnFailedAnalysis, message);
}

/** The `Paused` condition message while paused on a failed analysis, naming the run's metric and value. */
export function failurePauseMessage(draft: Draft): string {
  const cause = failedAnalysisCause(draft.status) ?? 'analysis failed';
  return `Rollout is paused after a failed analysis, not rolled back: traffic is back on stable and the canary is kept (promote retries the analysis, abort rolls back): ${cause}`;
}

/** The Normal Event recording that a resumed failure pause retries `what` analysis as run `name`. */
export function emitAnalysisRetried(draft: Draft, what: string, name: string): void {
  emit(
    draft,
    'Normal',
    VIREO_EVENT_REASON.analysisRetried,
    `${what} analysis retried after resume: run "${name}"`,
  );
}
