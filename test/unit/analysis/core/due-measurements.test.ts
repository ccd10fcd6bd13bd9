import { describe, expect, it } from 'vitest';
import { dueMeasurements, nextReconcileAt } from '../../../../src/analysis/core/index.js';
import type { AnalysisRun } from '../../../../src/api/index.js';
import { aMetric, aResult, aRun, at, done, inFlight, ts } from './fixtures.js';

const names = (run: AnalysisRun, seconds: number): string[] =>
  dueMeasurements(run, at(seconds)).map((t) => (t.resume ? `${t.metric.name}:resume` : t.metric.name));

describe('dueMeasurements', () => {
  const every30s = aMetric({ name: 'm', interval: '30s' });
  it.each<[string, AnalysisRun, number, string[]]>([
    ['first measurement is due at once', aRun([aMetric()]), 0, ['m']],
    ['initialDelay not yet passed', aRun([aMetric({ initialDelay: '1m' })]), 59, []],
    ['initialDelay passed (due at startedAt + delay)', aRun([aMetric({ initialDelay: '1m' })]), 60, ['m']],
    [
      'initialDelay with no startedAt waits',
      aRun([aMetric({ initialDelay: '1m' })], undefined, {}, { startedAt: undefined }),
      600,
      [],
    ],
    ['interval not yet elapsed', aRun([every30s], [aResult('m', [done('Successful', 10)])]), 39, []],
    [
      'interval elapsed (due at finishedAt + interval)',
      aRun([every30s], [aResult('m', [done('Successful', 10)])]),
      40,
      ['m'],
    ],
    [
      'count reached',
      aRun(
        [aMetric({ interval: '1s', count: 2 })],
        [aResult('m', [done('Successful', 1), done('Failed', 2)])],
      ),
      100,
      [],
    ],
    [
      'measured once (no count, no interval) is done',
      aRun([aMetric()], [aResult('m', [done('Successful', 1)])]),
      100,
      [],
    ],
    [
      'after an Error the retry waits 10 s, not the interval',
      aRun([aMetric({ interval: '5m' })], [aResult('m', [done('Error', 0)])]),
      10,
      ['m'],
    ],
    [
      'after an Error, not before 10 s',
      aRun([aMetric({ interval: '1s' })], [aResult('m', [done('Error', 0)])]),
      9,
      [],
    ],
    [
      'a single-shot metric retries after an Error',
      aRun([aMetric()], [aResult('m', [done('Error', 0)])]),
      10,
      ['m'],
    ],
    [
      'a completed metric is skipped',
      aRun([every30s], [aResult('m', [done('Successful', 0)], { phase: 'Successful' })]),
      100,
      [],
    ],
    [
      'an in-flight measurement waits for resumeAt',
      aRun([every30s], [aResult('m', [inFlight(0, { resumeAt: ts(20) })])]),
      19,
      [],
    ],
    [
      'an in-flight measurement resumes at resumeAt',
      aRun([every30s], [aResult('m', [inFlight(0, { resumeAt: ts(20) })])]),
      20,
      ['m:resume'],
    ],
    [
      'an in-flight measurement without resumeAt resumes',
      aRun([every30s], [aResult('m', [inFlight(0)])]),
      0,
      ['m:resume'],
    ],
    [
      'terminate: nothing new starts',
      aRun([every30s], [aResult('m', [done('Successful', 0)])], { terminate: true }),
      100,
      [],
    ],
    [
      'terminate: nothing measured yet, nothing starts',
      aRun([aMetric()], undefined, { terminate: true }),
      0,
      [],
    ],
    [
      'terminate: in-flight is stopped despite resumeAt',
      aRun([every30s], [aResult('m', [inFlight(0, { resumeAt: ts(50) })])], { terminate: true }),
      1,
      ['m:resume'],
    ],
    [
      'a Failed metric stops the others',
      aRun(
        [aMetric({ name: 'a' }), every30s],
        [aResult('a', [done('Failed')], { phase: 'Failed' }), aResult('m', [done('Successful', 0)])],
      ),
      100,
      [],
    ],
    [
      'a Failed dry-run metric does not stop the others',
      aRun(
        [aMetric({ name: 'a' }), every30s],
        [aResult('a', [done('Failed')], { phase: 'Failed' }), aResult('m', [done('Successful', 0)])],
        { dryRun: [{ metricName: 'a' }] },
      ),
      100,
      ['m'],
    ],
    ['a completed run has no tasks', aRun([aMetric()], undefined, {}, { phase: 'Successful' }), 0, []],
    ['an invalid run has no tasks', aRun([aMetric({ interval: 'often' })]), 0, []],
    ['several metrics, in spec order', aRun([aMetric({ name: 'b' }), aMetric({ name: 'a' })]), 0, ['b', 'a']],
    [
      'interval from an argument',
      aRun([aMetric({ interval: '{{args.every}}' })], [aResult('m', [done('Successful', 0)])], {
        args: [{ name: 'every', value: '5s' }],
      }),
      5,
      ['m'],
    ],
  ])('%s', (_name, run, seconds, expected) => {
    expect(names(run, seconds)).toEqual(expected);
  });

  it('hands back the spec metric (unresolved) and the terminate flag', () => {
    const metric = aMetric({ interval: '{{args.every}}' });
    const run = aRun([metric], [aResult('m', [inFlight(0)])], {
      args: [{ name: 'every', value: '5s' }],
      terminate: true,
    });
    expect(dueMeasurements(run, at(1))).toEqual([
      { metric, resume: run.status?.metricResults?.[0]?.measurements?.[0], terminate: true },
    ]);
  });
});

