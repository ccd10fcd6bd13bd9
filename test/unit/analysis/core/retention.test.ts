import { describe, expect, it } from 'vitest';
import { runsBeyondHistory, ttlExpiry } from '../../../../src/analysis/core/retention.js';

const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
const entry = (name: string, phase: string | undefined, minute: number) => ({
  name,
  phase,
  createdAt: at(minute),
});

describe('runsBeyondHistory', () => {
  const entries = [
    entry('s1', 'Successful', 1),
    entry('s2', 'Successful', 2),
    entry('s3', 'Successful', 3),
    entry('f1', 'Failed', 4),
    entry('e1', 'Error', 5),
    entry('i1', 'Inconclusive', 6),
    entry('r1', 'Running', 0),
    entry('p1', undefined, 0),
  ];

  it('keeps the newest runs of each kind and deletes the oldest beyond the limits', () => {
    expect(runsBeyondHistory(entries, { successful: 2, unsuccessful: 1 }, new Set())).toEqual([
      's1',
      'e1',
      'f1',
    ]);
  });

  it('keeps everything within the default limits', () => {
    expect(runsBeyondHistory(entries, { successful: 5, unsuccessful: 5 }, new Set())).toEqual([]);
  });

  it('never deletes running runs or tracked runs, even with limits of 0', () => {
    const pruned = runsBeyondHistory(entries, { successful: 0, unsuccessful: -1 }, new Set(['s3', 'i1']));
    expect(pruned.sort()).toEqual(['e1', 'f1', 's1', 's2']);
  });

  it('orders runs created in the same second by name', () => {
    const same = [entry('a', 'Successful', 1), entry('b', 'Successful', 1)];
    expect(runsBeyondHistory(same, { successful: 1, unsuccessful: 0 }, new Set())).toEqual(['a']);
  });
});

describe('ttlExpiry', () => {
  const completedAt = '2026-01-01T00:00:00.000Z';
  const run = (phase: string, ttlStrategy?: object) => ({
    spec: { metrics: [], ...(ttlStrategy ? { ttlStrategy } : {}) },
    status: { phase, completedAt },
  });
  const plus = (s: number) => new Date(Date.parse(completedAt) + s * 1000);

  it.each([
    ['Successful', { secondsAfterSuccess: 10, secondsAfterCompletion: 99 }, plus(10)],
    ['Failed', { secondsAfterFailure: 20, secondsAfterCompletion: 99 }, plus(20)],
    ['Error', { secondsAfterFailure: 20 }, plus(20)],
    ['Inconclusive', { secondsAfterFailure: 20, secondsAfterCompletion: 30 }, plus(30)],
    ['Successful', { secondsAfterFailure: 20, secondsAfterCompletion: 0 }, plus(0)],
    ['Successful', { secondsAfterFailure: 20 }, undefined],
    ['Running', { secondsAfterCompletion: 1 }, undefined],
    ['Successful', undefined, undefined],
  ])('%s with %j expires at %s', (phase, ttl, expected) => {
    expect(ttlExpiry(run(phase, ttl))).toEqual(expected);
  });

  it('needs completedAt', () => {
    expect(ttlExpiry({ spec: { metrics: [], ttlStrategy: { secondsAfterCompletion: 1 } }, status: {} })).toBe(
      undefined,
    );
  });
});
