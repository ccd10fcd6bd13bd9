import { describe, expect, it } from 'vitest';
import type { Rollout, RolloutSpec, RolloutStatus } from '../../../src/api/index.js';
import { removeCondition, setCondition } from '../../../src/rollout/core/conditions.js';
import { rolloutPhase } from '../../../src/rollout/core/phase.js';
import { podTemplateHash } from '../../../src/rollout/core/pod-template-hash.js';
import { classifyReplicaSets, desiredRevision, maxRevision } from '../../../src/rollout/core/replicasets.js';
import { type ReplicaSetView, replicaSetView } from '../../../src/rollout/core/snapshot.js';
import { selectorString } from '../../../src/rollout/plan/finish.js';
import { aRollout, ISTIO } from './fixtures.js';
import { abort, pause, promote, promoteFull, retry, skipCurrentStep } from './user-commands.js';

const spec = (patch: Partial<RolloutSpec> = {}): RolloutSpec => ({
  ...aRollout({ replicas: 3 }).spec,
  ...patch,
});
const done: RolloutStatus = {
  replicas: 3,
  updatedReplicas: 3,
  availableReplicas: 3,
  stableRS: 'a',
  currentPodHash: 'a',
};

describe('rolloutPhase (reference 2.3)', () => {
  it.each([
    [
      'InvalidSpec',
      spec(),
      { ...done, conditions: [{ type: 'InvalidSpec', status: 'True', message: 'bad' }] },
      'Degraded',
      'InvalidSpec: bad',
    ],
    [
      'aborted',
      spec(),
      {
        ...done,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'x' }],
      },
      'Degraded',
      'RolloutAborted: x',
    ],
    [
      'timed out',
      spec(),
      {
        ...done,
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'y' },
        ],
      },
      'Degraded',
      'ProgressDeadlineExceeded: y',
    ],
    ['spec.paused', spec({ paused: true }), done, 'Paused', 'manually paused'],
    [
      'pause condition',
      spec(),
      { ...done, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }] },
      'Paused',
      'CanaryPauseStep',
    ],
    ['restarting', spec({ restartAt: 't1' }), done, 'Progressing', 'rollout is restarting'],
    ['updating', spec(), { ...done, updatedReplicas: 2 }, 'Progressing', 'more replicas need to be updated'],
    [
      'becoming available',
      spec(),
      { ...done, availableReplicas: 2 },
      'Progressing',
      'updated replicas are still becoming available',
    ],
    ['old pods', spec(), { ...done, replicas: 4 }, 'Progressing', 'old replicas are pending termination'],
    ['steps', spec(), { ...done, stableRS: 'b' }, 'Progressing', 'waiting for all steps to complete'],
    ['healthy', spec(), done, 'Healthy', ''],
  ])('%s', (_name, s, status, phase, message) => {
    expect(rolloutPhase(s, status)).toEqual({ phase, message });
  });

  it('ignores old replicas with traffic routing', () => {
    const routed = aRollout({ replicas: 3, trafficRouting: ISTIO }).spec;
    expect(rolloutPhase(routed, { ...done, replicas: 6 })).toEqual({ phase: 'Healthy', message: '' });
  });
});

describe('setCondition', () => {
  const intent = { type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated', message: 'm' };
  it('adds, keeps identical ones untouched, and keeps lastTransitionTime while the status holds', () => {
    const first = setCondition([], intent, 't1');
    expect(first).toEqual([{ ...intent, lastUpdateTime: 't1', lastTransitionTime: 't1' }]);
    expect(setCondition(first, intent, 't2')).toEqual(first);
    expect(setCondition(first, intent, 't2', true)[0]).toMatchObject({
      lastUpdateTime: 't2',
      lastTransitionTime: 't1',
    });
    expect(setCondition(first, { ...intent, message: 'n' }, 't3')[0]).toMatchObject({
      lastUpdateTime: 't3',
      lastTransitionTime: 't1',
    });
    expect(setCondition(first, { ...intent, status: 'False' }, 't4')[0]).toMatchObject({
      lastTransitionTime: 't4',
    });
    expect(removeCondition(first, 'Progressing')).toEqual([]);
  });

  it('replaces in place, keeping the order', () => {
    const list = setCondition(setCondition([], intent, 't'), { ...intent, type: 'Available' }, 't');
    expect(setCondition(list, { ...intent, message: 'x' }, 'u').map((c) => c.type)).toEqual([
      'Progressing',
      'Available',
    ]);
  });
});

describe('selectorString', () => {
  it.each([
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, 'tier in (api,web)'],
    [
      {
        matchLabels: { z: '1' },
        matchExpressions: [
          { key: 'a', operator: 'Exists' },
          { key: 'b', operator: 'DoesNotExist' },
          { key: 'c', operator: 'NotIn', values: ['x'] },
        ],
      },
      'a,!b,c notin (x),z=1',
    ],
    [undefined, ''],
  ])('%j → %s', (selector, text) => {
    expect(selectorString(selector)).toBe(text);
  });
});

