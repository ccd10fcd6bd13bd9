import { describe, expect, it } from 'vitest';
import {
  abortPatch,
  pausePatch,
  promoteFullPatch,
  promotePatch,
  restartPatch,
  resumePatch,
  retryPatch,
  skipCurrentStepPatch,
} from '../../../src/api/user-commands.js';
import {
  parseImageAssignment,
  setImageOps,
  templateWithoutHash,
  undoOps,
  undoTarget,
} from '../../../src/cli/patches.js';
import { aReplicaSet, aRollout } from './fixtures.js';

const PAUSED = [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }];

describe('promote (argo-rollouts-api.md §5)', () => {
  it.each([
    [
      'a pause step: clear pause conditions only',
      aRollout({ currentStepIndex: 1, pauseConditions: PAUSED }),
      { status: { pauseConditions: null } },
    ],
    [
      'spec.paused and a pause step: unpause too',
      aRollout({ currentStepIndex: 1, pauseConditions: PAUSED }, { paused: true }),
      { spec: { paused: false }, status: { pauseConditions: null } },
    ],
    [
      'an Inconclusive step analysis: also reset controllerPause and skip the step',
      aRollout({
        currentStepIndex: 2,
        controllerPause: true,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: '2026-01-01T00:00:00Z' }],
        canary: { currentStepAnalysisRunStatus: { name: 'r', status: 'Inconclusive' } },
      }),
      { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 3 } },
    ],
    [
      'no pause (mid analysis): skip the current step',
      aRollout({ currentStepIndex: 2 }),
      { status: { pauseConditions: null, currentStepIndex: 3 } },
    ],
    [
      'all steps done: the index stays at steps.length',
      aRollout({ currentStepIndex: 4 }),
      { status: { pauseConditions: null, currentStepIndex: 4 } },
    ],
    ['missing index counts as 0', aRollout({}), { status: { pauseConditions: null, currentStepIndex: 1 } }],
    ['no steps and not paused: nothing', aRollout({}, {}, []), {}],
    [
      'no steps but spec.paused: unpause only',
      aRollout({}, { paused: true }, []),
      { spec: { paused: false } },
    ],
  ])('%s', (_name, rollout, expected) => {
    expect(promotePatch(rollout)).toEqual(expected);
  });

  it('--full sets status.promoteFull unless fully promoted, and unpauses spec', () => {
    expect(promoteFullPatch(aRollout({ stableRS: 'a', currentPodHash: 'b' }, { paused: true }))).toEqual({
      spec: { paused: false },
      status: { promoteFull: true },
    });
    expect(promoteFullPatch(aRollout({ stableRS: 'a', currentPodHash: 'a' }))).toEqual({});
  });
});

describe('the other status and spec verbs', () => {
  it('abort, retry and pause send fixed patches', () => {
    expect(abortPatch()).toEqual({ status: { abort: true } });
    expect(retryPatch()).toEqual({ status: { abort: false } });
    expect(pausePatch()).toEqual({ spec: { paused: true } });
  });

  it.each([
    [
      'pause conditions and spec.paused',
      aRollout({ pauseConditions: PAUSED }, { paused: true }),
      { spec: { paused: false }, status: { pauseConditions: null } },
    ],
    ['pause conditions only', aRollout({ pauseConditions: PAUSED }), { status: { pauseConditions: null } }],
    ['spec.paused only', aRollout({}, { paused: true }), { spec: { paused: false } }],
    ['nothing paused', aRollout({}), {}],
  ])('resume with %s', (_name, rollout, expected) => {
    expect(resumePatch(rollout)).toEqual(expected);
  });

  it('skip-current-step clears pause conditions and advances; refuses without steps or at the end', () => {
    expect(skipCurrentStepPatch(aRollout({ currentStepIndex: 1, pauseConditions: PAUSED }))).toEqual({
      status: { pauseConditions: null, currentStepIndex: 2 },
    });
    expect(() => skipCurrentStepPatch(aRollout({}, {}, []))).toThrow('has no canary steps to skip');
    expect(() => skipCurrentStepPatch(aRollout({ currentStepIndex: 4 }))).toThrow(
      'already completed all steps',
    );
  });

  it('restart sets spec.restartAt to now (+in) in RFC 3339 with whole seconds', () => {
    const now = new Date('2026-11-27T01:02:03.456Z');
    expect(restartPatch(now)).toEqual({ spec: { restartAt: '2026-11-27T01:02:03Z' } });
    expect(restartPatch(now, 30_000)).toEqual({ spec: { restartAt: '2026-11-27T01:02:33Z' } });
  });
});

describe('set image', () => {
  const rollout = aRollout(
    {},
    {
      template: {
        spec: {
          initContainers: [{ name: 'init', image: 'i:1' }],
          containers: [
            { name: 'app', image: 'a:1' },
            { name: 'side', image: 's:1' },
          ],
        },
      },
    },
  );

  it('replaces the named container image, guarded by the resourceVersion', () => {
    expect(setImageOps(rollout, 'side', 's:2')).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 's:2' },
    ]);
  });

  it('* replaces every container, init containers included', () => {
    expect(setImageOps(rollout, '*', 'x:9').map((op) => op.path)).toEqual([
      '/metadata/resourceVersion',
      '/spec/template/spec/initContainers/0/image',
      '/spec/template/spec/containers/0/image',
      '/spec/template/spec/containers/1/image',
    ]);
  });

  it('rejects an unknown container, workloadRef, and a malformed CONTAINER=IMAGE', () => {
    expect(() => setImageOps(rollout, 'nope', 'x')).toThrow('unable to find container named "nope"');
    expect(() => setImageOps(aRollout({}, { workloadRef: { name: 'd' } }), 'app', 'x')).toThrow(
      'workloadRef',
    );
    expect(parseImageAssignment('app=r/web:2=x')).toEqual({ container: 'app', image: 'r/web:2=x' });
    expect(() => parseImageAssignment('app')).toThrow('expected CONTAINER=IMAGE');
    expect(() => parseImageAssignment('=img')).toThrow('expected CONTAINER=IMAGE');
  });
});

describe('undo', () => {
  const sets = [
    aReplicaSet(1, 'h1', 'web:1', [0, 0]),
    aReplicaSet(3, 'h3', 'web:3', [4, 4]),
    aReplicaSet(2, 'h2', 'web:2', [0, 0]),
  ];

  it('picks the previous revision for 0, else the named one', () => {
    expect(undoTarget(sets, 0).metadata?.name).toBe('web-h2');
    expect(undoTarget(sets, 1).metadata?.name).toBe('web-h1');
    expect(() => undoTarget(sets, 7)).toThrow('unable to find specified revision 7 in history');
    expect(() => undoTarget([sets[0] ?? {}], 0)).toThrow('no previous revision');
  });

  it('replaces /spec/template with the ReplicaSet template minus the hash label', () => {
    expect(undoOps(sets[0] ?? {})).toEqual([
      {
        op: 'replace',
        path: '/spec/template',
        value: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'web:1' }] },
        },
      },
    ]);
    expect(templateWithoutHash({ metadata: { labels: { 'rollouts-pod-template-hash': 'x' } } })).toEqual({
      metadata: { labels: {} },
    });
  });
});
