import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MEASUREMENT_RETENTION,
  newMetricResult,
  recordMeasurement,
  retentionLimit,
  toMeasurement,
} from '../../../../src/analysis/core/index.js';
import type { MetricResult } from '../../../../src/api/index.js';
import { aMetric, aResult, at, done, inFlight, ts } from './fixtures.js';

const counters = (r: MetricResult) => ({
  count: r.count,
  successful: r.successful,
  failed: r.failed,
  inconclusive: r.inconclusive,
  error: r.error,
  consecutiveError: r.consecutiveError,
  consecutiveSuccess: r.consecutiveSuccess,
});

describe('recordMeasurement counters', () => {
  it.each<[string, string[], ReturnType<typeof counters>]>([
    [
      'Successful',
      ['Successful'],
      {
        count: 1,
        successful: 1,
        failed: 0,
        inconclusive: 0,
        error: 0,
        consecutiveError: 0,
        consecutiveSuccess: 1,
      },
    ],
    [
      'Failed resets the success streak',
      ['Successful', 'Failed'],
      {
        count: 2,
        successful: 1,
        failed: 1,
        inconclusive: 0,
        error: 0,
        consecutiveError: 0,
        consecutiveSuccess: 0,
      },
    ],
    [
      'Inconclusive',
      ['Inconclusive'],
      {
        count: 1,
        successful: 0,
        failed: 0,
        inconclusive: 1,
        error: 0,
        consecutiveError: 0,
        consecutiveSuccess: 0,
      },
    ],
    [
      'Errors do not count and add up',
      ['Error', 'Error'],
      {
        count: 0,
        successful: 0,
        failed: 0,
        inconclusive: 0,
        error: 2,
        consecutiveError: 2,
        consecutiveSuccess: 0,
      },
    ],
    [
      'a success ends an error streak',
      ['Error', 'Error', 'Successful'],
      {
        count: 1,
        successful: 1,
        failed: 0,
        inconclusive: 0,
        error: 2,
        consecutiveError: 0,
        consecutiveSuccess: 1,
      },
    ],
    [
      'an error ends a success streak',
      ['Successful', 'Successful', 'Error'],
      {
        count: 2,
        successful: 2,
        failed: 0,
        inconclusive: 0,
        error: 1,
        consecutiveError: 1,
        consecutiveSuccess: 0,
      },
    ],
  ])('%s', (_name, phases, expected) => {
    const out = phases.reduce((r, phase, i) => recordMeasurement(r, done(phase, i)), newMetricResult('m'));
    expect(counters(out)).toEqual(expected);
    expect(out.phase).toBe('Running');
  });

  it('replaces an in-flight measurement instead of appending', () => {
    const started = recordMeasurement(newMetricResult('m'), inFlight(0));
    expect(counters(started).count).toBe(0);
    const finished = recordMeasurement(started, done('Successful', 5));
    expect(finished.measurements).toEqual([done('Successful', 5)]);
    expect(finished.count).toBe(1);
  });

  it('does not modify its input', () => {
    const result = aResult('m', [done('Successful', 0)]);
    const before = structuredClone(result);
    recordMeasurement(result, done('Failed', 1));
    expect(result).toEqual(before);
  });
});

describe('retention', () => {
  it('keeps the last 10 by default', () => {
    let r = newMetricResult('m');
    for (let i = 0; i < 15; i++) r = recordMeasurement(r, done('Successful', i));
    expect(DEFAULT_MEASUREMENT_RETENTION).toBe(10);
    expect(r.measurements?.map((m) => m.finishedAt)).toEqual(Array.from({ length: 10 }, (_, i) => ts(i + 5)));
    expect(r.count).toBe(15);
  });

  it('keeps the given limit', () => {
    let r = newMetricResult('m');
    for (let i = 0; i < 5; i++) r = recordMeasurement(r, done('Failed', i), 2);
    expect(r.measurements?.map((m) => m.finishedAt)).toEqual([ts(3), ts(4)]);
    expect(r.failed).toBe(5);
  });

  it.each<[string, { metricName: string; limit: number }[], number]>([
    ['no rules → 10', [], 10],
    ['exact name', [{ metricName: 'error-rate', limit: 3 }], 3],
    ['wildcard', [{ metricName: '*', limit: 20 }], 20],
    ['regular expression', [{ metricName: 'error-.*', limit: 4 }], 4],
    [
      'the last matching rule wins',
      [
        { metricName: '*', limit: 20 },
        { metricName: 'error', limit: 5 },
      ],
      5,
    ],
    ['limit 0 means the default', [{ metricName: '*', limit: 0 }], 10],
    ['a rule for another metric', [{ metricName: 'latency', limit: 2 }], 10],
  ])('retentionLimit: %s', (_name, measurementRetention, expected) => {
    expect(retentionLimit({ measurementRetention }, 'error-rate')).toBe(expected);
  });
});

describe('toMeasurement', () => {
  const times = { startedAt: at(1), finishedAt: at(2) };
  const metric = aMetric({ successCondition: 'result[0] < 0.05' });

  it('judges a value with the conditions', () => {
    expect(
      toMeasurement(metric, { ok: true, value: [0.01], raw: '[0.01]', metadata: { k: 'v' } }, times),
    ).toEqual({
      phase: 'Successful',
      startedAt: ts(1),
      finishedAt: ts(2),
      value: '[0.01]',
      metadata: { k: 'v' },
    });
    expect(toMeasurement(metric, { ok: true, value: [0.08], raw: '[0.08]' }, times)).toEqual({
      phase: 'Failed',
      message: 'successCondition "result[0] < 0.05" evaluated to false (measured value [0.08])',
      startedAt: ts(1),
      finishedAt: ts(2),
      value: '[0.08]',
    });
  });

  it('turns a provider error into an Error measurement', () => {
    expect(toMeasurement(metric, { ok: false, error: 'boom' }, times)).toEqual({
      phase: 'Error',
      message: 'boom',
      startedAt: ts(1),
      finishedAt: ts(2),
    });
  });

  it('makes an empty result an Error with a clear message', () => {
    const out = toMeasurement(metric, { ok: true, value: [], raw: '[]' }, times);
    expect(out.phase).toBe('Error');
    expect(out.message).toContain('metric result is nil or empty');
  });
});
