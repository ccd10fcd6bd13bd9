import { describe, expect, it } from 'vitest';
import type { AnalysisRunView, RolloutView } from '../../../src/notify/model.js';
import { evaluateTriggers } from '../../../src/notify/triggers.js';

const steps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 100 }];

function rollout(
  status: NonNullable<RolloutView['status']>,
  annotations: Record<string, string> = {},
): RolloutView {
  return {
    metadata: { name: 'shop', namespace: 'apps', uid: 'u1', annotations },
    spec: { strategy: { canary: { steps } } },
    status,
  };
}

const names = (r: RolloutView, runs: AnalysisRunView[] = [], prev?: RolloutView) =>
  evaluateTriggers(r, runs, prev).map((e) => `${e.trigger} ${e.onceKey}`);

describe('evaluateTriggers', () => {
  it('a first deploy is updated and completed, with no step events', () => {
    const r = rollout({ currentPodHash: 'h1', stableRS: 'h1', currentStepIndex: 3, phase: 'Healthy' });
    expect(names(r, [], rollout({}))).toEqual(['on-rollout-updated h1', 'on-rollout-completed h1']);
  });

  it('mid-update, the step before the current one is completed, keyed by hash and step', () => {
    const r = rollout({ currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 1, phase: 'Progressing' });
    expect(names(r)).toEqual(['on-rollout-updated h2', 'on-rollout-step-completed h2/step-0']);
    expect(names(rollout({ currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 0 }))).toEqual([
      'on-rollout-updated h2',
    ]);
  });

  it('a pause on a failed analysis says paused, not rolled back, with the failed run’s message', () => {
    const pause = [{ reason: 'FailedAnalysisRun', startTime: '2026-01-01T00:00:00Z' }];
    const message = 'FailedAnalysisRun: Step-based analysis phase failed: Metric "error-rate" … [0.08]';
    const r = rollout({
      currentPodHash: 'h2',
      stableRS: 'h1',
      currentStepIndex: 1,
      pauseConditions: pause,
      message,
    });
    const event = evaluateTriggers(r, []).find((e) => e.trigger === 'on-rollout-paused');
    expect(event?.onceKey).toBe('h2/pause-FailedAnalysisRun-2026-01-01T00:00:00Z');
    expect(event?.message).toBe(
      `Rollout apps/shop paused after a failed analysis, not rolled back: traffic is back on stable and the canary is kept (promote retries the analysis, abort rolls back): ${message}`,
    );
    expect(evaluateTriggers(r, []).map((e) => e.trigger)).not.toContain('on-rollout-aborted');
  });

  it('a pause is one occurrence per pause condition start', () => {
    const pause = [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }];
    const r = rollout({ currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 1, pauseConditions: pause });
    expect(names(r)).toContain('on-rollout-paused h2/pause-CanaryPauseStep-2026-01-01T00:00:00Z');
  });

  it('the last step completes on promotion only when the previous observation was mid-update', () => {
    const done = rollout({ currentPodHash: 'h2', stableRS: 'h2', currentStepIndex: 3, phase: 'Healthy' });
    const before = rollout({ currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 2 });
    expect(names(done, [], before)).toContain('on-rollout-step-completed h2/step-2');
    expect(names(done)).not.toContain('on-rollout-step-completed h2/step-2');
    const rollback = rollout({ currentPodHash: 'h1', stableRS: 'h2', currentStepIndex: 1 });
    expect(names(done, [], rollback).filter((n) => n.includes('step'))).toEqual([]);
  });

  it('an abort fires once per abortedAt, with the Progressing message, and no step or pause events', () => {
    const r = rollout({
      currentPodHash: 'h2',
      stableRS: 'h1',
      currentStepIndex: 1,
      abort: true,
      abortedAt: '2026-01-01T00:01:00Z',
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'x' }],
      conditions: [{ type: 'Progressing', reason: 'RolloutAborted', message: 'metric "errors" failed' }],
    });
    const events = evaluateTriggers(r, []);
    expect(events.map((e) => e.trigger)).toEqual(['on-rollout-updated', 'on-rollout-aborted']);
    expect(events[1]?.onceKey).toBe('h2/aborted-2026-01-01T00:01:00Z');
    expect(events[1]?.message).toContain('metric "errors" failed');
  });

  it('AnalysisRuns of the current update fire by phase; other rollouts’ and earlier updates’ are ignored', () => {
    const owned = (name: string, phase: string, uid = 'u1'): AnalysisRunView => ({
      metadata: {
        name,
        namespace: 'apps',
        uid: `run-${name}`,
        ownerReferences: [{ kind: 'Rollout', name: 'shop', uid, controller: true }],
      },
      status: { phase, message: 'boom' },
    });
    const r = rollout({ currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 0 });
    const older = owned('old', 'Failed');
    older.metadata = { ...older.metadata, labels: { 'rollouts-pod-template-hash': 'h1' } };
    const runs = [
      owned('a', 'Running'),
      owned('b', 'Failed'),
      owned('c', 'Error'),
      owned('d', 'Successful'),
      older,
    ];
    expect(names(r, [...runs, owned('e', 'Failed', 'other')]).slice(1)).toEqual([
      'on-analysis-run-running run-run-a-Running',
      'on-analysis-run-failed run-run-b-Failed',
      'on-analysis-run-error run-run-c-Error',
    ]);
  });

  it('the Git rollback annotation fires once per commit, even without a pod hash', () => {
    const r = rollout({}, { 'vireo.dev/git-rollback-commit': 'abc123' });
    const [event] = evaluateTriggers(r, []);
    expect(event).toMatchObject({
      trigger: 'on-rollout-git-rollback',
      onceKey: 'git-abc123',
      gitCommit: 'abc123',
    });
  });

  it('is deterministic: the same observation gives the same events', () => {
    const r = rollout({ currentPodHash: 'h2', stableRS: 'h1', currentStepIndex: 2, phase: 'Paused' });
    expect(evaluateTriggers(r, [])).toEqual(evaluateTriggers(structuredClone(r), []));
  });
});
