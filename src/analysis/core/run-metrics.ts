import {
  type AnalysisRun,
  type AnalysisRunSpec,
  COMPLETED_ANALYSIS_PHASES,
  consecutiveFailureIssues,
  METRIC_DEFAULTS,
  type Measurement,
  type Metric,
  type MetricResult,
  measurementRetentionFor,
  metricNameMatches,
  validateAnalysisSpec,
} from '../../api/index.js';
import { resolveArgs, resolveMetric } from './resolve-args.js';
import type { Result } from './types.js';

/** Measurements kept per metric when no `measurementRetention` rule applies (Argo's history limit). */
export const DEFAULT_MEASUREMENT_RETENTION = METRIC_DEFAULTS.measurementRetention;

/** Wait before retrying after an Error measurement, whatever the metric's interval (Argo: 10 s). */
export const ERROR_RETRY_INTERVAL_MS = 10_000;

/** True for the phases after which a run, metric or measurement never changes again. */
export function isCompletedPhase(phase: string | undefined): boolean {
  return (COMPLETED_ANALYSIS_PHASES as readonly (string | undefined)[]).includes(phase);
}

/** True when a `dryRun` rule of the spec (`*` or a regular expression) selects the metric. */
export function isDryRun(spec: Pick<AnalysisRunSpec, 'dryRun'>, metricName: string): boolean {
  return (spec.dryRun ?? []).some((rule) => metricNameMatches(rule.metricName, metricName));
}

/** How many measurements to keep for a metric (`measurementRetentionFor`: the last matching rule, else 10). */
export const retentionLimit = measurementRetentionFor;

/** The stored result of a metric, if any. */
export function resultOf(run: AnalysisRun, metricName: string): MetricResult | undefined {
  return run.status?.metricResults?.find((r) => r.name === metricName);
}

/** The last kept measurement of a result, if any. */
export function lastMeasurement(result: MetricResult | undefined): Measurement | undefined {
  return result?.measurements?.at(-1);
}

/**
 * The run's metrics with arguments substituted, unresolved `valueFrom` values as placeholders (so counts,
 * intervals and limits are known without Secrets); the spec metrics as-is when arguments do not resolve
 * (`checkRun` reports that). Same length and order as `run.spec.metrics`.
 */
export function runMetrics(run: AnalysisRun): Metric[] {
  const resolved = resolvedRunMetrics(run);
  return resolved.ok ? resolved.value : run.spec.metrics;
}

function resolvedRunMetrics(run: AnalysisRun): Result<Metric[]> {
  const args = resolveArgs(run.spec.args);
  if (!args.ok) return args;
  const metrics: Metric[] = [];
  for (const metric of run.spec.metrics) {
    const resolved = resolveMetric(metric, args.value);
    if (!resolved.ok) return resolved;
    metrics.push(resolved.value);
  }
  return { ok: true, value: metrics };
}

/**
 * Why the run cannot proceed, as Argo words its AnalysisRun Error message, or `undefined` when it can:
 * `Unable to resolve metric arguments: …` or `Analysis spec invalid: <path>: <problem>; …` (no metrics,
 * duplicate names, bad durations/limits, unsupported providers, dry-run/retention rules matching nothing, a
 * `vireo.dev/consecutive-failure-limit` annotation that does not parse or fit the metrics).
 */
export function checkRun(run: AnalysisRun): string | undefined {
  const metrics = resolvedRunMetrics(run);
  if (!metrics.ok) return `Unable to resolve metric arguments: ${metrics.error}`;
  const { dryRun, measurementRetention } = run.spec;
  const issues = [
    ...validateAnalysisSpec({ metrics: metrics.value, dryRun, measurementRetention }),
    ...consecutiveFailureIssues(run.metadata.annotations, { metrics: metrics.value, measurementRetention }),
  ];
  if (issues.length === 0) return undefined;
  return `Analysis spec invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
}

/**
 * Argo's `IsTerminating` on stored state: `spec.terminate`, or a non-dry-run metric result already
 * Failed, Error or Inconclusive.
 */
export function isTerminating(run: AnalysisRun): boolean {
  if (run.spec.terminate === true) return true;
  return (run.status?.metricResults ?? []).some(
    (r) => !isDryRun(run.spec, r.name) && r.dryRun !== true && isStopping(r.phase),
  );
}

/** True for the metric phases that stop the whole run (Failed, Error, Inconclusive). */
export function isStopping(phase: string): boolean {
  return phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
