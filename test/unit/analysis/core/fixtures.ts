import type {
  AnalysisRun,
  AnalysisRunSpec,
  Measurement,
  Metric,
  MetricResult,
} from '../../../../src/api/index.js';

/** Start of every test run: 2026-01-01T00:00:00Z. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** The Date `seconds` after T0. */
export const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

/** The status timestamp `seconds` after T0. */
export const ts = (seconds: number): string => at(seconds).toISOString();

/** A Prometheus metric named `m` with the given fields. */
export function aMetric(fields: Partial<Metric> = {}): Metric {
  return { name: 'm', provider: { prometheus: { address: 'http://prom:9090', query: 'up' } }, ...fields };
}

/** A completed measurement with `phase`, finished `finished` seconds after T0. */
export function done(phase: string, finished = 0, extra: Partial<Measurement> = {}): Measurement {
  return { phase, startedAt: ts(finished), finishedAt: ts(finished), ...extra };
}

/** An in-flight measurement started at `started` seconds. */
export function inFlight(started = 0, extra: Partial<Measurement> = {}): Measurement {
  return { phase: 'Running', startedAt: ts(started), ...extra };
}

/** A metric result whose counters are derived from `measurements` unless given in `extra`. */
export function aResult(
  name: string,
  measurements: Measurement[],
  extra: Partial<MetricResult> = {},
): MetricResult {
  const n = (phase: string) => measurements.filter((m) => m.phase === phase).length;
  let consecutiveError = 0;
  let consecutiveSuccess = 0;
  for (const m of measurements) {
    consecutiveError = m.phase === 'Error' ? consecutiveError + 1 : m.finishedAt ? 0 : consecutiveError;
    consecutiveSuccess =
      m.phase === 'Successful' ? consecutiveSuccess + 1 : m.finishedAt ? 0 : consecutiveSuccess;
  }
  return {
    name,
    phase: 'Running',
    measurements,
    count: n('Successful') + n('Failed') + n('Inconclusive'),
    successful: n('Successful'),
    failed: n('Failed'),
    inconclusive: n('Inconclusive'),
    error: n('Error'),
    consecutiveError,
    consecutiveSuccess,
    ...extra,
  };
}

/** An AnalysisRun started at T0 with these metrics, results and spec fields. */
export function aRun(
  metrics: Metric[],
  results?: MetricResult[],
  spec: Partial<AnalysisRunSpec> = {},
  status: Partial<NonNullable<AnalysisRun['status']>> = {},
): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'run', namespace: 'default' },
    spec: { metrics, ...spec },
    status: { startedAt: ts(0), ...(results === undefined ? {} : { metricResults: results }), ...status },
  };
}
