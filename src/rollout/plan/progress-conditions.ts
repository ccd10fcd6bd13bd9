import type { Condition, RolloutStatus } from '../../api/index.js';
import { CONDITION, REASON, VIREO_PAUSE_REASON, VIREO_REASON } from '../../api/index.js';
import { type ConditionIntent, findCondition, MESSAGE, setCondition } from '../core/conditions.js';
import { pausedOnFailedAnalysis } from '../core/failure-pause.js';
import { replicaSetName } from '../core/replicasets.js';
import { type Draft, isAborted, type PlanContext } from './context.js';
import { failurePauseMessage } from './failure-pause.js';
import { stableMissingMessage } from './missing-stable.js';
import { markAborted } from './user-intents.js';

/** Facts about the next status the condition rules need. */
export interface StatusFacts {
  paused: boolean;
  healthy: boolean;
  progressed: boolean;
  deadlineApplies: boolean;
}

const PROGRESS_FIELDS = [
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'stableRS',
  'currentStepIndex',
  'currentStepHash',
  'currentPodHash',
] as const satisfies readonly (keyof RolloutStatus)[];

/** True when any field that signals progress (Argo 3.8: counts, stable, step index or hash) changed. */
export function hasProgressed(old: RolloutStatus, next: RolloutStatus): boolean {
  return PROGRESS_FIELDS.some((field) => old[field] !== next[field]);
}

function progressing(status: ConditionIntent['status'], reason: string, message: string): ConditionIntent {
  return { type: CONDITION.progressing, status, reason, message };
}

function abortedIntent(ctx: PlanContext, draft: Draft): ConditionIntent {
  const cause = draft.abortCause ? `: ${draft.abortCause}` : '';
  return progressing('False', REASON.aborted, `${MESSAGE.aborted(ctx.revision)}${cause}`);
}

function timedOut(ctx: PlanContext, current: Condition): boolean {
  if (current.reason === REASON.timedOut) return true;
  const since = Date.parse(current.lastUpdateTime ?? '');
  return Number.isFinite(since) && ctx.nowMs > since + ctx.settings.progressDeadlineSeconds * 1000;
}

function movingIntent(ctx: PlanContext, draft: Draft, facts: StatusFacts): ConditionIntent | undefined {
  const rs = replicaSetName(ctx.name, ctx.sets.currentHash);
  const current = findCondition(ctx.old.conditions, CONDITION.progressing);
  if (facts.paused) return progressing('Unknown', REASON.paused, MESSAGE.paused);
  if (facts.healthy) return progressing('True', REASON.newReplicaSetAvailable, MESSAGE.completed(rs));
  if (draft.created) return progressing('True', REASON.newReplicaSetCreated, MESSAGE.created(rs));
  if (draft.retried) return progressing('Unknown', REASON.retry, MESSAGE.retry);
  if (current?.reason === REASON.paused) return progressing('Unknown', REASON.resumed, MESSAGE.resumed);
  if (facts.progressed || current === undefined || current.reason === REASON.aborted) {
    const promoted = draft.status.stableRS === ctx.sets.currentHash;
    const lost = promoted && current?.reason === REASON.newReplicaSetAvailable;
    if (lost) return progressing('True', REASON.replicaSetNotAvailable, MESSAGE.notAvailable);
    return progressing('True', REASON.replicaSetUpdated, MESSAGE.progressing(rs));
  }
  if (facts.deadlineApplies && timedOut(ctx, current))
    return progressing('False', REASON.timedOut, MESSAGE.timedOut(rs));
  return undefined;
}

function progressingIntent(ctx: PlanContext, draft: Draft, facts: StatusFacts): ConditionIntent | undefined {
  if (draft.stableMissing) {
    return progressing(
      'False',
      VIREO_REASON.stableMissing,
      stableMissingMessage(ctx, draft.status.stableRS ?? ''),
    );
  }
  if (!isAborted(ctx, draft)) return movingIntent(ctx, draft, facts);
  const current = findCondition(ctx.old.conditions, CONDITION.progressing);
  return current?.reason === REASON.aborted && !draft.abortCause ? undefined : abortedIntent(ctx, draft);
}