describe('user commands', () => {
  const steps = [{ setWeight: 20 }, { pause: {} }, { analysis: { templates: [] } }];
  const at = (status: RolloutStatus, paused = false): Rollout => ({
    ...aRollout({ steps }),
    status,
    spec: { ...aRollout({ steps }).spec, paused },
  });
  const pauseCond = { reason: 'CanaryPauseStep', startTime: 't' };

  it.each([
    [
      'clears pause conditions',
      at({ currentStepIndex: 1, pauseConditions: [pauseCond], controllerPause: true }),
      { currentStepIndex: 1, controllerPause: true },
    ],
    [
      'skips an Inconclusive analysis step',
      at({
        currentStepIndex: 2,
        pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 't' }],
        controllerPause: true,
      }),
      { currentStepIndex: 3, controllerPause: false },
    ],
    ['skips the step when nothing is paused', at({ currentStepIndex: 0 }), { currentStepIndex: 1 }],
    ['never moves past the end', at({ currentStepIndex: 3 }), { currentStepIndex: 3 }],
  ])('promote %s', (_name, rollout, status) => {
    const next = promote(rollout);
    expect(next.status).toEqual(status);
  });

  it("promote unpauses spec.paused and, with no pause condition, skips the step (Argo's CLI)", () => {
    const next = promote(at({ currentStepIndex: 0 }, true));
    expect([next.spec.paused, next.status?.currentStepIndex]).toEqual([false, 1]);
  });

  it('promote --full, skip, abort, retry, pause', () => {
    expect(promoteFull(at({ stableRS: 'a', currentPodHash: 'b' })).status?.promoteFull).toBe(true);
    expect(promoteFull(at({ stableRS: 'a', currentPodHash: 'a' })).status?.promoteFull).toBeUndefined();
    expect(skipCurrentStep(at({ currentStepIndex: 1, pauseConditions: [pauseCond] })).status).toEqual({
      currentStepIndex: 2,
    });
    expect(abort(at({})).status?.abort).toBe(true);
    expect(retry(at({ abort: true })).status?.abort).toBe(false);
    expect(pause(at({})).spec.paused).toBe(true);
  });
});

describe('ReplicaSet roles and revisions', () => {
  const rs = (hash: string, revision: number, extra: Partial<ReplicaSetView> = {}): ReplicaSetView =>
    replicaSetView({
      metadata: {
        name: `demo-${hash}`,
        labels: { 'rollouts-pod-template-hash': hash },
        annotations: { 'rollout.argoproj.io/revision': String(revision) },
      },
      spec: { replicas: extra.specReplicas ?? 1 },
    });

  it('classifies by hash label and stableRS', () => {
    const rollout = aRollout();
    const current = podTemplateHash(rollout.spec.template);
    const sets = [rs('old', 1), rs('stab', 2), rs(current, 3)];
    const snapshot = {
      rollout: { ...rollout, status: { stableRS: 'stab' } },
      replicaSets: sets,
      analysisRuns: [],
      now: new Date(0),
    };
    const roles = classifyReplicaSets(snapshot);
    expect([
      roles.currentHash,
      roles.desired?.name,
      roles.stable?.name,
      roles.others.map((r) => r.name),
    ]).toEqual([current, `demo-${current}`, 'demo-stab', ['demo-old']]);
  });

  it.each([
    [undefined, [1, 2], 3],
    [3, [1, 2], 3],
    [1, [2], 3],
    [undefined, [], 1],
  ])('desired revision %s with others %j → %i', (own, others, expected) => {
    const desired = own === undefined ? undefined : rs('d', own);
    expect(
      desiredRevision(
        desired,
        others.map((n, i) => rs(`o${i}`, n)),
      ),
    ).toBe(expected);
    expect(maxRevision([])).toBe(0);
  });

  it('defaults missing counts like the API server', () => {
    expect(replicaSetView({})).toMatchObject({
      name: '',
      specReplicas: 1,
      replicas: 0,
      availableReplicas: 0,
      annotations: {},
    });
  });
});