describe('nextReconcileAt', () => {
  it.each<[string, AnalysisRun, number, number | undefined]>([
    ['startedAt + initialDelay', aRun([aMetric({ initialDelay: '1m' })]), 5, 60],
    [
      'now + initialDelay without startedAt',
      aRun([aMetric({ initialDelay: '1m' })], undefined, {}, { startedAt: undefined }),
      5,
      65,
    ],
    [
      'finishedAt + interval',
      aRun([aMetric({ interval: '30s' })], [aResult('m', [done('Successful', 10)])]),
      12,
      40,
    ],
    [
      'the earliest metric wins',
      aRun(
        [aMetric({ name: 'a', interval: '30s' }), aMetric({ name: 'b', interval: '5s' })],
        [aResult('a', [done('Successful', 10)]), aResult('b', [done('Successful', 10)])],
      ),
      12,
      15,
    ],
    ['10 s after an Error', aRun([aMetric({ interval: '5m' })], [aResult('m', [done('Error', 10)])]), 12, 20],
    [
      'resumeAt of an in-flight measurement',
      aRun([aMetric({ interval: '5m' })], [aResult('m', [inFlight(10, { resumeAt: ts(17) })])]),
      12,
      17,
    ],
    [
      'never earlier than now',
      aRun([aMetric({ interval: '30s' })], [aResult('m', [done('Successful', 10)])]),
      100,
      100,
    ],
    [
      'count reached → nothing',
      aRun([aMetric({ interval: '1s', count: 1 })], [aResult('m', [done('Successful', 10)])]),
      12,
      undefined,
    ],
    ['measured once → nothing', aRun([aMetric()], [aResult('m', [done('Successful', 10)])]), 12, undefined],
    [
      'completed metric → nothing',
      aRun([aMetric({ interval: '1s' })], [aResult('m', [done('Successful', 1)], { phase: 'Successful' })]),
      12,
      undefined,
    ],
    [
      'completed run → nothing',
      aRun([aMetric({ interval: '1s' })], [aResult('m', [done('Successful', 1)])], {}, { phase: 'Failed' }),
      12,
      undefined,
    ],
  ])('%s', (_name, run, now, expected) => {
    expect(nextReconcileAt(run, at(now))).toEqual(expected === undefined ? undefined : at(expected));
  });
});
