import type { Rollout, RolloutPatch } from '../../../src/api/index.js';
import {
  abortPatch,
  pausePatch,
  promoteFullPatch,
  promotePatch,
  retryPatch,
  skipCurrentStepPatch,
} from '../../../src/api/user-commands.js';

/** RFC 7386 merge of `patch` into `target`: `null` deletes a key, objects merge, anything else replaces. */
function merged(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof out[key] === 'object') {
      out[key] = merged((out[key] ?? {}) as Record<string, unknown>, value as Record<string, unknown>);
    } else out[key] = value;
  }
  return out;
}

/** The Rollout as the API server stores it after the CLI sent `patch` (spec to the object, status to /status). */
export function applyRolloutPatch(rollout: Rollout, patch: RolloutPatch): Rollout {
  const spec = patch.spec ? merged(rollout.spec, patch.spec) : rollout.spec;
  const status = patch.status ? merged(rollout.status ?? {}, patch.status) : rollout.status;
  return { ...rollout, spec, status } as Rollout;
}

/** `kubectl vireo promote` applied (the CLI's own patch, `promotePatch`). */
export const promote = (rollout: Rollout): Rollout => applyRolloutPatch(rollout, promotePatch(rollout));
/** `kubectl vireo promote --full` applied. */
export const promoteFull = (rollout: Rollout): Rollout =>
  applyRolloutPatch(rollout, promoteFullPatch(rollout));
/** `kubectl vireo skip-current-step` applied. */
export const skipCurrentStep = (rollout: Rollout): Rollout =>
  applyRolloutPatch(rollout, skipCurrentStepPatch(rollout));
/** `kubectl vireo abort` applied. */
export const abort = (rollout: Rollout): Rollout => applyRolloutPatch(rollout, abortPatch());
/** `kubectl vireo retry rollout` applied. */
export const retry = (rollout: Rollout): Rollout => applyRolloutPatch(rollout, retryPatch());
/** `kubectl vireo pause` applied. */
export const pause = (rollout: Rollout): Rollout => applyRolloutPatch(rollout, pausePatch());
