import { describe, expect, it } from 'vitest';
import { GIT_ANNOTATION, GIT_RECORD } from '../../../src/gitops/annotations.js';
import {
  abortIdentity,
  abortRecorded,
  automaticAbortCause,
  planWriteBack,
  type WriteBackSnapshot,
} from '../../../src/gitops/plan.js';
import { MESSAGE } from '../../../src/rollout/core/conditions.js';
import { ABORTED_AT, abortedRollout, failedRun } from './fixtures.js';

const ANALYSIS_CAUSE = 'Step-based analysis phase failed: Metric "error-rate" assessed Failed';
const stable = [{ name: 'app', image: 'registry.example/shop:1.2.0' }];

function snapshot(overrides: Partial<WriteBackSnapshot> = {}): WriteBackSnapshot {
  return {
    rollout: abortedRollout(ANALYSIS_CAUSE),
    runs: [failedRun()],
    stableContainers: stable,
    allowFileRemotes: false,
    ...overrides,
  };
}

describe('planWriteBack', () => {
  it('writes back an analysis abort with the run, metric, measured value and condition', () => {
    const decision = planWriteBack(snapshot());
    expect(decision).toMatchObject({
      kind: 'write',
      request: {
        pushBranch: 'main',
        facts: {
          namespace: 'prod',
          rollout: 'shop',
          uid: 'uid-1',
          revision: '3',
          fromImage: 'registry.example/shop:1.3.0',
          toImage: 'registry.example/shop:1.2.0',
          abortedAt: ABORTED_AT,
          reason: {
            kind: 'analysis',
            analysisRun: 'shop-canaryhash-3-1',
            phase: 'Failed',
            metric: 'error-rate',
            measured: '[0.09]',
            condition: 'successCondition "result[0] < 0.05"',
            detail: 'failed (2) > failureLimit (1)',
          },
        },
      },
    });
  });

  it('ignores failed runs of other pod hashes and runs created after the abort', () => {
    const other = { ...failedRun('old'), metadata: { ...failedRun('old').metadata, labels: {} } };
    const later = failedRun('later', '2026-11-27T04:00:00Z');
    const decision = planWriteBack(snapshot({ runs: [other, later, failedRun('right')] }));
    expect(decision.kind === 'write' && decision.request.facts.reason.analysisRun).toBe('right');
  });

  it('writes back a progressDeadlineAbort', () => {
    const cause = 'ReplicaSet "shop-canaryhash" has timed out progressing.';
    const decision = planWriteBack(snapshot({ rollout: abortedRollout(cause), runs: [] }));
    expect(decision.kind === 'write' && decision.request.facts.reason).toEqual({
      kind: 'deadline',
      summary: cause,
    });
  });

  it('does nothing for a user abort (no cause in the RolloutAborted message)', () => {
    expect(automaticAbortCause(abortedRollout())).toBeUndefined();
    expect(planWriteBack(snapshot({ rollout: abortedRollout() }))).toEqual({ kind: 'none' });
  });

  it('does nothing without the opt-in, when not aborted, or once this abort is recorded', () => {
    const plain = abortedRollout(ANALYSIS_CAUSE);
    plain.metadata.annotations = {};
    expect(planWriteBack(snapshot({ rollout: plain }))).toEqual({ kind: 'none' });
    const retried = abortedRollout(ANALYSIS_CAUSE);
    retried.status = { ...retried.status, abort: false };
    expect(planWriteBack(snapshot({ rollout: retried }))).toEqual({ kind: 'none' });
    const done = abortedRollout(ANALYSIS_CAUSE, { [GIT_RECORD.abortedAt]: ABORTED_AT });
    expect(planWriteBack(snapshot({ rollout: done }))).toEqual({ kind: 'none' });
  });

  it('acts again for a later abort of the same Rollout', () => {
    const older = abortedRollout(ANALYSIS_CAUSE, { [GIT_RECORD.abortedAt]: '2026-11-26T00:00:00Z' });
    expect(planWriteBack(snapshot({ rollout: older })).kind).toBe('write');
  });

  it('refuses with the field named: bad annotations, file:// not allowed, no stable, nothing changed', () => {
    const file = abortedRollout(ANALYSIS_CAUSE, { [GIT_ANNOTATION.repo]: 'file:///tmp/x.git' });
    expect(planWriteBack(snapshot({ rollout: file }))).toMatchObject({ kind: 'refuse', message: /git-repo/ });
    expect(planWriteBack(snapshot({ rollout: file, allowFileRemotes: true })).kind).toBe('write');
    expect(planWriteBack(snapshot({ stableContainers: undefined }))).toMatchObject({ kind: 'refuse' });
    const same = [{ name: 'app', image: 'registry.example/shop:1.3.0' }];
    expect(planWriteBack(snapshot({ stableContainers: same }))).toMatchObject({
      message: /nothing to roll back/,
    });
    const named = abortedRollout(ANALYSIS_CAUSE, { [GIT_ANNOTATION.container]: 'web' });
    expect(planWriteBack(snapshot({ rollout: named }))).toMatchObject({ message: /container "web"/ });
  });

  it('names the abort by rollout, time, revision and failed run, and records under that name', () => {
    const decision = planWriteBack(snapshot());
    const id = `uid-1@${ABORTED_AT}/3/uid-of-shop-canaryhash-3-1`;
    expect(decision.kind === 'write' && decision.request.facts.abortId).toBe(id);
    const done = abortedRollout(ANALYSIS_CAUSE, { [GIT_RECORD.id]: id, [GIT_RECORD.abortedAt]: ABORTED_AT });
    expect(planWriteBack(snapshot({ rollout: done }))).toEqual({ kind: 'none' });
  });
});

