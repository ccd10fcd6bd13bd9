import type { Rollout, RolloutStatus } from '../api/index.js';
import { PAUSE_REASON } from '../api/index.js';

function withStatus(rollout: Rollout, patch: Partial<RolloutStatus>): Rollout {
  const status: Record<string, unknown> = { ...rollout.status, ...patch };
  for (const key of Object.keys(status)) if (status[key] === undefined) delete status[key];
  return { ...rollout, status: status as RolloutStatus };
}

function unpaused(rollout: Rollout): Rollout {
  return rollout.spec.paused ? { ...rollout, spec: { ...rollout.spec, paused: false } } : rollout;
}

/**
 * `kubectl argo rollouts promote` (and Argo CD "resume"): unpause `spec.paused`; clear pause conditions; when
 * the pause was an Inconclusive step analysis also skip that step and reset `controllerPause`; when nothing
 * was paused, skip the current step. Never moves past `steps.length`.
 */
export function promote(rollout: Rollout): Rollout {
  const status = rollout.status ?? {};
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  const index = status.currentStepIndex ?? 0;
  const next = Math.min(index + 1, steps.length);
  const conditions = status.pauseConditions ?? [];
  if (conditions.some((c) => c.reason === PAUSE_REASON.inconclusiveAnalysis)) {
    return withStatus(unpaused(rollout), {
      pauseConditions: undefined,
      controllerPause: false,
      currentStepIndex: next,
    });
  }
  if (conditions.length > 0) return withStatus(unpaused(rollout), { pauseConditions: undefined });
  if (rollout.spec.paused) return unpaused(rollout);
  return steps.length === 0 ? rollout : withStatus(rollout, { currentStepIndex: next });
}

/** `promote --full`: unpause and set `status.promoteFull` unless already fully promoted. */
export function promoteFull(rollout: Rollout): Rollout {
  const status = rollout.status ?? {};
  const promoted = status.stableRS !== undefined && status.stableRS === status.currentPodHash;
  return promoted ? unpaused(rollout) : withStatus(unpaused(rollout), { promoteFull: true });
}

/** Argo CD `skip-current-step`: clear pause conditions and move to the next step (bounded by the step count). */
export function skipCurrentStep(rollout: Rollout): Rollout {
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex ?? 0;
  return withStatus(rollout, {
    pauseConditions: undefined,
    currentStepIndex: Math.min(index + 1, steps.length),
  });
}

/** `kubectl argo rollouts abort`: `status.abort = true`. */
export function abort(rollout: Rollout): Rollout {
  return withStatus(rollout, { abort: true });
}

/** `kubectl argo rollouts retry rollout`: `status.abort = false` (the controller clears `abortedAt`). */
export function retry(rollout: Rollout): Rollout {
  return withStatus(rollout, { abort: false });
}

/** `kubectl argo rollouts pause`: `spec.paused = true`. */
export function pause(rollout: Rollout): Rollout {
  return { ...rollout, spec: { ...rollout.spec, paused: true } };
}
