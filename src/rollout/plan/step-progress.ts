import type { CanaryStep, RolloutAnalysis } from '../../api/index.js';
import { EVENT_REASON, PAUSE_REASON } from '../../api/index.js';
import { describeStep, pauseDecision, stepCursor } from '../core/steps.js';
import { addPause, type Draft, emit, isAborted, type PlanContext, type Roles } from './context.js';
import { experimentVerdict } from './experiments.js';
import {
  emitAnalysisRetried,
  pausedOnFailure,
  reactToFailedAnalysis,
  resumedFromFailurePause,
} from './failure-pause.js';
import { atDesiredCounts, targetCounts } from './replica-targets.js';
import { analysisVerdict, stopTrackedRun } from './step-analysis.js';
import { markAborted } from './user-intents.js';

function advance(ctx: PlanContext, draft: Draft, index: number, step: CanaryStep): void {
  draft.status.currentStepIndex = index + 1;
  const remaining = (draft.status.pauseConditions ?? []).filter(
    (c) => c.reason !== PAUSE_REASON.canaryPauseStep,
  );
  if (remaining.length > 0) draft.status.pauseConditions = remaining;
  else delete draft.status.pauseConditions;
  stopTrackedRun(ctx, draft);
  emit(
    draft,
    'Normal',
    EVENT_REASON.rolloutStepCompleted,
    `Rollout step ${index + 1}/${ctx.steps.length} completed (${describeStep(step)})`,
  );
}

/**
 * `promoteStable`: the desired ReplicaSet becomes stable, steps are complete, pauses, `promoteFull` and
 * abort are cleared, and `RolloutCompleted` is emitted with the reason.
 */
export function promoteStable(ctx: PlanContext, draft: Draft, reason: string): void {
  const status = draft.status;
  status.stableRS = ctx.sets.currentHash;
  if (ctx.steps.length > 0) status.currentStepIndex = ctx.steps.length;
  for (const key of ['pauseConditions', 'controllerPause', 'promoteFull', 'abort', 'abortedAt'] as const)
    delete status[key];
  stopTrackedRun(ctx, draft);
  emit(
    draft,
    'Normal',
    EVENT_REASON.rolloutCompleted,
    `Rollout completed update to revision ${ctx.revision} (${ctx.sets.currentHash}): ${reason}`,
  );
}

function weightApplied(ctx: PlanContext, draft: Draft, weight: number): boolean {
  return !ctx.routed || draft.status.canary?.weights?.canary.weight === weight;
}

function planStep(ctx: PlanContext, draft: Draft, roles: Roles, index: number, step: CanaryStep): void {
  const ready = atDesiredCounts(ctx, roles, targetCounts(ctx, draft, roles));
  if (step.setWeight !== undefined) {
    if (ready && weightApplied(ctx, draft, step.setWeight)) advance(ctx, draft, index, step);
  } else if (step.setCanaryScale !== undefined) {
    if (ready) advance(ctx, draft, index, step);
  } else if (step.pause !== undefined) {
    planPause(ctx, draft, index, step);
  } else if (step.analysis !== undefined) {
    planAnalysis(ctx, draft, index, step);
  } else if (step.experiment !== undefined) {
    planExperimentStep(ctx, draft, index, step);
  } else if (step.setHeaderRoute !== undefined || step.setMirrorRoute !== undefined) {
    advance(ctx, draft, index, step);
  }
}

function retryStepAnalysis(ctx: PlanContext, draft: Draft, index: number, analysis: RolloutAnalysis): void {
  stopTrackedRun(ctx, draft);
  analysisVerdict(ctx, draft, index, analysis);
  const name = draft.status.canary?.currentStepAnalysisRunStatus?.name;
  if (name !== undefined) emitAnalysisRetried(draft, 'Step', name);
}

function planAnalysis(ctx: PlanContext, draft: Draft, index: number, step: CanaryStep): void {
  if (step.analysis === undefined) return;
  const verdict = analysisVerdict(ctx, draft, index, step.analysis);
  if (verdict.kind === 'complete') advance(ctx, draft, index, step);
  else if (verdict.kind === 'abort') {
    if (resumedFromFailurePause(ctx, draft)) retryStepAnalysis(ctx, draft, index, step.analysis);
    else reactToFailedAnalysis(ctx, draft, verdict.cause);
  } else if (verdict.kind === 'inconclusive') addPause(ctx, draft, PAUSE_REASON.inconclusiveAnalysis);
}

/** An `experiment` step completes when its Experiment succeeds; it aborts on Failed/Error, pauses on Inconclusive. */
function planExperimentStep(ctx: PlanContext, draft: Draft, index: number, step: CanaryStep): void {
  const verdict = experimentVerdict(ctx, index);
  if (verdict.kind === 'complete') advance(ctx, draft, index, step);
  else if (verdict.kind === 'abort') markAborted(ctx, draft, verdict.cause);
  else if (verdict.kind === 'inconclusive') addPause(ctx, draft, PAUSE_REASON.inconclusiveExperiment);
}

function planPause(ctx: PlanContext, draft: Draft, index: number, step: CanaryStep): void {
  const decision = pauseDecision(step, draft.status, ctx.nowMs);
  if (decision.kind === 'complete') {
    advance(ctx, draft, index, step);
    return;
  }
  if (decision.kind === 'start') addPause(ctx, draft, PAUSE_REASON.canaryPauseStep);
  const next = pauseDecision(step, draft.status, ctx.nowMs);
  if (next.kind === 'complete') draft.requeueMs.push(0);
  else if (next.kind === 'wait' && next.remainingMs !== undefined) draft.requeueMs.push(next.remainingMs);
}

/**
 * Step progression (Argo `syncRolloutStatusCanary`), at most one step per pass: completes the current step
 * when its condition holds, and promotes the desired ReplicaSet to stable once all steps are done (or
 * `promoteFull` is set) and the replica counts (and, with traffic routing, the full canary weight) are
 * reached. Nothing moves while aborted, paused on a failed analysis (`failure-pause.ts`; the resume that
 * follows retries a failed step analysis as a new run) or when already fully promoted.
 */
export function planSteps(ctx: PlanContext, draft: Draft, roles: Roles): void {
  if (isAborted(ctx, draft) || roles.promoted || pausedOnFailure(ctx, draft)) return;
  const ready = atDesiredCounts(ctx, roles, targetCounts(ctx, draft, roles));
  if (draft.status.promoteFull) {
    if (ready) promoteStable(ctx, draft, 'Full promotion requested');
    return;
  }
  const cursor = stepCursor(ctx.steps, draft.status.currentStepIndex);
  if (cursor.step === undefined || cursor.index === undefined) {
    if (ready && weightApplied(ctx, draft, ctx.maxWeight)) {
      promoteStable(ctx, draft, `Completed all ${ctx.steps.length} canary steps`);
    }
    return;
  }
  planStep(ctx, draft, roles, cursor.index, cursor.step);
}
