import { type AnalysisRun, type Metric, type MetricResult, parseGoDuration } from '../../api/index.js';
import { countReached, retryIntervalMs } from './due-measurements.js';
import { isCompletedPhase, lastMeasurement, resultOf, runMetrics } from './run-metrics.js';
import { timeMs } from './time.js';

function metricDueAt(run: AnalysisRun, metric: Metric, now: number): number | undefined {
  const result: MetricResult | undefined = resultOf(run, metric.name);
  if (isCompletedPhase(result?.phase)) return undefined;
  const last = lastMeasurement(result);
  if (last === undefined) {
    if (metric.initialDelay === undefined) return undefined;
    const delay = parseGoDuration(metric.initialDelay);
    if (delay === undefined) return undefined;
    return (timeMs(run.status?.startedAt) ?? now) + delay;
  }
  if (last.finishedAt === undefined) return timeMs(last.resumeAt);
  if (countReached(metric, result)) return undefined;
  const finished = timeMs(last.finishedAt);
  const interval =
    last.phase === 'Error' || metric.interval !== undefined ? retryIntervalMs(metric, last) : undefined;
  return finished === undefined || interval === undefined ? undefined : finished + interval;
}

/**
 * Argo's `calculateNextReconcileTime` with `now` passed in: the earliest time any incomplete metric needs
 * attention — `startedAt` (or `now`) + `initialDelay` before the first measurement, the `resumeAt` of an
 * in-flight one, `finishedAt + interval` (10 s after an Error) while the count is not reached. Metrics
 * measured once, completed or with unparseable durations add nothing. Never earlier than `now`;
 * `undefined` when nothing is pending or the run is completed.
 */
export function nextReconcileAt(run: AnalysisRun, now: Date): Date | undefined {
  if (isCompletedPhase(run.status?.phase)) return undefined;
  const at = now.getTime();
  let earliest: number | undefined;
  for (const metric of runMetrics(run)) {
    const due = metricDueAt(run, metric, at);
    if (due !== undefined && (earliest === undefined || due < earliest)) earliest = due;
  }
  return earliest === undefined ? undefined : new Date(Math.max(earliest, at));
}
