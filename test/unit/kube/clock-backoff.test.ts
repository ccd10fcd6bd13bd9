import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/util/backoff.js';
import { FakeClock } from '../../../src/util/clock.js';

describe('FakeClock', () => {
  it('fires due timers in time order, ties in scheduling order, including timers set by timers', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => {
      fired.push('a@10');
      clock.setTimeout(() => fired.push('c@15'), 5);
    }, 10);
    clock.setTimeout(() => fired.push('d@20'), 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 5);
    clock.clearTimeout(cancelled);
    clock.advance(19);
    expect(fired).toEqual(['a@10', 'c@15']);
    clock.advance(1);
    expect(fired).toEqual(['a@10', 'c@15', 'b@20', 'd@20']);
    expect(clock.monotonicMs()).toBe(20);
  });

  it('moves wall time with monotonic time unless the wall clock is stepped', () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
    clock.setWallTime(new Date('2020-01-01T00:00:00Z'));
    expect(clock.monotonicMs()).toBe(1500);
    clock.advance(500);
    expect(clock.now().toISOString()).toBe('2020-01-01T00:00:00.500Z');
  });
});

describe('backoffDelay', () => {
  it.each([
    [0, 5],
    [1, 10],
    [3, 40],
    [11, 10_000],
    [1000, 10_000],
  ])('attempt %i → %i ms', (attempt, expected) => {
    expect(backoffDelay(attempt, { baseMs: 5, maxMs: 10_000 })).toBe(expected);
  });

  it('jitter only shortens the delay, by at most the jitter fraction', () => {
    expect(backoffDelay(2, { baseMs: 1000, maxMs: 60_000, jitter: 0.5 }, () => 0)).toBe(4000);
    expect(backoffDelay(2, { baseMs: 1000, maxMs: 60_000, jitter: 0.5 }, () => 0.999_999)).toBeCloseTo(
      2000,
      0,
    );
  });
});
