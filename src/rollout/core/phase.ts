import type { RolloutPhase, RolloutSpec, RolloutStatus } from '../../api/index.js';
import { CONDITION, REASON, rolloutSettings, VIREO_PAUSE_REASON, VIREO_REASON } from '../../api/index.js';
import { failedAnalysisCause } from './failure-pause.js';

/** `status.phase` with its `status.message` ('' when Healthy). */
export interface PhaseResult {
  phase: RolloutPhase;
  message: string;
}

function degraded(status: RolloutStatus): PhaseResult | undefined {
  const conditions = status.conditions ?? [];
  const invalid = conditions.find((c) => c.type === CONDITION.invalidSpec);
  if (invalid) return { phase: 'Degraded', message: `${REASON.invalidSpec}: ${invalid.message ?? ''}` };
  const failed = conditions.find(
    (c) =>
      c.reason === REASON.aborted || c.reason === REASON.timedOut || c.reason === VIREO_REASON.stableMissing,
  );
  if (failed) return { phase: 'Degraded', message: `${failed.reason}: ${failed.message ?? ''}` };
  return undefined;
}

function blueGreenPhase(status: RolloutStatus): PhaseResult | undefined {
  const active = status.blueGreen?.activeSelector;
  if (!active || active !== status.currentPodHash) {
    return { phase: 'Progressing', message: 'active service cutover pending' };
  }
  if (status.stableRS !== status.currentPodHash) {
    const analysis = status.blueGreen?.postPromotionAnalysisRunStatus;
    const message = analysis
      ? 'waiting for analysis to complete'
      : 'waiting for post-promotion verification to complete';
    return { phase: 'Progressing', message };
  }
  return undefined;
}

function canaryPhase(spec: RolloutSpec, status: RolloutStatus): PhaseResult | undefined {
  const routed = spec.strategy.canary?.trafficRouting !== undefined;
  if (!routed && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
    return { phase: 'Progressing', message: 'old replicas are pending termination' };
  }
  if (!status.stableRS || status.stableRS !== status.currentPodHash) {
    return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return undefined;
}

function progressing(spec: RolloutSpec, status: RolloutStatus): PhaseResult | undefined {
  if (spec.restartAt && spec.restartAt !== status.restartedAt) {
    return { phase: 'Progressing', message: 'rollout is restarting' };
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < rolloutSettings(spec).replicas) {
    return { phase: 'Progressing', message: 'more replicas need to be updated' };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  return spec.strategy.blueGreen ? blueGreenPhase(status) : canaryPhase(spec, status);
}

/** The reason of a pause, with the failed run's cause after Vireo's `FailedAnalysisRun` reason. */
function pauseMessage(reason: string, status: RolloutStatus): string {
  const cause = reason === VIREO_PAUSE_REASON.failedAnalysis ? failedAnalysisCause(status) : undefined;
  return cause === undefined ? reason : `${reason}: ${cause}`;
}

/**
 * Argo `CalculateRolloutPhase`, first match wins: InvalidSpec → Degraded; a RolloutAborted,
 * ProgressDeadlineExceeded or (Vireo) StableReplicaSetMissing condition → Degraded; `spec.paused` → Paused "manually paused"; a pause
 * condition → Paused with its reason (Vireo's `FailedAnalysisRun` followed by the failed run's cause); restart pending, too few updated or available replicas, or the
 * strategy unfinished → Progressing; otherwise Healthy with message ''.
 * Example: pauseConditions [{reason: CanaryPauseStep}] → {Paused, "CanaryPauseStep"}.
 */
export function rolloutPhase(spec: RolloutSpec, status: RolloutStatus): PhaseResult {
  const failed = degraded(status);
  if (failed) return failed;
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause) return { phase: 'Paused', message: pauseMessage(pause.reason, status) };
  return progressing(spec, status) ?? { phase: 'Healthy', message: '' };
}
