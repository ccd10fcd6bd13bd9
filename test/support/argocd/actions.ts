/**
 * A test oracle for Argo CD's built-in Rollout actions (reference `argo-rollouts-api.md` §6.2): which actions
 * are enabled for a Rollout, and the merge patches each one produces. Argo CD applies the `status` patch
 * through the status subresource first and the rest (`spec`) as a normal merge patch.
 */

/** Argo CD's Rollout action names. */
export const ROLLOUT_ACTIONS = [
  'restart',
  'resume',
  'abort',
  'retry',
  'pause',
  'promote-full',
  'skip-current-step',
] as const;

/** One of {@link ROLLOUT_ACTIONS}. */
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

/** The Rollout fields the actions read. */
export interface ActionRollout {
  spec?: { paused?: boolean; strategy?: { canary?: { steps?: unknown[] }; blueGreen?: unknown } };
  status?: {
    pauseConditions?: unknown[] | null;
    abort?: boolean;
    currentPodHash?: string;
    stableRS?: string;
    currentStepIndex?: number;
  };
}

/** The merge patches an action produces: `status` (status subresource) and `spec` (main resource). */
export interface ActionPatches {
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

const fullyPromoted = (r: ActionRollout) =>
  r.status !== undefined && r.status.currentPodHash === r.status.stableRS;

function stepCount(r: ActionRollout): number | undefined {
  return r.spec?.strategy?.canary?.steps?.length;
}

const ENABLED: Record<RolloutAction, (r: ActionRollout) => boolean> = {
  restart: () => true,
  resume: (r) => (r.status ? (r.status.pauseConditions?.length ?? 0) > 0 : r.spec?.paused === true),
  abort: (r) => !fullyPromoted(r) && r.status?.abort !== true,
  retry: (r) => !fullyPromoted(r) && r.status?.abort === true,
  pause: (r) => !fullyPromoted(r) && r.status?.abort !== true && r.spec?.paused !== true,
  'promote-full': (r) => !fullyPromoted(r),
  'skip-current-step': (r) => {
    const steps = stepCount(r);
    return steps !== undefined && steps > 0 && r.status?.currentStepIndex !== steps;
  },
};

/** The actions Argo CD's discovery offers (enabled) for this Rollout, in {@link ROLLOUT_ACTIONS} order. */
export function enabledRolloutActions(r: ActionRollout): RolloutAction[] {
  return ROLLOUT_ACTIONS.filter((action) => ENABLED[action](r));
}

/** Argo CD's `restartAt` format: UTC, seconds precision, `Z` suffix. */
export function restartTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

/**
 * The patches of `action` on `r` at `now`; throws when Argo CD would not offer the action (not enabled),
 * so a test cannot apply an action Argo CD's UI would hide.
 */
export function rolloutActionPatches(action: RolloutAction, r: ActionRollout, now: Date): ActionPatches {
  if (!ENABLED[action](r)) throw new Error(`Argo CD would not offer action ${action} on this Rollout`);
  switch (action) {
    case 'restart':
      return { spec: { restartAt: restartTimestamp(now) } };
    case 'resume':
      return {
        status: { pauseConditions: null },
        ...(r.spec?.paused === true ? { spec: { paused: false } } : {}),
      };
    case 'abort':
      return { status: { abort: true } };
    case 'retry':
      return { status: { abort: null } };
    case 'pause':
      return { spec: { paused: true } };
    case 'promote-full':
      return { status: { promoteFull: true } };
    case 'skip-current-step':
      return { status: { pauseConditions: null, currentStepIndex: (r.status?.currentStepIndex ?? 0) + 1 } };
  }
}
