import { describe, expect, it } from 'vitest';
import {
  approximateCanaryStable,
  basicCanaryReplicaCounts,
  drainOthers,
  trafficRoutedReplicaCounts,
  trafficWeightToReplicas,
} from '../../../src/rollout/core/replica-counts.js';

describe('approximateCanaryStable (Argo TestApproximateWeightedNewStableReplicaCounts)', () => {
  it.each([
    [0, 50, 1, 0, 0],
    [1, 0, 0, 0, 1],
    [1, 49, 0, 0, 1],
    [1, 50, 0, 1, 0],
    [1, 1, 1, 1, 1],
    [1, 100, 1, 1, 0],
    [2, 1, 0, 1, 1],
    [2, 99, 0, 1, 1],
    [2, 1, 1, 1, 2],
    [2, 99, 1, 2, 1],
    [3, 25, 0, 1, 2],
    [3, 50, 0, 2, 1],
    [3, 10, 1, 1, 3],
    [3, 33, 1, 1, 2],
    [3, 49, 1, 2, 2],
    [10, 1, 0, 1, 9],
    [10, 14, 0, 1, 9],
    [10, 15, 0, 2, 8],
    [10, 99, 0, 9, 1],
    [10, 1, 1, 1, 10],
    [10, 18, 1, 2, 9],
    [10, 23, 1, 2, 8],
    [10, 24, 1, 3, 8],
    [10, 99, 1, 10, 1],
    [10, 100, 1, 10, 0],
  ])('replicas %i, weight %i, surge %i → %i/%i', (replicas, weight, surge, canary, stable) => {
    expect(approximateCanaryStable(replicas, weight, surge)).toEqual({ canary, stable });
  });
});

type Row = [
  string,
  number,
  number,
  number,
  number,
  [number, number],
  [number, number],
  [number, number],
  [number, number]?,
];

describe('basicCanaryReplicaCounts (Argo TestCalculateReplicaCountsForCanary)', () => {
  // name, replicas, weight, surge, unavailable, stable [spec, available], canary [spec, available], expected [canary, stable], older RS
  const rows: Row[] = [
    ['extra available stable pods are not counted', 10, 100, 3, 0, [7, 8], [6, 3], [6, 7]],
    ['max surge int scales up the canary', 10, 20, 2, 0, [10, 10], [0, 0], [2, 10]],
    ['extra stable replicas scale down', 10, 20, 2, 0, [10, 10], [2, 2], [2, 8]],
    ['never past max surge', 10, 30, 2, 0, [10, 10], [0, 0], [2, 10]],
    ['max unavailable scales the stable down first', 10, 20, 0, 2, [10, 10], [0, 0], [0, 8]],
    ['never past max unavailable', 10, 30, 0, 2, [10, 10], [0, 0], [0, 8]],
    ['surge and unavailable together', 10, 50, 2, 1, [10, 10], [0, 0], [2, 9]],
    ['weight 0 scales the canary to zero', 10, 0, 1, 1, [10, 10], [1, 1], [0, 10]],
    ['weight 100 scales the stable to zero', 10, 100, 1, 1, [1, 1], [10, 10], [10, 0]],
    ['canary ≥ 1 on a non-zero weight', 1, 20, 1, 0, [1, 1], [0, 0], [1, 1]],
    ['canary ≥ 1 below 100', 1, 90, 1, 0, [1, 1], [0, 0], [1, 1]],
    ['stable scales up before the canary', 10, 30, 1, 0, [1, 1], [0, 0], [1, 7], [3, 3]],
    ['scale down canary and stable', 10, 30, 0, 3, [8, 5], [4, 4], [3, 7]],
    ['stable and canary availability', 10, 100, 1, 0, [10, 2], [10, 8], [9, 2]],
    ['older RS blocks scale-down', 10, 30, 0, 1, [8, 6], [4, 2], [4, 8], [3, 3]],
    ['no rounding past surge', 10, 5, 0, 1, [10, 10], [0, 0], [0, 9]],
    ['no rounding past surge (part 2)', 10, 5, 0, 1, [9, 9], [0, 0], [1, 9]],
    ['surge only by 1 when stable unavailable', 4, 100, 1, 0, [4, 1], [0, 0], [1, 4]],
    ['scale down to unavailable within surge', 3, 99, 0, 2, [3, 3], [0, 0], [0, 1]],
    ['scale down to unavailable within surge (part 2)', 3, 99, 0, 2, [1, 1], [0, 0], [2, 1]],
    ['unavailable honoured with unavailable stable', 4, 100, 1, 0, [4, 1], [1, 1], [1, 3]],
    ['abort part 1: surge stable first', 4, 0, 1, 0, [0, 0], [4, 4], [4, 1]],
    ['abort part 2: stable not available yet', 4, 0, 1, 0, [1, 0], [4, 4], [4, 1]],
    ['abort part 3: canary down by one', 4, 0, 1, 0, [1, 1], [4, 4], [3, 1]],
  ];
  it.each(rows)(
    '%s',
    (_name, replicas, weight, maxSurge, maxUnavailable, stable, canary, expected, older) => {
      const counts = basicCanaryReplicaCounts({
        replicas,
        weight,
        maxSurge,
        maxUnavailable,
        stable: { specReplicas: stable[0], availableReplicas: stable[1] },
        canary: { specReplicas: canary[0], availableReplicas: canary[1] },
        others: older ? [{ specReplicas: older[0], availableReplicas: older[1] }] : [],
      });
      expect([counts.canary, counts.stable]).toEqual(expected);
    },
  );

  it.each([
    [10, 1, 1, [1, 9]],
    [10, 3, 0, [3, 10]],
    [10, 0, 5, [0, 7]],
  ])('doc examples: replicas 10, weight 10/30/30, surge %i… (%i, %i)', (_r, surge, unavailable, expected) => {
    const weight = surge === 1 ? 10 : 30;
    const counts = basicCanaryReplicaCounts({
      replicas: 10,
      weight,
      maxSurge: surge,
      maxUnavailable: unavailable,
      stable: { specReplicas: 10, availableReplicas: 10 },
      canary: { specReplicas: 0, availableReplicas: 0 },
      others: [],
    });
    expect([counts.canary, counts.stable]).toEqual(expected);
  });

  it('drives all replicas to the canary when there is no separate stable', () => {
    const counts = basicCanaryReplicaCounts({
      replicas: 10,
      weight: 10,
      maxSurge: 0,
      maxUnavailable: 1,
      stable: undefined,
      canary: { specReplicas: 9, availableReplicas: 9 },
      others: [],
    });
    expect(counts).toEqual({ canary: 10, stable: 0 });
  });
});