/**
 * Sets `Progressing` (first match): stable ReplicaSet missing → False/StableReplicaSetMissing; aborted → False/RolloutAborted (kept as first written); paused →
 * Unknown/RolloutPaused; healthy → True/NewReplicaSetAvailable; RS created → NewReplicaSetCreated; retried →
 * Unknown/RolloutRetry; just unpaused → Unknown/RolloutResumed; progress seen → True/ReplicaSetUpdated with
 * a fresh `lastUpdateTime`; otherwise, past `lastUpdateTime + progressDeadlineSeconds` →
 * False/ProgressDeadlineExceeded (and an abort when `progressDeadlineAbort`). Returns the requeue delay until
 * the deadline, if one is running.
 */
export function applyProgressing(ctx: PlanContext, draft: Draft, facts: StatusFacts): number | undefined {
  const status = draft.status;
  let intent = progressingIntent(ctx, draft, facts);
  const promoted = status.stableRS === ctx.sets.currentHash;
  if (intent?.reason === REASON.timedOut && ctx.settings.progressDeadlineAbort && !promoted) {
    markAborted(ctx, draft, intent.message);
    intent = abortedIntent(ctx, draft);
  }
  if (intent)
    status.conditions = setCondition(
      status.conditions ?? [],
      intent,
      ctx.nowIso,
      intent.reason === REASON.replicaSetUpdated,
    );
  const after = findCondition(status.conditions, CONDITION.progressing);
  if (!facts.deadlineApplies || draft.stableMissing || isAborted(ctx, draft) || after?.status === 'False')
    return undefined;
  const since = Date.parse(after?.lastUpdateTime ?? ctx.nowIso);
  return Math.max(0, since + ctx.settings.progressDeadlineSeconds * 1000 - ctx.nowMs);
}

function set(draft: Draft, ctx: PlanContext, intent: ConditionIntent): void {
  draft.status.conditions = setCondition(draft.status.conditions ?? [], intent, ctx.nowIso);
}

/**
 * The `Paused` condition: True/RolloutPaused "Rollout is paused", or False/RolloutResumed; while paused on a
 * failed analysis (Vireo), True with reason `FailedAnalysisRun` and a message naming the failed run's metric
 * and value (`failurePauseMessage`).
 */
function pausedIntent(draft: Draft, paused: boolean): ConditionIntent {
  const intent = { type: CONDITION.paused, status: paused ? ('True' as const) : ('False' as const) };
  if (paused && pausedOnFailedAnalysis(draft.status)) {
    return { ...intent, reason: VIREO_PAUSE_REASON.failedAnalysis, message: failurePauseMessage(draft) };
  }
  return { ...intent, reason: REASON.paused, message: paused ? MESSAGE.paused : MESSAGE.resumed };
}

/** Sets `Available`, `Paused` (only once a pause has happened; see `pausedIntent`), `Healthy` and `Completed`. */
export function applyOtherConditions(ctx: PlanContext, draft: Draft, facts: StatusFacts): void {
  const status = draft.status;
  const available = (status.availableReplicas ?? 0) >= ctx.settings.replicas;
  set(draft, ctx, {
    type: CONDITION.available,
    status: available ? 'True' : 'False',
    reason: REASON.available,
    message: available ? MESSAGE.available : MESSAGE.notAvailable,
  });
  if (facts.paused || findCondition(status.conditions, CONDITION.paused)) {
    set(draft, ctx, pausedIntent(draft, facts.paused));
  }
  const healthy = facts.healthy ? 'True' : 'False';
  set(draft, ctx, {
    type: CONDITION.healthy,
    status: healthy,
    reason: REASON.healthy,
    message: facts.healthy ? MESSAGE.healthy : MESSAGE.notHealthy,
  });
  const completed = status.stableRS !== undefined && status.stableRS === status.currentPodHash;
  const message = completed
    ? 'Rollout completed update to the desired revision'
    : 'Rollout is updating to a new revision';
  set(draft, ctx, {
    type: CONDITION.completed,
    status: completed ? 'True' : 'False',
    reason: REASON.completed,
    message,
  });
}
