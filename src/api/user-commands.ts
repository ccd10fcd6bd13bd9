import { rfc3339Seconds } from '../util/time.js';
import { PAUSE_REASON } from './argo-constants.js';
import type { Rollout } from './rollout.js';

/**
 * The user commands on a Rollout (promote, promote --full, abort, retry, pause, resume, skip-current-step,
 * restart) as the merge patches Argo's `kubectl argo rollouts` sends (argo-rollouts-api.md §5). The one set
 * used by the CLI, the dashboard and the tests; pure: the builders read the Rollout (and `now`) and return
 * data.
 */

/** A user command that does not apply to this Rollout; `message` is one line for the user. */
export class UserCommandError extends Error {
  override readonly name = 'UserCommandError';
}

/**
 * The merge patches one verb sends (argo-rollouts-api.md §5): `spec` goes to the Rollout itself, `status`
 * to its status subresource; `null` deletes a field. Invariant: an absent key means "send nothing".
 */
export interface RolloutPatch {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function canarySteps(rollout: Rollout): readonly unknown[] | undefined {
  const steps = rollout.spec.strategy.canary?.steps;
  return steps === undefined || steps.length === 0 ? undefined : steps;
}

/** Argo `GetCurrentCanaryStep`'s index: undefined without steps, else `currentStepIndex` (missing → 0). */
function stepIndex(rollout: Rollout): number | undefined {
  return canarySteps(rollout) === undefined ? undefined : (rollout.status?.currentStepIndex ?? 0);
}

function nextIndex(rollout: Rollout, index: number): number {
  return Math.min(index + 1, canarySteps(rollout)?.length ?? 0);
}

function inconclusive(rollout: Rollout): boolean {
  const status = rollout.status;
  const stepRun = status?.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  return (
    stepRun || (status?.pauseConditions ?? []).some((c) => c.reason === PAUSE_REASON.inconclusiveAnalysis)
  );
}

function unpauseSpec(rollout: Rollout): RolloutPatch {
  return rollout.spec.paused ? { spec: { paused: false } } : {};
}

/**
 * `promote NAME`: spec `{paused:false}` when paused; status `{pauseConditions:null}` when there are pause
 * conditions — plus `controllerPause:false, currentStepIndex:i+1` when the pause is an Inconclusive step
 * analysis; with no pause condition a canary with steps skips the current step
 * (`{pauseConditions:null, currentStepIndex:i+1}`). The index never exceeds `steps.length`.
 */
export function promotePatch(rollout: Rollout): RolloutPatch {
  const patch = unpauseSpec(rollout);
  const index = stepIndex(rollout);
  if ((rollout.status?.pauseConditions ?? []).length > 0) {
    if (inconclusive(rollout) && index !== undefined) {
      const next = nextIndex(rollout, index);
      return { ...patch, status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
    }
    return { ...patch, status: { pauseConditions: null } };
  }
  if (index === undefined) return patch;
  return { ...patch, status: { pauseConditions: null, currentStepIndex: nextIndex(rollout, index) } };
}

/** True when the stable ReplicaSet is the desired one (`status.stableRS == status.currentPodHash`). */
export function fullyPromoted(rollout: Rollout): boolean {
  const status = rollout.status;
  return status?.stableRS !== undefined && status.stableRS === status.currentPodHash;
}

/** `promote NAME --full`: spec `{paused:false}` when paused; status `{promoteFull:true}` unless fully promoted. */
export function promoteFullPatch(rollout: Rollout): RolloutPatch {
  const patch = unpauseSpec(rollout);
  return fullyPromoted(rollout) ? patch : { ...patch, status: { promoteFull: true } };
}

/** `abort NAME`: status `{abort:true}`. */
export function abortPatch(): RolloutPatch {
  return { status: { abort: true } };
}

/** `retry rollout NAME`: status `{abort:false}` (the controller then clears `abortedAt` and restarts steps). */
export function retryPatch(): RolloutPatch {
  return { status: { abort: false } };
}

/** `pause NAME`: spec `{paused:true}`. */
export function pausePatch(): RolloutPatch {
  return { spec: { paused: true } };
}

/**
 * `resume NAME` (Argo CD's resume action): status `{pauseConditions:null}` when there are pause conditions,
 * spec `{paused:false}` when `spec.paused` is true. Empty when nothing is paused.
 */
export function resumePatch(rollout: Rollout): RolloutPatch {
  const patch = unpauseSpec(rollout);
  const paused = (rollout.status?.pauseConditions ?? []).length > 0;
  return paused ? { ...patch, status: { pauseConditions: null } } : patch;
}

/**
 * `skip-current-step NAME` (Argo CD's action): status `{pauseConditions:null, currentStepIndex:i+1}`.
 * Throws a {@link UserCommandError} for a blue-green Rollout (no steps: use `promote`), a canary without steps or one
 * already past its last step.
 */
export function skipCurrentStepPatch(rollout: Rollout): RolloutPatch {
  if (rollout.spec.strategy.blueGreen !== undefined) {
    throw new UserCommandError(
      `rollout "${rollout.metadata.name}" uses the blueGreen strategy, which has no steps to skip; use promote`,
    );
  }
  const index = stepIndex(rollout);
  const total = canarySteps(rollout)?.length ?? 0;
  if (index === undefined)
    throw new UserCommandError(`rollout "${rollout.metadata.name}" has no canary steps to skip`);
  if (index >= total)
    throw new UserCommandError(`rollout "${rollout.metadata.name}" has already completed all steps`);
  return { status: { pauseConditions: null, currentStepIndex: index + 1 } };
}

/** `restart NAME [--in D]`: spec `{restartAt: now + in}` in RFC 3339 (whole seconds, UTC). */
export function restartPatch(now: Date, inMs = 0): RolloutPatch {
  return { spec: { restartAt: rfc3339Seconds(now.getTime() + inMs) } };
}
