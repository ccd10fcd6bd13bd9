import { describe, expect, it } from 'vitest';
import type { CanaryStep } from '../../../src/api/index.js';
import {
  canaryScaleAt,
  describeStep,
  desiredCanaryWeight,
  pauseDecision,
  setWeightAt,
  stepCursor,
} from '../../../src/rollout/core/steps.js';

const STEPS: CanaryStep[] = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }];

describe('stepCursor', () => {
  it.each([
    [[], 3, undefined, undefined],
    [STEPS, undefined, 0, STEPS[0]],
    [STEPS, 2, 2, STEPS[2]],
    [STEPS, 3, 3, undefined],
    [STEPS, 9, 3, undefined],
    [STEPS, -1, 0, STEPS[0]],
  ])('%j at %s → %s', (steps, index, expected, step) => {
    const cursor = stepCursor(steps, index);
    expect([cursor.index, cursor.step]).toEqual([expected, step]);
  });
});

describe('setWeightAt', () => {
  it.each([
    [-1, 0],
    [0, 20],
    [1, 20],
    [2, 50],
    [3, 100],
  ])('index %i → %i', (index, weight) => {
    expect(setWeightAt(STEPS, index, 100)).toBe(weight);
  });

  it('is 0 before any setWeight', () => {
    expect(setWeightAt([{ pause: {} }, { setWeight: 10 }], 0, 100)).toBe(0);
  });
});

describe('canaryScaleAt', () => {
  const steps: CanaryStep[] = [
    { setCanaryScale: { replicas: 2 } },
    { setWeight: 10 },
    { setCanaryScale: { matchTrafficWeight: true } },
  ];
  it.each([
    [0, { replicas: 2 }],
    [1, { replicas: 2 }],
    [2, undefined],
  ])('index %i → %j', (index, scale) => {
    expect(canaryScaleAt(steps, index)).toEqual(scale);
  });
});

describe('desiredCanaryWeight', () => {
  const base = {
    steps: STEPS,
    index: 0,
    abort: false,
    promoteFull: false,
    stableHash: 's',
    currentHash: 'c',
    maxWeight: 100,
  };
  it.each([
    ['mid steps', {}, 20],
    ['later step', { index: 2 }, 50],
    ['after the last step', { index: 3 }, 100],
    ['aborted', { abort: true }, 0],
    ['promote full', { promoteFull: true }, 100],
    ['no stable', { stableHash: undefined }, 100],
    ['fully promoted', { stableHash: 'c' }, 100],
    ['no steps', { steps: [], index: undefined }, 100],
  ])('%s', (_name, patch, weight) => {
    expect(desiredCanaryWeight({ ...base, ...patch })).toBe(weight);
  });
});

describe('pauseDecision', () => {
  const start = '2026-03-01T12:00:00Z';
  const at = (iso: string) => Date.parse(iso);
  const paused = {
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: start }],
    controllerPause: true,
  };
  it.each([
    ['first reach', { pause: { duration: '1m' } }, {}, start, { kind: 'start' }],
    [
      'timed, running',
      { pause: { duration: '1m' } },
      paused,
      '2026-03-01T12:00:45Z',
      { kind: 'wait', remainingMs: 15_000 },
    ],
    ['timed, elapsed', { pause: { duration: '1m' } }, paused, '2026-03-01T12:01:00Z', { kind: 'complete' }],
    [
      'seconds as int',
      { pause: { duration: 30 } },
      paused,
      '2026-03-01T12:00:10Z',
      { kind: 'wait', remainingMs: 20_000 },
    ],
    [
      'seconds as digits',
      { pause: { duration: '30' } },
      paused,
      '2026-03-01T12:00:30Z',
      { kind: 'complete' },
    ],
    ['indefinite', { pause: {} }, paused, '2026-03-02T12:00:00Z', { kind: 'wait', remainingMs: undefined }],
    ['promoted by a user', { pause: {} }, { controllerPause: true }, start, { kind: 'complete' }],
  ])('%s', (_name, step, status, now, decision) => {
    expect(pauseDecision(step, status, at(now))).toEqual(decision);
  });
});

describe('describeStep', () => {
  it.each([
    [{ setWeight: 20 }, 'setWeight: 20'],
    [{ pause: {} }, 'pause'],
    [{ pause: { duration: '1m' } }, 'pause: 1m'],
    [{ analysis: { templates: [] } }, 'analysis'],
    [undefined, 'none'],
  ])('%j → %s', (step, text) => {
    expect(describeStep(step)).toBe(text);
  });
});
