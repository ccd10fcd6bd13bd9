import { describe, expect, it } from 'vitest';
import { pauseNotice, writeBackDue } from '../../../src/gitops/plan.js';
import { abortedRollout } from './fixtures.js';

/** The opted-in fixture, paused on a failed analysis (vireo.dev/analysis-failure-action: pause), not aborted. */
function pausedRollout(reason = 'FailedAnalysisRun') {
  const base = abortedRollout();
  const pauseConditions = [{ reason, startTime: '2026-11-27T03:12:00Z' }];
  return { ...base, status: { currentPodHash: 'canaryhash', stableRS: 'stablehash', pauseConditions } };
}

describe('the Git write-back of a pause on a failed analysis', () => {
  it('says paused, not rolled back, once per pause, and commits nothing', () => {
    const notice = pauseNotice(pausedRollout());
    expect(notice?.id).toBe('uid-1@2026-11-27T03:12:00Z');
    expect(notice?.message).toMatch(
      /^Rollout paused after a failed analysis .*not rolled back: nothing is committed/,
    );
    expect(writeBackDue(pausedRollout())).toBe(false);
  });

  it('no notice for any other pause, once aborted, or without the Git opt-in', () => {
    expect(pauseNotice(pausedRollout('CanaryPauseStep'))).toBeUndefined();
    expect(
      pauseNotice({ ...pausedRollout(), status: { ...pausedRollout().status, abort: true } }),
    ).toBeUndefined();
    expect(
      pauseNotice({ ...pausedRollout(), metadata: { name: 'shop', namespace: 'prod', uid: 'uid-1' } }),
    ).toBeUndefined();
  });
});
