import { describe, expect, it } from 'vitest';
import { assessRun, isWorse, PHASE_ORDER } from '../../../../src/analysis/core/index.js';
import { aMetric, aResult, aRun, at, done, inFlight } from './fixtures.js';

const S = (t = 0) => done('Successful', t);
const F = (t = 0) => done('Failed', t);
const I = (t = 0) => done('Inconclusive', t);
const E = (t = 0) => done('Error', t);

describe('isWorse / PHASE_ORDER', () => {
  it('orders Successful < Running < Pending < Inconclusive < Error < Failed', () => {
    expect(PHASE_ORDER).toEqual(['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed']);
    for (let i = 1; i < PHASE_ORDER.length; i++) {
      expect(isWorse(PHASE_ORDER[i - 1] ?? '', PHASE_ORDER[i] ?? '')).toBe(true);
      expect(isWorse(PHASE_ORDER[i] ?? '', PHASE_ORDER[i - 1] ?? '')).toBe(false);
    }
  });
});

const a = aMetric({ name: 'a' });
const b = aMetric({ name: 'b' });
const unboundedB = aMetric({ name: 'b', interval: '1m' });

describe('assessRun (reference 4.5, run phase)', () => {
  it.each<[string, ReturnType<typeof aRun>, string, string]>([
    ['no results yet → Running', aRun([a, b]), 'Running', ''],
    [
      'a metric not started yet (initialDelay) → Running',
      aRun([a, aMetric({ name: 'b', initialDelay: '5m' })], [aResult('a', [S()])]),
      'Running',
      '',
    ],
    [
      'a metric still running → Running',
      aRun([a, unboundedB], [aResult('a', [S()]), aResult('b', [S()])]),
      'Running',
      '',
    ],
    [
      'all Successful → Successful',
      aRun([a, b], [aResult('a', [S()]), aResult('b', [S()])]),
      'Successful',
      '',
    ],
    [
      'Successful + Inconclusive → Inconclusive',
      aRun([a, b], [aResult('a', [S()]), aResult('b', [I()])]),
      'Inconclusive',
      'Metric "b" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)',
    ],
    [
      'Inconclusive + Error → Error',
      aRun([a, aMetric({ name: 'b', consecutiveErrorLimit: 0 })], [aResult('a', [I()]), aResult('b', [E()])]),
      'Error',
      'Metric "b" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0)',
    ],
    [
      'Failed + Error → Failed, whatever the order',
      aRun([a, aMetric({ name: 'b', consecutiveErrorLimit: 0 })], [aResult('a', [F()]), aResult('b', [E()])]),
      'Failed',
      'Metric "a" assessed Failed due to failed (1) > failureLimit (0)',
    ],
    [
      'spec.terminate, nothing measured → Successful "Run Terminated"',
      aRun([a], undefined, { terminate: true }),
      'Successful',
      'Run Terminated',
    ],
    [
      'spec.terminate stops an unbounded metric → Successful',
      aRun([unboundedB], [aResult('b', [S(), S()])], { terminate: true }),
      'Successful',
      'Run Terminated',
    ],
    [
      'spec.terminate keeps a failure → Failed',
      aRun([a, unboundedB], [aResult('a', [F()]), aResult('b', [S()])], { terminate: true }),
      'Failed',
      'Metric "a" assessed Failed due to failed (1) > failureLimit (0)',
    ],
    [
      'a failure stops the others at once → Failed',
      aRun([a, unboundedB], [aResult('a', [F()]), aResult('b', [S()])]),
      'Failed',
      'Metric "a" assessed Failed due to failed (1) > failureLimit (0)',
    ],
    [
      'a new failure waits for an in-flight measurement → Running',
      aRun([a, unboundedB], [aResult('a', [F()]), aResult('b', [S(), inFlight(1)])]),
      'Running',
      '',
    ],
    [
      'a stored failure does not wait for in-flight ones → Failed',
      aRun([a, unboundedB], [aResult('a', [F()], { phase: 'Failed' }), aResult('b', [S(), inFlight(1)])]),
      'Failed',
      'Metric "a" assessed Failed due to failed (1) > failureLimit (0)',
    ],
    [
      'dry-run failure never fails the run',
      aRun([a, b], [aResult('a', [F()]), aResult('b', [S()])], { dryRun: [{ metricName: 'a' }] }),
      'Successful',
      '',
    ],
    [
      'dry-run failure does not stop others',
      aRun([a, unboundedB], [aResult('a', [F()]), aResult('b', [S()])], { dryRun: [{ metricName: 'a' }] }),
      'Running',
      '',
    ],
    [
      'only dry-run metrics, completed → Successful',
      aRun([a], [aResult('a', [F()])], { dryRun: [{ metricName: '*' }] }),
      'Successful',
      '',
    ],
    [
      'an unbounded dry-run metric keeps the run Running (Argo code)',
      aRun([a, unboundedB], [aResult('a', [S()]), aResult('b', [S()])], { dryRun: [{ metricName: 'b' }] }),
      'Running',
      '',
    ],
    [
      'message carries the last measurement message',
      aRun(
        [a],
        [
          aResult('a', [
            done('Failed', 0, { message: 'successCondition "result[0] < 0.05" evaluated to false' }),
          ]),
        ],
      ),
      'Failed',
      'Metric "a" assessed Failed due to failed (1) > failureLimit (0): "Error Message: successCondition "result[0] < 0.05" evaluated to false"',
    ],
    [
      'count reached without the success streak → Inconclusive with a reason',
      aRun(
        [aMetric({ name: 'a', interval: '1s', count: 3, failureLimit: 1, consecutiveSuccessLimit: 2 })],
        [aResult('a', [S(), F(), S()])],
      ),
      'Inconclusive',
      'Metric "a" assessed Inconclusive due to consecutiveSuccess (1) < consecutiveSuccessLimit (2) after count (3)',
    ],
    [
      'arguments resolve limits',
      aRun(
        [aMetric({ name: 'a', interval: '1s', failureLimit: '{{args.limit}}' })],
        [aResult('a', [F(), F()])],
        { args: [{ name: 'limit', value: '2' }] },
      ),
      'Running',
      '',
    ],
    [
      'unsupplied argument → Error',
      aRun([a], undefined, { args: [{ name: 'x' }] }),
      'Error',
      'Unable to resolve metric arguments: argument "x" was not supplied',
    ],
    [
      'unknown placeholder → Error',
      aRun([aMetric({ name: 'a', count: '{{args.n}}' })]),
      'Error',
      'Unable to resolve metric arguments: failed to resolve {{args.n}}',
    ],
    [
      'invalid spec → Error',
      aRun([aMetric({ name: 'a', interval: 'soon' })]),
      'Error',
      'Analysis spec invalid: spec.metrics[0].interval: must be a duration such as "30s", "1m" or "1h", got "soon"',
    ],
  ])('%s', (_name, run, phase, message) => {
    const out = assessRun(run, at(10));
    expect({ phase: out.phase, message: out.message }).toEqual({ phase, message });
  });

  it('returns a completed run unchanged', () => {
    const run = aRun(
      [a],
      [aResult('a', [S()], { phase: 'Successful' })],
      {},
      { phase: 'Failed', message: 'x' },
    );
    expect(assessRun(run, at(10))).toMatchObject({
      phase: 'Failed',
      message: 'x',
      metricResults: run.status?.metricResults,
    });
    expect(assessRun(run, at(10)).nextReconcileAt).toBeUndefined();
  });

  it('updates metric phases and messages without touching the input', () => {
    const run = aRun(
      [a, unboundedB],
      [aResult('a', [done('Failed', 0, { message: 'bad' })]), aResult('b', [S()])],
    );
    const before = structuredClone(run);
    const out = assessRun(run, at(10));
    expect(out.metricResults.map((r) => [r.name, r.phase, r.message])).toEqual([
      ['a', 'Failed', 'bad'],
      ['b', 'Successful', undefined],
    ]);
    expect(run).toEqual(before);
  });

  it('counts summaries and marks dry-run results', () => {
    const run = aRun(
      [a, b, aMetric({ name: 'c' })],
      [aResult('a', [F()]), aResult('b', [S()]), aResult('c', [S()])],
      {
        dryRun: [{ metricName: 'a' }],
      },
    );
    const out = assessRun(run, at(10));
    expect(out.phase).toBe('Successful');
    expect(out.runSummary).toEqual({ count: 2, successful: 2, failed: 0, inconclusive: 0, error: 0 });
    expect(out.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    expect(out.metricResults[0]?.message).toBe('Metric assessed Failed due to failed (1) > failureLimit (0)');
  });

  it('requeues at once when an in-flight measurement must be terminated', () => {
    const run = aRun([a, unboundedB], [aResult('a', [F()]), aResult('b', [S(), inFlight(1)])]);
    const out = assessRun(run, at(10));
    expect(out.nextReconcileAt).toEqual(at(10));
    expect(out.metricResults[0]?.phase).toBe('Failed');
  });

  it('schedules the next reconcile while running, not once completed', () => {
    const running = assessRun(aRun([unboundedB], [aResult('b', [S(5)])]), at(10));
    expect(running.nextReconcileAt).toEqual(at(65));
    const finished = assessRun(aRun([b], [aResult('b', [S(5)])]), at(10));
    expect(finished.nextReconcileAt).toBeUndefined();
  });

  it('aborts on the 4th failure of a failureLimit 3 metric (the classic incident)', () => {
    const m = aMetric({
      name: 'error-rate',
      interval: '1s',
      failureLimit: 3,
      successCondition: 'result[0] < 0.05',
    });
    const three = aRun([m], [aResult('error-rate', [F(1), F(2), F(3)])]);
    expect(assessRun(three, at(3)).phase).toBe('Running');
    const four = aRun([m], [aResult('error-rate', [F(1), F(2), F(3), F(4)])]);
    expect(assessRun(four, at(4))).toMatchObject({
      phase: 'Failed',
      message: 'Metric "error-rate" assessed Failed due to failed (4) > failureLimit (3)',
    });
  });
});
