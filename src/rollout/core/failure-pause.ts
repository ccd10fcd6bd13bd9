import type { RolloutStatus } from '../../api/index.js';
import { VIREO_PAUSE_REASON } from '../../api/index.js';

/**
 * How a Failed or Error AnalysisRun is worded in an abort or a pause: "`<what>` analysis phase failed|error"
 * followed by ": <run message>" when the run has one. Example: ('Step-based', 'Failed', 'Metric "x" …') →
 * `Step-based analysis phase failed: Metric "x" …`.
 */
export function failedRunCause(what: string, phase: 'Failed' | 'Error', message: string | undefined): string {
  return `${what} analysis phase ${phase.toLowerCase()}${message ? `: ${message}` : ''}`;
}

/** True while the Rollout is paused on a failed analysis (Vireo's `FailedAnalysisRun` pause condition). */
export function pausedOnFailedAnalysis(status: RolloutStatus): boolean {
  return (status.pauseConditions ?? []).some((c) => c.reason === VIREO_PAUSE_REASON.failedAnalysis);
}

/**
 * Why a Rollout paused on a failed analysis, from the runs its status records: each recorded step or
 * background run that is Failed or Error (`failedRunCause`), joined by "; ". The run message names the metric,
 * the limit crossed and the measured value. `undefined` when no recorded run failed.
 */
export function failedAnalysisCause(status: RolloutStatus): string | undefined {
  const records = [
    ['Step-based', status.canary?.currentStepAnalysisRunStatus],
    ['Background', status.canary?.currentBackgroundAnalysisRunStatus],
  ] as const;
  const causes = records.flatMap(([what, record]) => {
    const phase = record?.status;
    return phase === 'Failed' || phase === 'Error' ? [failedRunCause(what, phase, record?.message)] : [];
  });
  return causes.length > 0 ? causes.join('; ') : undefined;
}
