import { describe, expect, it } from 'vitest';
import {
  antiAffinityOf,
  withAntiAffinity,
  withoutAntiAffinity,
} from '../../../src/rollout/core/anti-affinity.js';
import {
  abortStepDownWeight,
  abortTrafficWeight,
  atLeastMinPods,
  dynamicStableCounts,
  promoteFullTrafficWeight,
} from '../../../src/rollout/core/dynamic-stable-scale.js';
import { replicaProgressMet } from '../../../src/rollout/core/replica-progress.js';

describe('atLeastMinPods (Argo CheckMinPodsPerReplicaSet)', () => {
  it.each([
    [1, 2, 10, 2],
    [0, 2, 10, 0],
    [5, 2, 10, 5],
    [1, 20, 10, 10],
    [3, undefined, 10, 3],
  ])('count %i, min %s, replicas %i → %i', (count, min, replicas, expected) => {
    expect(atLeastMinPods(count, min, replicas)).toBe(expected);
  });
});

describe('dynamicStableCounts (stable follows the larger of desired and applied share)', () => {
  // weight, canary, applied stable weight, minPods → [canary, stable] (replicas 10, max 100)
  it.each<[number, number, number, number | undefined, [number, number]]>([
    [20, 2, 100, undefined, [2, 10]],
    [20, 2, 80, undefined, [2, 8]],
    [50, 5, 80, undefined, [5, 8]],
    [50, 5, 50, undefined, [5, 5]],
    [100, 10, 0, undefined, [10, 0]],
    [90, 9, 10, 2, [9, 2]],
    [95, 10, 5, 3, [10, 3]],
    [20, 2, 50, undefined, [2, 8]],
  ])('weight %i, canary %i, applied stable %i, minPods %s → %j', (weight, canary, applied, min, expected) => {
    const counts = dynamicStableCounts({
      replicas: 10,
      weight,
      maxWeight: 100,
      canary,
      appliedStableWeight: applied,
      ...(min === undefined ? {} : { minPodsPerReplicaSet: min }),
    });
    expect([counts.canary, counts.stable]).toEqual(expected);
  });
});

describe('abortStepDownWeight (setWeights in reverse as the stable catches up)', () => {
  const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }, { setWeight: 80 }];
  it.each([
    [10, 80],
    [8, 50],
    [6, 50],
    [5, 20],
    [3, 20],
    [2, 0],
    [0, 0],
  ])('canary serving with %i pods → %i', (pods, expected) => {
    expect(abortStepDownWeight(steps, 10, 100, pods)).toBe(expected);
  });
});

describe('abortTrafficWeight (never rises, drops only when the stable can carry it)', () => {
  // stable available, step weight, current → weight (replicas 10, max 100)
  it.each<[number, number, number | undefined, number]>([
    [2, 50, 80, 80],
    [4, 50, 80, 80],
    [5, 50, 80, 50],
    [8, 20, 50, 20],
    [8, 0, 20, 20],
    [10, 0, 20, 0],
    [9, 0, 20, 10],
    [2, 50, undefined, 80],
    [10, 50, 30, 30],
  ])('stable %i, step %i, current %s → %i', (stable, step, current, expected) => {
    const weight = abortTrafficWeight({
      replicas: 10,
      maxWeight: 100,
      stableAvailable: stable,
      stepWeight: step,
      current,
    });
    expect(weight).toBe(expected);
    // Safety: the stable share never exceeds what the stable's available pods carry.
    expect(Math.ceil((10 * (100 - weight)) / 100)).toBeLessThanOrEqual(stable);
  });
});

describe('promoteFullTrafficWeight', () => {
  it.each([
    [10, 2, 20],
    [10, 7, 70],
    [10, 10, 100],
    [3, 1, 33],
  ])('replicas %i, canary available %i → %i', (replicas, available, expected) => {
    expect(promoteFullTrafficWeight(replicas, 100, available)).toBe(expected);
  });
});

describe('replicaProgressMet (Argo ReplicaProgressThresholdMet)', () => {
  // threshold, spec, available, desired → met
  it.each<[{ type: string; value: number } | undefined, number, number, number, boolean]>([
    [undefined, 4, 3, 4, false],
    [undefined, 4, 4, 4, true],
    [{ type: 'Percent', value: 50 }, 4, 2, 4, true],
    [{ type: 'Percent', value: 75 }, 4, 2, 4, false],
    [{ type: 'Percent', value: 100 }, 4, 4, 4, true],
    [{ type: 'Percent', value: 50 }, 0, 0, 0, true],
    [{ type: 'Pods', value: 1 }, 4, 1, 4, true],
    [{ type: 'Pods', value: 2 }, 4, 1, 4, false],
    [{ type: 'Pods', value: 9 }, 4, 4, 4, true],
    [{ type: 'Pods', value: 1 }, 2, 1, 4, false],
    [{ type: 'Percent', value: -1 }, 4, 3, 4, false],
  ])('%j, spec %i, available %i of %i → %s', (threshold, spec, available, desired, met) => {
    expect(replicaProgressMet(threshold, { specReplicas: spec, availableReplicas: available }, desired)).toBe(
      met,
    );
  });
});

describe('anti-affinity injection', () => {
  const template = {
    metadata: { labels: { app: 'demo' } },
    spec: {
      containers: [{ name: 'demo', image: 'demo:v2' }],
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
    },
  };
  const term = {
    labelSelector: {
      matchExpressions: [{ key: 'rollouts-pod-template-hash', operator: 'In', values: ['abc'] }],
    },
    namespaces: ['ns'],
    topologyKey: 'kubernetes.io/hostname',
  };

  it('adds a weighted preferred term against the stable hash, keeping the user affinity', () => {
    const choice = antiAffinityOf({
      canary: { antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 40 } } },
    });
    const out = withAntiAffinity(template, choice, 'abc', 'ns');
    expect(out.spec?.affinity).toEqual({
      nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 40, podAffinityTerm: term }],
      },
    });
    expect(withoutAntiAffinity(out)).toEqual(template);
  });

  it('adds a required term for blue-green and strips it back to no affinity', () => {
    const bare = { spec: { containers: [{ name: 'demo' }] } };
    const choice = antiAffinityOf({
      blueGreen: { activeService: 'a', antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } },
    });
    const out = withAntiAffinity(bare, choice, 'abc', 'ns');
    expect(out.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      term,
    ]);
    expect(withoutAntiAffinity(out)).toEqual(bare);
  });

  it('injects nothing without a stable, or without a member set', () => {
    const choice = antiAffinityOf({
      canary: { antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } },
    });
    expect(withAntiAffinity(template, choice, undefined, 'ns')).toBe(template);
    expect(antiAffinityOf({ canary: { antiAffinity: {} } })).toBeUndefined();
  });
});
