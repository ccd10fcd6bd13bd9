import { describe, expect, it } from 'vitest';
import type { MeasuredValue } from '../../../../src/analysis/core/index.js';
import type { Metric } from '../../../../src/api/index.js';
import { renderChart } from '../../../../src/cli/analyze/chart.js';
import { measurementTimes, type ReplaySample, replayRun } from '../../../../src/cli/analyze/replay-run.js';
import { outcomeLine, span } from '../../../../src/cli/analyze/report.js';
import { noPaint } from '../../../../src/cli/view/paint.js';

const START = new Date('2026-01-01T10:00:00Z');
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);
const vector = (v: number): MeasuredValue => ({ ok: true, value: [v], raw: `[${v}]` });
const series = (values: number[], offset = 1): ReplaySample[] =>
  values.map((v, i) => ({ at: at(i + offset), measured: vector(v) }));
const errorRate = (extra: Partial<Metric> = {}): Metric => ({
  name: 'error-rate',
  interval: '1m',
  successCondition: 'result[0] < 0.05',
  failureLimit: 2,
  provider: { prometheus: { query: 'q' } },
  ...extra,
});

describe('replayRun', () => {
  it('fails the run on the measurement that passes failureLimit; later ones are outside the run', () => {
    const samples = new Map([['error-rate', series([0.01, 0.08, 0.01, 0.09, 0.07, 0.08, 0.01])]]);
    const { measurements, verdict } = replayRun({ metrics: [errorRate()] }, samples, START);
    expect(verdict).toMatchObject({ phase: 'Failed', aborted: true, paused: false, at: at(5) });
    expect(verdict.message).toBe(
      'Metric "error-rate" assessed Failed due to failed (3) > failureLimit (2): "Error Message: successCondition "result[0] < 0.05" evaluated to false (measured value [0.07])"',
    );
    expect(measurements.get('error-rate')?.map((m) => [m.phase, m.inRun, m.plotted])).toEqual([
      ['Successful', true, 0.01],
      ['Failed', true, 0.08],
      ['Successful', true, 0.01],
      ['Failed', true, 0.09],
      ['Failed', true, 0.07],
      ['Failed', false, 0.08],
      ['Successful', false, 0.01],
    ]);
  });

  it('with vireo.dev/consecutive-failure-limit, scattered failures pass and a streak fails the run', () => {
    const rule = { 'vireo.dev/consecutive-failure-limit': 'error-rate=3' };
    const metric = errorRate({ failureLimit: undefined, count: 8 });
    const blips = new Map([['error-rate', series([0.08, 0.01, 0.08, 0.01, 0.08, 0.01, 0.01, 0.01])]]);
    expect(replayRun({ metrics: [metric] }, blips, START, rule).verdict).toMatchObject({
      phase: 'Successful',
      aborted: false,
    });
    expect(replayRun({ metrics: [metric] }, blips, START).verdict).toMatchObject({
      phase: 'Failed',
      at: at(1),
    });
    const streak = new Map([['error-rate', series([0.01, 0.08, 0.09, 0.07, 0.01])]]);
    const { verdict } = replayRun({ metrics: [metric] }, streak, START, rule);
    expect(verdict).toMatchObject({ phase: 'Failed', aborted: true, at: at(4) });
    expect(verdict.message).toContain('consecutiveFailed (3) >= consecutiveFailureLimit (3)');
  });

  it('a metric with a count completes the run Successful; no data is an Error measurement', () => {
    const noData: ReplaySample = { at: at(1), measured: { ok: true, value: [], raw: '[]' } };
    const samples = new Map([['error-rate', [noData, ...series([0.01, 0.02, 0.01, 0.5], 2)]]]);
    const { measurements, verdict } = replayRun({ metrics: [errorRate({ count: 3 })] }, samples, START);
    expect(verdict).toMatchObject({ phase: 'Successful', aborted: false, at: at(4) });
    expect(measurements.get('error-rate')?.map((m) => [m.phase, m.inRun])).toEqual([
      ['Error', true],
      ['Successful', true],
      ['Successful', true],
      ['Successful', true],
      ['Failed', false],
    ]);
    expect(outcomeLine(verdict)).toBe('→ the analysis would have passed.');
  });

  it('an unbounded metric that never fails leaves the run Running; dry-run metrics never decide', () => {
    const samples = new Map([
      ['error-rate', series([0.01, 0.01, 0.01])],
      ['latency', series([0.9, 0.9, 0.9])],
    ]);
    const latency = errorRate({ name: 'latency', failureLimit: 0 });
    const spec = { metrics: [errorRate(), latency], dryRun: [{ metricName: 'latency' }] };
    const { verdict } = replayRun(spec, samples, START);
    expect(verdict).toMatchObject({ phase: 'Running', aborted: false });
    expect(outcomeLine(verdict)).toBe('→ no verdict by the end of the window: the run was still Running.');
  });

  it('two failing and inconclusive outcomes: Inconclusive pauses', () => {
    const unsure = errorRate({ failureCondition: 'result[0] > 0.1', failureLimit: 0 });
    const { verdict } = replayRun({ metrics: [unsure] }, new Map([['error-rate', series([0.08])]]), START);
    expect(verdict).toMatchObject({ phase: 'Inconclusive', paused: true, aborted: false });
  });
});

describe('measurementTimes', () => {
  it('starts after initialDelay and steps by interval, or by the fallback without one', () => {
    const end = at(5);
    expect(measurementTimes(errorRate({ initialDelay: '2m' }), START, end, 30_000)).toEqual([
      at(2),
      at(3),
      at(4),
      at(5),
    ]);
    const noInterval = errorRate({ interval: undefined });
    expect(measurementTimes(noInterval, START, at(1), 30_000)).toEqual([at(0), at(0.5), at(1)]);
  });
});

describe('renderChart', () => {
  it('draws bars between min and max, phase marks, the times and where the run ended', () => {
    const samples = new Map([['error-rate', series([0.01, 0.08, 0.01, 0.09, 0.07, 0.08])]]);
    const { measurements, verdict } = replayRun({ metrics: [errorRate()] }, samples, START);
    const lines = renderChart(
      measurements.get('error-rate') ?? [],
      { width: 72, height: 2, paint: noPaint },
      verdict.at,
    );
    expect(lines).toEqual([
      '0.09 ┤ ▆ █▄▆',
      '0.01 ┤▁█▁███',
      '      ✔✖✔✖✖✖',
      '      10:01:00 – 10:06:00',
      '          ▲ the run ended here (10:05:00)',
    ]);
  });

  it('shares columns when there are more measurements than the width, keeping the worst phase', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 57 ? 0.2 : 0.01));
    const samples = new Map([['error-rate', series(values)]]);
    const { measurements } = replayRun({ metrics: [errorRate({ failureLimit: 5 })] }, samples, START);
    const lines = renderChart(measurements.get('error-rate') ?? [], { width: 50, height: 1, paint: noPaint });
    expect(lines[1]).toBe(`      ${'✔'.repeat(28)}✖${'✔'.repeat(21)}`);
  });

  it('span formats durations for people', () => {
    expect([span(45 * 60_000), span(7_320_000), span(0), span(90_500)]).toEqual([
      '45m',
      '2h2m',
      '0s',
      '1m31s',
    ]);
  });
});
