import {
  assessRun,
  isCompletedPhase,
  isDryRun,
  type MeasuredValue,
  newMetricResult,
  recordMeasurement,
  resultOf,
  toMeasurement,
  toTimestamp,
} from '../../analysis/core/index.js';
import type { AnalysisRun, AnalysisRunSpec, Metric, MetricResult } from '../../api/index.js';
import { metricSettings } from '../../api/index.js';

/** What a provider answered for one metric at one past time. */
export interface ReplaySample {
  readonly at: Date;
  readonly measured: MeasuredValue;
}

/** One replayed measurement: its verdict by the metric's conditions, and whether the run had it. */
export interface ReplayedMeasurement {
  readonly at: Date;
  readonly phase: string;
  readonly value?: string;
  readonly message?: string;
  /** The number charted: a number, or the first element of a list of numbers. */
  readonly plotted?: number;
  /** False once the run (or this metric) had completed: Argo would not have taken it. */
  readonly inRun: boolean;
}

/** How the replayed run ended within the window. */
export interface RunVerdict {
  /** `Running` when the window ended before the run completed. */
  readonly phase: string;
  readonly message: string;
  readonly at?: Date;
  /** Failed or Error: the Rollout would have aborted. */
  readonly aborted: boolean;
  /** Inconclusive: the Rollout would have paused. */
  readonly paused: boolean;
}

/**
 * When a metric is measured over `[start, end]`: from `start + initialDelay` every `interval` (or
 * `fallbackIntervalMs` when the metric has none), inclusive of `end`.
 */
export function measurementTimes(metric: Metric, start: Date, end: Date, fallbackIntervalMs: number): Date[] {
  const s = metricSettings(metric);
  const step = s.intervalMs !== undefined && s.intervalMs > 0 ? s.intervalMs : fallbackIntervalMs;
  const times: Date[] = [];
  for (let t = start.getTime() + s.initialDelayMs; t <= end.getTime(); t += step) times.push(new Date(t));
  return times;
}

function plottedOf(measured: MeasuredValue): number | undefined {
  if (!measured.ok) return undefined;
  const v = Array.isArray(measured.value) ? measured.value[0] : measured.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface Event {
  readonly metric: Metric;
  readonly index: number;
  readonly sample: ReplaySample;
}

function eventsInOrder(
  metrics: readonly Metric[],
  samples: ReadonlyMap<string, readonly ReplaySample[]>,
): Event[] {
  const events = metrics.flatMap((metric, index) =>
    (samples.get(metric.name) ?? []).map((sample) => ({ metric, index, sample })),
  );
  return events.sort((a, b) => a.sample.at.getTime() - b.sample.at.getTime() || a.index - b.index);
}

function withResult(run: AnalysisRun, result: MetricResult): AnalysisRun {
  const others = (run.status?.metricResults ?? []).filter((r) => r.name !== result.name);
  const ordered = run.spec.metrics
    .map((m) => (m.name === result.name ? result : others.find((r) => r.name === m.name)))
    .filter((r): r is MetricResult => r !== undefined);
  return { ...run, status: { ...run.status, metricResults: ordered } };
}

/** Feeds one measurement to the run and assesses it as the controller would at that time. */
function feed(run: AnalysisRun, event: Event, measurement: ReturnType<typeof toMeasurement>): AnalysisRun {
  const name = event.metric.name;
  const base = resultOf(run, name) ?? newMetricResult(name, isDryRun(run.spec, name));
  const next = withResult(run, recordMeasurement(base, measurement));
  const verdict = assessRun(next, event.sample.at);
  const status = {
    ...next.status,
    phase: verdict.phase,
    message: verdict.message,
    metricResults: verdict.metricResults,
  };
  return { ...next, status };
}

function replayed(
  at: Date,
  measured: MeasuredValue,
  measurement: ReturnType<typeof toMeasurement>,
  inRun: boolean,
): ReplayedMeasurement {
  const plotted = plottedOf(measured);
  return {
    at,
    phase: measurement.phase,
    ...(measurement.value === undefined ? {} : { value: measurement.value }),
    ...(measurement.message === undefined ? {} : { message: measurement.message }),
    ...(plotted === undefined ? {} : { plotted }),
    inRun,
  };
}

/**
 * Replays an AnalysisRun over past samples, pure: every sample is judged by its metric's conditions
 * (`toMeasurement`); in time order (spec order on ties) the samples are fed to a run started at `start`
 * through Argo's bookkeeping and `assessRun`, until the run completes. Samples after that, or after their
 * metric completed (count reached), are kept with `inRun: false`. `spec.metrics` have their arguments
 * substituted; `annotations` are the run's (the template's carried `vireo.dev/consecutive-failure-limit`).
 * Error measurements are replayed on the interval grid (the controller retries them after 10 s).
 */
export function replayRun(
  spec: AnalysisRunSpec,
  samples: ReadonlyMap<string, readonly ReplaySample[]>,
  start: Date,
  annotations: Readonly<Record<string, string>> = {},
): { measurements: Map<string, ReplayedMeasurement[]>; verdict: RunVerdict } {
  let run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'replay', annotations: { ...annotations } },
    spec,
    status: { phase: 'Running', startedAt: toTimestamp(start), metricResults: [] },
  };
  let endedAt: Date | undefined;
  const measurements = new Map<string, ReplayedMeasurement[]>(spec.metrics.map((m) => [m.name, []]));
  for (const event of eventsInOrder(spec.metrics, samples)) {
    const { at, measured } = event.sample;
    const measurement = toMeasurement(event.metric, measured, { startedAt: at, finishedAt: at });
    const inRun = endedAt === undefined && !isCompletedPhase(resultOf(run, event.metric.name)?.phase);
    if (inRun) run = feed(run, event, measurement);
    if (endedAt === undefined && isCompletedPhase(run.status?.phase)) endedAt = at;
    measurements.get(event.metric.name)?.push(replayed(at, measured, measurement, inRun));
  }
  const phase = run.status?.phase ?? 'Running';
  const verdict: RunVerdict = {
    phase,
    message: run.status?.message ?? '',
    ...(endedAt === undefined ? {} : { at: endedAt }),
    aborted: phase === 'Failed' || phase === 'Error',
    paused: phase === 'Inconclusive',
  };
  return { measurements, verdict };
}
