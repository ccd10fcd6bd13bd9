import { runsBeyondHistory } from '../../analysis/core/index.js';
import type { Draft, PlanContext } from './context.js';

function trackedRuns(draft: Draft): Set<string> {
  const { canary, blueGreen } = draft.status;
  const names = [
    canary?.currentStepAnalysisRunStatus?.name,
    canary?.currentBackgroundAnalysisRunStatus?.name,
    blueGreen?.prePromotionAnalysisRunStatus?.name,
    blueGreen?.postPromotionAnalysisRunStatus?.name,
  ];
  return new Set(names.filter((name): name is string => name !== undefined));
}

/**
 * Argo's run history: deletes the oldest completed AnalysisRuns of this Rollout beyond
 * `spec.analysis.successfulRunHistoryLimit` / `unsuccessfulRunHistoryLimit` (default 5 each). Runs the next
 * status still tracks and runs not completed are never deleted. Planned after everything else, from the
 * status this pass records, so the result does not depend on which pass saw a run complete.
 */
export function planRunHistory(ctx: PlanContext, draft: Draft): void {
  const limits = {
    successful: ctx.settings.successfulRunHistoryLimit,
    unsuccessful: ctx.settings.unsuccessfulRunHistoryLimit,
  };
  for (const name of runsBeyondHistory(ctx.snapshot.analysisRuns, limits, trackedRuns(draft))) {
    draft.actions.push({ kind: 'deleteAnalysisRun', name });
  }
}
