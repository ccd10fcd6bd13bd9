import type { BlueGreenStrategy } from '../../api/index.js';
import { EVENT_REASON, PAUSE_REASON } from '../../api/index.js';
import { addPause, type Draft, emit, type PlanContext } from '../plan/context.js';
import { markAborted } from '../plan/user-intents.js';
import { type PromotionAnalysis, promotionVerdict } from './promotion-analysis.js';

/** Whether a gate lets the update go on this pass. */
export type Gate = 'go' | 'wait';

/** A pause the user already lifted: `controllerPause` left with no pause condition. */
function resumedByUser(draft: Draft): boolean {
  return draft.status.controllerPause === true && (draft.status.pauseConditions ?? []).length === 0;
}

/**
 * The pre- or post-promotion analysis gate: go when none is configured, the user promoted fully, or the
 * run succeeded; an Inconclusive run pauses (`InconclusiveAnalysisRun`) until the user resumes; a
 * Failed/Error run aborts the rollout.
 */
export function analysisGate(
  ctx: PlanContext,
  draft: Draft,
  type: PromotionAnalysis,
  bg: BlueGreenStrategy,
): Gate {
  const analysis = type === 'PrePromotion' ? bg.prePromotionAnalysis : bg.postPromotionAnalysis;
  if (analysis === undefined || draft.status.promoteFull) return 'go';
  const verdict = promotionVerdict(ctx, draft, type, analysis);
  if (verdict.kind === 'complete') return 'go';
  if (verdict.kind === 'abort') markAborted(ctx, draft, verdict.cause);
  if (verdict.kind === 'inconclusive') {
    if (resumedByUser(draft)) return 'go';
    addPause(ctx, draft, PAUSE_REASON.inconclusiveAnalysis);
  }
  return 'wait';
}

function autoPromotionGate(ctx: PlanContext, draft: Draft, seconds: number): Gate {
  const pause = draft.status.pauseConditions?.find((c) => c.reason === PAUSE_REASON.blueGreenPause);
  const since = Date.parse(pause?.startTime ?? ctx.nowIso);
  const remaining = since + seconds * 1000 - ctx.nowMs;
  if (remaining > 0) {
    draft.requeueMs.push(remaining);
    return 'wait';
  }
  draft.status.pauseConditions = (draft.status.pauseConditions ?? []).filter(
    (c) => c.reason !== PAUSE_REASON.blueGreenPause,
  );
  emit(
    draft,
    'Normal',
    EVENT_REASON.rolloutResumed,
    `Auto-promoting after autoPromotionSeconds (${seconds}s)`,
  );
  return 'go';
}

/**
 * The pause before promotion: none with `autoPromotionEnabled` (default) and no `autoPromotionSeconds`;
 * otherwise a `BlueGreenPause` condition is added once per update. The user lifts it (promote/resume:
 * `controllerPause` remains, conditions cleared); with `autoPromotionSeconds` (and auto-promotion enabled)
 * it is lifted once that long has passed since its `startTime`.
 */
export function pauseGate(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy): Gate {
  const seconds = bg.autoPromotionEnabled === false ? 0 : (bg.autoPromotionSeconds ?? 0);
  if ((bg.autoPromotionEnabled !== false && seconds === 0) || draft.status.promoteFull) return 'go';
  if (resumedByUser(draft)) return 'go';
  const paused = (draft.status.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON.blueGreenPause);
  if (!paused) addPause(ctx, draft, PAUSE_REASON.blueGreenPause);
  return seconds > 0 ? autoPromotionGate(ctx, draft, seconds) : 'wait';
}
