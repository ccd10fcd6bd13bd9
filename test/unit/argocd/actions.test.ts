import { describe, expect, it } from 'vitest';
import {
  type ActionRollout,
  enabledRolloutActions,
  restartTimestamp,
  rolloutActionPatches,
} from '../../support/argocd/actions.js';

const steps = [{ setWeight: 50 }, { pause: {} }, { setWeight: 75 }];
const rollout = (status: ActionRollout['status'], paused?: boolean): ActionRollout => ({
  spec: { paused, strategy: { canary: { steps } } },
  status,
});
const now = new Date('2026-11-27T03:04:05.678Z');

describe('Argo CD Rollout action discovery (reference 6.2)', () => {
  it('offers only restart on a fully promoted Rollout', () => {
    const healthy = rollout({ currentPodHash: 'a', stableRS: 'a', currentStepIndex: 3 });
    expect(enabledRolloutActions(healthy)).toEqual(['restart']);
  });

  it('offers resume, abort, pause, promote-full and skip on a Rollout paused at a step', () => {
    const paused = rollout({
      currentPodHash: 'b',
      stableRS: 'a',
      currentStepIndex: 1,
      pauseConditions: [{}],
    });
    expect(enabledRolloutActions(paused)).toEqual([
      'restart',
      'resume',
      'abort',
      'pause',
      'promote-full',
      'skip-current-step',
    ]);
  });

  it('offers retry instead of abort and pause once aborted', () => {
    const aborted = rollout({ currentPodHash: 'b', stableRS: 'a', currentStepIndex: 0, abort: true });
    expect(enabledRolloutActions(aborted)).toEqual(['restart', 'retry', 'promote-full', 'skip-current-step']);
  });

  it('hides pause when spec.paused, and resume without pause conditions unless there is no status', () => {
    const userPaused = rollout({ currentPodHash: 'b', stableRS: 'a', currentStepIndex: 3 }, true);
    expect(enabledRolloutActions(userPaused)).toEqual(['restart', 'abort', 'promote-full']);
    expect(enabledRolloutActions(rollout(undefined, true))).toContain('resume');
  });
});

describe('Argo CD Rollout action patches', () => {
  const paused = rollout(
    { currentPodHash: 'b', stableRS: 'a', currentStepIndex: 1, pauseConditions: [{}] },
    true,
  );

  it('formats restartAt in UTC to the second', () => {
    expect(restartTimestamp(now)).toBe('2026-11-27T03:04:05Z');
    expect(rolloutActionPatches('restart', paused, now)).toEqual({
      spec: { restartAt: '2026-11-27T03:04:05Z' },
    });
  });

  it('produces the status and spec merge patches of each action', () => {
    expect(rolloutActionPatches('resume', paused, now)).toEqual({
      status: { pauseConditions: null },
      spec: { paused: false },
    });
    expect(rolloutActionPatches('abort', paused, now)).toEqual({ status: { abort: true } });
    expect(rolloutActionPatches('promote-full', paused, now)).toEqual({ status: { promoteFull: true } });
    expect(rolloutActionPatches('skip-current-step', paused, now)).toEqual({
      status: { pauseConditions: null, currentStepIndex: 2 },
    });
    const aborted = rollout({ currentPodHash: 'b', stableRS: 'a', abort: true });
    expect(rolloutActionPatches('retry', aborted, now)).toEqual({ status: { abort: null } });
    const running = rollout({ currentPodHash: 'b', stableRS: 'a', currentStepIndex: 0 });
    expect(rolloutActionPatches('pause', running, now)).toEqual({ spec: { paused: true } });
  });

  it('refuses an action Argo CD would not offer', () => {
    const healthy = rollout({ currentPodHash: 'a', stableRS: 'a' });
    expect(() => rolloutActionPatches('abort', healthy, now)).toThrow(/would not offer action abort/);
  });
});
