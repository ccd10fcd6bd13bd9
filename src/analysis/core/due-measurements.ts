import {
  type AnalysisRun,
  type Measurement,
  type Metric,
  type MetricResult,
  metricSettings,
  parseGoDuration,
} from '../../api/index.js';
import {
  checkRun,
  ERROR_RETRY_INTERVAL_MS,
  isCompletedPhase,
  isTerminating,
  lastMeasurement,
  resultOf,
  runMetrics,
} from './run-metrics.js';
import { timeMs } from './time.js';

/** One metric to measure in this pass. */
export interface MetricTask {
  /** The metric as written in the run spec (arguments not substituted; the provider call resolves them). */
  readonly metric: Metric;
  /** The in-flight measurement to resume (or, when `terminate`, to stop) instead of starting a new one. */
  readonly resume?: Measurement;
  /** The run is terminating: an in-flight measurement should be terminated, not resumed. */
  readonly terminate: boolean;
}

interface MetricState {
  readonly resolved: Metric;
  readonly result: MetricResult | undefined;
  readonly last: Measurement | undefined;
}

/** Milliseconds to wait after the last finished measurement; `undefined` when the interval is unparseable. */
export function retryIntervalMs(metric: Metric, last: Measurement): number | undefined {
  if (last.phase === 'Error' || metric.interval === undefined) return ERROR_RETRY_INTERVAL_MS;
  return parseGoDuration(metric.interval);
}

/** True when the metric has taken its effective `count` of measurements (never for an unbounded metric). */
export function countReached(metric: Metric, result: MetricResult | undefined): boolean {
  const { count } = metricSettings(metric);
  return count !== undefined && (result?.count ?? 0) >= count;
}

function firstMeasurementDue(run: AnalysisRun, metric: Metric, now: number): boolean {
  if (metric.initialDelay === undefined) return true;
  const started = timeMs(run.status?.startedAt);
  const delay = parseGoDuration(metric.initialDelay);
  if (started === undefined || delay === undefined) return false;
  return now >= started + delay;
}

function nextMeasurementDue(state: MetricState, now: number): boolean {
  const { resolved, result, last } = state;
  if (last === undefined || countReached(resolved, result)) return false;
  const finished = timeMs(last.finishedAt);
  const interval = retryIntervalMs(resolved, last);
  if (finished === undefined || interval === undefined) return false;
  return now >= finished + interval;
}

function isInFlight(last: Measurement | undefined): last is Measurement {
  return last !== undefined && last.finishedAt === undefined;
}

/**
 * Argo's `generateMetricTasks` with `now` passed in. For each metric not yet completed: an in-flight
 * measurement is resumed once its `resumeAt` has passed (immediately when terminating); nothing new
 * starts while terminating; the first measurement waits for `startedAt + initialDelay` (no `startedAt`
 * yet → wait); later ones stop at the effective count and are due at `finishedAt + interval` (10 s
 * after an Error measurement or without an interval). Unparseable durations skip the metric. Completed
 * or invalid runs (`checkRun`) have no tasks. Due means `now >=` the due time.
 */
export function dueMeasurements(run: AnalysisRun, now: Date): MetricTask[] {
  if (isCompletedPhase(run.status?.phase) || checkRun(run) !== undefined) return [];
  const terminate = isTerminating(run);
  const at = now.getTime();
  const resolved = runMetrics(run);
  const tasks: MetricTask[] = [];
  run.spec.metrics.forEach((metric, i) => {
    const result = resultOf(run, metric.name);
    if (isCompletedPhase(result?.phase)) return;
    const last = lastMeasurement(result);
    if (isInFlight(last)) {
      const resumeAt = timeMs(last.resumeAt);
      if (terminate || resumeAt === undefined || resumeAt <= at)
        tasks.push({ metric, resume: last, terminate });
      return;
    }
    if (terminate) return;
    const state = { resolved: resolved[i] ?? metric, result, last };
    const due =
      last === undefined ? firstMeasurementDue(run, state.resolved, at) : nextMeasurementDue(state, at);
    if (due) tasks.push({ metric, terminate });
  });
  return tasks;
}
