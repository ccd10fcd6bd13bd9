import type { CanaryStep, RolloutStatus } from '../../api/index.js';
import { PAUSE_REASON, pauseDurationMs } from '../../api/index.js';

/**
 * Where the canary is in its steps. `index` is `undefined` when there are no steps and equals
 * `steps.length` once all are done, in which case `step` is `undefined`.
 */
export interface StepCursor {
  index: number | undefined;
  step: CanaryStep | undefined;
  total: number;
}

/** The cursor for `status.currentStepIndex` (missing → 0), clamped to `[0, steps.length]`. */
export function stepCursor(steps: readonly CanaryStep[], currentStepIndex: number | undefined): StepCursor {
  if (steps.length === 0) return { index: undefined, step: undefined, total: 0 };
  const index = Math.min(Math.max(currentStepIndex ?? 0, 0), steps.length);
  return { index, step: steps[index], total: steps.length };
}

/**
 * The weight of the last `setWeight` at or before `index`: 0 when there is none, `maxWeight` once past the
 * last step. Examples for [setWeight 20, pause, setWeight 50]: index 0 → 20; 1 → 20; 2 → 50; 3 → max;
 * index −1 → 0.
 */
export function setWeightAt(steps: readonly CanaryStep[], index: number, maxWeight: number): number {
  if (index >= steps.length) return maxWeight;
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/**
 * The `setCanaryScale` in force at `index` (the latest one at or before it), or `undefined` when none applies
 * or the latest says `matchTrafficWeight`. Only meaningful with traffic routing.
 */
export function canaryScaleAt(
  steps: readonly CanaryStep[],
  index: number,
): { replicas?: number; weight?: number } | undefined {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const scale = steps[i]?.setCanaryScale;
    if (scale === undefined) continue;
    if (scale.matchTrafficWeight) return undefined;
    return {
      ...(scale.replicas === undefined ? {} : { replicas: scale.replicas }),
      ...(scale.weight === undefined ? {} : { weight: scale.weight }),
    };
  }
  return undefined;
}

/** The facts `desiredCanaryWeight` depends on (all from the next status being planned). */
export interface WeightState {
  steps: readonly CanaryStep[];
  index: number | undefined;
  abort: boolean;
  promoteFull: boolean;
  stableHash: string | undefined;
  currentHash: string;
  maxWeight: number;
}

/**
 * The canary weight the replica math aims for (Argo `GetCanaryReplicasOrWeight`): `max` when promoting
 * fully, when there is no stable, or when fully promoted; 0 when aborted; otherwise `setWeightAt(index)`
 * (`max` with no steps or past the last one).
 */
export function desiredCanaryWeight(state: WeightState): number {
  if (state.promoteFull || !state.stableHash || state.stableHash === state.currentHash)
    return state.maxWeight;
  if (state.abort) return 0;
  return setWeightAt(state.steps, state.index ?? state.steps.length, state.maxWeight);
}

/** The pause condition with `reason`, if present. */
export function pauseCondition(status: RolloutStatus, reason: string) {
  return (status.pauseConditions ?? []).find((condition) => condition.reason === reason);
}

/** What a `pause` step wants this pass: add its pause condition, keep waiting, or complete. */
export type PauseDecision =
  | { kind: 'start' }
  | { kind: 'wait'; remainingMs: number | undefined }
  | { kind: 'complete' };

/**
 * Pause step semantics (Argo `pause.go`): first reach → `start` (add `CanaryPauseStep`, `controllerPause`);
 * condition cleared by a user while `controllerPause` → `complete`; with a duration, `complete` once
 * `now ≥ startTime + duration`, else `wait` with the remaining time; without one, `wait` indefinitely.
 * Example: `{duration: '1m'}` started at 12:00:00, now 12:00:45 → wait 15000 ms; now 12:01:00 → complete.
 */
export function pauseDecision(step: CanaryStep, status: RolloutStatus, nowMs: number): PauseDecision {
  const condition = pauseCondition(status, PAUSE_REASON.canaryPauseStep);
  if (condition === undefined) return status.controllerPause ? { kind: 'complete' } : { kind: 'start' };
  const duration = step.pause?.duration;
  if (duration === undefined) return { kind: 'wait', remainingMs: undefined };
  const ms = pauseDurationMs(duration) ?? 0;
  const remaining = Date.parse(condition.startTime) + ms - nowMs;
  return remaining <= 0 ? { kind: 'complete' } : { kind: 'wait', remainingMs: remaining };
}

/** A short, human description of a step for events: `setWeight: 20`, `pause: 1m`, `analysis`. */
export function describeStep(step: CanaryStep | undefined): string {
  if (step === undefined) return 'none';
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause !== undefined)
    return step.pause.duration === undefined ? 'pause' : `pause: ${step.pause.duration}`;
  const kind = Object.keys(step).find((key) => step[key as keyof CanaryStep] !== undefined);
  return kind ?? 'empty';
}
