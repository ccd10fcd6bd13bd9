import { describe, expect, it } from 'vitest';
import { desiredTrafficOf, stableOnlyTraffic, totalWeight } from '../../../src/traffic/desired-traffic.js';

describe('desiredTrafficOf', () => {
  it.each([
    [0, undefined, 0, 100],
    [20, undefined, 20, 80],
    [100, undefined, 100, 0],
    [250, 1000, 250, 750],
  ])('canary %i (max %s) → %i/%i', (canaryWeight, maxTrafficWeight, canary, stable) => {
    const d = desiredTrafficOf({ canaryWeight, ...(maxTrafficWeight ? { maxTrafficWeight } : {}) });
    expect([d.canaryWeight, d.stableWeight]).toEqual([canary, stable]);
    expect(totalWeight(d)).toBe(maxTrafficWeight ?? 100);
    expect(d.headerRoutes).toEqual([]);
    expect(d.mirrorRoutes).toEqual([]);
  });

  it.each([
    [-1, undefined],
    [101, undefined],
    [12.5, undefined],
    [10, 0],
  ])('rejects canary %s with max %s', (canaryWeight, maxTrafficWeight) => {
    const input = { canaryWeight, ...(maxTrafficWeight === undefined ? {} : { maxTrafficWeight }) };
    expect(() => desiredTrafficOf(input)).toThrow(RangeError);
  });

  it('keeps hashes only when given', () => {
    expect(desiredTrafficOf({ canaryWeight: 1, canaryHash: 'c' })).toEqual({
      canaryWeight: 1,
      stableWeight: 99,
      canaryHash: 'c',
      headerRoutes: [],
      mirrorRoutes: [],
    });
  });
});

describe('stableOnlyTraffic', () => {
  it.each([[undefined], [1000]])('sends everything to stable (max %s)', (max) => {
    const d = stableOnlyTraffic(max);
    expect(d).toEqual({ canaryWeight: 0, stableWeight: max ?? 100, headerRoutes: [], mirrorRoutes: [] });
  });
});
