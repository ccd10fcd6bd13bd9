import type { Measurement, Metric, MetricResult } from '../../api/index.js';
import { assessMeasurement } from '../condition/index.js';
import { DEFAULT_MEASUREMENT_RETENTION, isCompletedPhase } from './run-metrics.js';
import { toTimestamp } from './time.js';
import type { MeasuredValue } from './types.js';

/** A fresh result for a metric's first measurement: phase Running, counters zero. */
export function newMetricResult(name: string, dryRun = false): MetricResult {
  return {
    name,
    phase: 'Running',
    count: 0,
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    consecutiveError: 0,
    consecutiveSuccess: 0,
    ...(dryRun ? { dryRun: true } : {}),
  };
}

/** The last `limit` measurements of a result (all of them when `limit` is not positive). */
export function trimMeasurements(result: MetricResult, limit: number): MetricResult {
  const measurements = result.measurements ?? [];
  if (limit <= 0 || measurements.length <= limit) return result;
  return { ...result, measurements: measurements.slice(-limit) };
}

function countersAfter(result: MetricResult, phase: string): Partial<MetricResult> {
  const n = (v: number | undefined): number => v ?? 0;
  const count = n(result.count) + (phase === 'Error' ? 0 : 1);
  switch (phase) {
    case 'Successful':
      return {
        count,
        successful: n(result.successful) + 1,
        consecutiveError: 0,
        consecutiveSuccess: n(result.consecutiveSuccess) + 1,
      };
    case 'Failed':
      return { count, failed: n(result.failed) + 1, consecutiveError: 0, consecutiveSuccess: 0 };
    case 'Inconclusive':
      return { count, inconclusive: n(result.inconclusive) + 1, consecutiveError: 0, consecutiveSuccess: 0 };
    case 'Error':
      return {
        error: n(result.error) + 1,
        consecutiveError: n(result.consecutiveError) + 1,
        consecutiveSuccess: 0,
      };
    default:
      return {};
  }
}

/**
 * Argo's bookkeeping for one measurement, pure: it replaces the last measurement when that one is in
 * flight (no `finishedAt`), else it is appended; a completed measurement updates the counters (`count`
 * excludes errors; a Successful one extends `consecutiveSuccess`, an Error one `consecutiveError`, any
 * other outcome resets the streak it breaks); then only the last `retention` measurements are kept.
 * The phase is left to `assessRun`. A completed measurement must carry `finishedAt`.
 */
export function recordMeasurement(
  result: MetricResult,
  measurement: Measurement,
  retention: number = DEFAULT_MEASUREMENT_RETENTION,
): MetricResult {
  const kept = result.measurements ?? [];
  const replacesLast = kept.length > 0 && kept.at(-1)?.finishedAt === undefined;
  const measurements = [...(replacesLast ? kept.slice(0, -1) : kept), measurement];
  const counters = isCompletedPhase(measurement.phase) ? countersAfter(result, measurement.phase) : {};
  return trimMeasurements({ ...result, ...counters, measurements }, retention);
}

/** When a provider call started and ended. */
export interface MeasurementTimes {
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** A Failed or Inconclusive verdict names the measured value, so the run (and abort) message shows it. */
function withValue(phase: string, message: string, raw: string): string {
  if (message === '' || (phase !== 'Failed' && phase !== 'Inconclusive')) return message;
  return `${message} (measured value ${raw})`;
}

/**
 * The completed measurement for a provider's answer: an error is an Error measurement with that message;
 * a value is judged by the metric's conditions (`assessMeasurement`), stored as its `raw` text, with the
 * provider's metadata; a Failed or Inconclusive message ends with `(measured value <raw>)`. `metric` has its arguments substituted. Messages are omitted when empty.
 */
export function toMeasurement(metric: Metric, measured: MeasuredValue, times: MeasurementTimes): Measurement {
  const base = { startedAt: toTimestamp(times.startedAt), finishedAt: toTimestamp(times.finishedAt) };
  const metadata = measured.metadata === undefined ? {} : { metadata: { ...measured.metadata } };
  if (!measured.ok) return { phase: 'Error', message: measured.error, ...base, ...metadata };
  const assessed = assessMeasurement(metric, measured.value);
  const message = withValue(assessed.phase, assessed.message, measured.raw);
  return {
    phase: assessed.phase,
    ...(message === '' ? {} : { message }),
    ...base,
    value: measured.raw,
    ...metadata,
  };
}