describe('trafficWeightToReplicas', () => {
  it.each([
    [0, 0],
    [20, 2],
    [25, 3],
    [33, 4],
    [99, 10],
    [100, 10],
  ])('10 replicas at %i%% → %i', (weight, pods) => {
    expect(trafficWeightToReplicas(10, weight)).toBe(pods);
  });

  it('scales by maxTrafficWeight', () => {
    expect(trafficWeightToReplicas(10, 250, 1000)).toBe(3);
  });
});

describe('trafficRoutedReplicaCounts', () => {
  it.each([
    ['weight 10', { weight: 10 }, 1],
    ['setCanaryScale replicas', { weight: 100, canaryScale: { replicas: 9 } }, 9],
    ['setCanaryScale weight', { weight: 100, canaryScale: { weight: 20 } }, 2],
    ['minPodsPerReplicaSet', { weight: 5, minPodsPerReplicaSet: 2 }, 2],
    ['weight 0 stays 0 despite minPods', { weight: 0, minPodsPerReplicaSet: 2 }, 0],
    ['kept up while 20% is still routed to it', { weight: 0, appliedCanaryWeight: 20 }, 2],
    ['shrinks once traffic left', { weight: 0, appliedCanaryWeight: 0 }, 0],
  ])('%s', (_name, extra, canary) => {
    expect(trafficRoutedReplicaCounts({ replicas: 10, maxWeight: 100, ...extra })).toEqual({
      canary,
      stable: 10,
    });
  });
});

describe('drainOthers', () => {
  it.each([
    [
      [
        [3, 3],
        [2, 0],
      ],
      12,
      9,
      [0, 0],
    ],
    [
      [
        [3, 3],
        [2, 0],
      ],
      10,
      9,
      [2, 0],
    ],
    [[[3, 3]], 8, 9, [3]],
  ])('%j with %i available, min %i → %j', (others, available, min, expected) => {
    const states = others.map(([specReplicas, availableReplicas]) => ({
      specReplicas: specReplicas ?? 0,
      availableReplicas: availableReplicas ?? 0,
    }));
    expect(drainOthers(states, available, min)).toEqual(expected);
  });
});