describe('two automatic aborts in the same second are two write-backs', () => {
  const first = `uid-1@${ABORTED_AT}/3/uid-of-shop-canaryhash-3-1`;
  const recordedFirst = { [GIT_RECORD.id]: first, [GIT_RECORD.abortedAt]: ABORTED_AT };

  it('an abort of the next revision in the same second', () => {
    const next = abortedRollout(ANALYSIS_CAUSE, recordedFirst);
    const progressing = next.status?.conditions?.[0];
    if (progressing) progressing.message = `${MESSAGE.aborted(4)}: ${ANALYSIS_CAUSE}`;
    const runs = [failedRun(), failedRun('shop-canaryhash-4-1')];
    const decision = planWriteBack(snapshot({ rollout: next, runs }));
    expect(decision).toMatchObject({ kind: 'write', request: { facts: { revision: '4' } } });
    expect(decision.kind === 'write' && decision.request.facts.abortId).toBe(
      `uid-1@${ABORTED_AT}/4/uid-of-shop-canaryhash-4-1`,
    );
  });

  it('abort, retry and abort again of one revision: the retried run (".1", same second) names the second', () => {
    const again = abortedRollout(ANALYSIS_CAUSE, recordedFirst);
    const retried = failedRun('shop-canaryhash-3-1.1', '2026-11-27T03:11:00Z');
    const decision = planWriteBack(snapshot({ rollout: again, runs: [failedRun(), retried] }));
    expect(decision.kind === 'write' && decision.request.facts.abortId).toBe(
      `uid-1@${ABORTED_AT}/3/uid-of-shop-canaryhash-3-1.1`,
    );
  });

  it('keeps one identity across restarts: same status and runs, same name; a deleted run still matches', () => {
    const rollout = abortedRollout(ANALYSIS_CAUSE);
    expect(abortIdentity(rollout, [failedRun()])).toBe(
      abortIdentity(structuredClone(rollout), [failedRun()]),
    );
    const done = abortedRollout(ANALYSIS_CAUSE, recordedFirst);
    expect(abortIdentity(done, [])).toBe(`uid-1@${ABORTED_AT}/3/-`);
    expect(abortRecorded(done, `uid-1@${ABORTED_AT}/3/-`)).toBe(true);
    expect(abortRecorded(done, `uid-1@${ABORTED_AT}/31/-`)).toBe(false);
    const legacy = abortedRollout(ANALYSIS_CAUSE, { [GIT_RECORD.abortedAt]: ABORTED_AT });
    expect(planWriteBack(snapshot({ rollout: legacy }))).toEqual({ kind: 'none' });
  });
});
