import {
  type AnalysisPhase,
  type AnalysisRun,
  consecutiveFailureLimitOf,
  type Metric,
  type MetricResult,
  metricSettings,
  type RunSummary,
} from '../../api/index.js';
import { consecutiveFailureBreach } from './consecutive-failures.js';
import { nextReconcileAt } from './next-reconcile.js';
import {
  checkRun,
  isCompletedPhase,
  isDryRun,
  isStopping,
  isTerminating,
  lastMeasurement,
  runMetrics,
} from './run-metrics.js';

/** A metric's phase and, when a limit decided it, why (`failed (4) > failureLimit (3)`), else `''`. */
export interface MetricAssessment {
  readonly phase: AnalysisPhase;
  readonly reason: string;
}

/** Best to worst; when every metric is completed the worst phase is the run's. */
export const PHASE_ORDER: readonly AnalysisPhase[] = [
  'Successful',
  'Running',
  'Pending',
  'Inconclusive',
  'Error',
  'Failed',
];

/** True when `candidate` is worse than `current` in `PHASE_ORDER` (unknown phases rank as Successful). */
export function isWorse(current: string, candidate: string): boolean {
  const rank = (p: string): number => Math.max(0, PHASE_ORDER.indexOf(p as AnalysisPhase));
  return rank(candidate) > rank(current);
}

/**
 * Argo's `assessMetricFailureInconclusiveOrError`: checked in this order, the last that holds wins, so
 * Error beats Inconclusive beats Failed — `failed > failureLimit` (skipped when the limit is negative),
 * `inconclusive > inconclusiveLimit`, `consecutiveError > consecutiveErrorLimit` (default 4). With a
 * `consecutiveFailureLimit` (Vireo's `vireo.dev/consecutive-failure-limit` rule for this metric) the Failed
 * check is `consecutiveFailureBreach` instead.
 */
export function limitBreach(
  metric: Metric,
  result: MetricResult,
  consecutiveFailureLimit?: number,
): MetricAssessment | undefined {
  const s = metricSettings(metric);
  const { failed = 0, inconclusive = 0, consecutiveError = 0 } = result;
  let breach: MetricAssessment | undefined;
  if (consecutiveFailureLimit !== undefined) {
    breach = consecutiveFailureBreach(metric, result, consecutiveFailureLimit);
  } else if (s.failureLimit >= 0 && failed > s.failureLimit) {
    breach = { phase: 'Failed', reason: `failed (${failed}) > failureLimit (${s.failureLimit})` };
  }
  if (inconclusive > s.inconclusiveLimit) {
    const reason = `inconclusive (${inconclusive}) > inconclusiveLimit (${s.inconclusiveLimit})`;
    breach = { phase: 'Inconclusive', reason };
  }
  if (consecutiveError > s.consecutiveErrorLimit) {
    const reason = `consecutiveErrors (${consecutiveError}) > consecutiveErrorLimit (${s.consecutiveErrorLimit})`;
    breach = { phase: 'Error', reason };
  }
  return breach;
}

function countReachedVerdict(metric: Metric, result: MetricResult, count: number): MetricAssessment {
  const s = metricSettings(metric);
  if (s.consecutiveSuccessLimit <= 0) return { phase: 'Successful', reason: '' };
  const streak = `consecutiveSuccess (${result.consecutiveSuccess ?? 0}) < consecutiveSuccessLimit (${s.consecutiveSuccessLimit}) after count (${count})`;
  return { phase: s.failureLimit >= 0 ? 'Inconclusive' : 'Failed', reason: streak };
}

function assessOpen(
  metric: Metric,
  result: MetricResult,
  terminating: boolean,
  consecutiveFailureLimit: number | undefined,
): MetricAssessment {
  const last = lastMeasurement(result);
  if (last === undefined) return { phase: terminating ? 'Successful' : 'Pending', reason: '' };
  if (!isCompletedPhase(last.phase)) return { phase: 'Running', reason: '' };
  const breach = limitBreach(metric, result, consecutiveFailureLimit);
  if (breach !== undefined) return breach;
  const { consecutiveSuccessLimit, count } = metricSettings(metric);
  if (consecutiveSuccessLimit > 0 && (result.consecutiveSuccess ?? 0) >= consecutiveSuccessLimit) {
    return { phase: 'Successful', reason: '' };
  }
  if (count !== undefined && (result.count ?? 0) >= count) return countReachedVerdict(metric, result, count);
  return { phase: terminating ? 'Successful' : 'Running', reason: '' };
}

/**
 * Argo's `assessMetricStatus`: a completed phase stays (with the reason recomputed from the counters);
 * no measurement → Pending (Successful when terminating); last measurement in flight → Running; then
 * `limitBreach`; then `consecutiveSuccess >= consecutiveSuccessLimit (> 0)` → Successful; then effective
 * count reached → Successful, except with a consecutiveSuccessLimit not reached → Inconclusive
 * (failureLimit ≥ 0) or Failed (failureLimit -1); otherwise (unbounded) Running, or Successful when
 * terminating. `metric` has its arguments substituted; `consecutiveFailureLimit` is Vireo's rule for it, if any.
 */
export function assessMetric(
  metric: Metric,
  result: MetricResult,
  terminating = false,
  consecutiveFailureLimit?: number,
): MetricAssessment {
  if (!isCompletedPhase(result.phase))
    return assessOpen(metric, result, terminating, consecutiveFailureLimit);
  const phase = result.phase as AnalysisPhase;
  const fresh = assessOpen(metric, result, terminating, consecutiveFailureLimit);
  const breach = limitBreach(metric, result, consecutiveFailureLimit);
  return { phase, reason: fresh.phase === phase ? fresh.reason : (breach?.reason ?? '') };
}

/** The verdict on a run: its phase and message, the updated metric results, summaries and requeue time. */
export interface RunAssessment {
  readonly phase: AnalysisPhase;
  readonly message: string;
  /** When to reconcile again; absent once the run is completed or nothing is scheduled. */
  readonly nextReconcileAt?: Date;
  /** `status.metricResults` with phases (and messages) brought up to date; other results untouched. */
  readonly metricResults: MetricResult[];
  readonly runSummary: RunSummary;
  readonly dryRunSummary: RunSummary;
}

interface Assessed {
  readonly metric: Metric;
  readonly result: MetricResult;
  readonly verdict: MetricAssessment;
  readonly dryRun: boolean;
}

function assessAll(run: AnalysisRun, metrics: readonly Metric[], terminating: boolean): Assessed[] {
  const results = run.status?.metricResults ?? [];
  return metrics.flatMap((metric) => {
    const stored = results.find((r) => r.name === metric.name);
    if (stored === undefined) return [];
    const limit = consecutiveFailureLimitOf(run.metadata.annotations, metric.name);
    const verdict = assessMetric(metric, stored, terminating, limit);
    const dryRun = isDryRun(run.spec, metric.name);
    let result = stored;
    if (stored.phase !== verdict.phase) {
      const last = lastMeasurement(stored);
      const { message: _old, ...rest } = stored;
      const message = last === undefined ? stored.message : last.message;
      result = { ...rest, phase: verdict.phase, ...(message ? { message } : {}) };
    }
    if (dryRun && isCompletedPhase(verdict.phase) && verdict.reason !== '') {
      result = { ...result, message: `Metric assessed ${verdict.phase} due to ${verdict.reason}` };
    }
    return [{ metric, result, verdict, dryRun }];
  });
}

function summarize(assessed: readonly Assessed[], total: number): RunSummary {
  const summary = { count: total, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  for (const { verdict } of assessed) {
    if (verdict.phase === 'Failed') summary.failed++;
    else if (verdict.phase === 'Error') summary.error++;
    else if (verdict.phase === 'Inconclusive') summary.inconclusive++;
    else if (verdict.phase === 'Successful') summary.successful++;
  }
  return summary;
}

function summaries(run: AnalysisRun, metrics: readonly Metric[], assessed: readonly Assessed[]) {
  const dryTotal = metrics.filter((m) => isDryRun(run.spec, m.name)).length;
  return {
    runSummary: summarize(
      assessed.filter((a) => !a.dryRun),
      metrics.length - dryTotal,
    ),
    dryRunSummary: summarize(
      assessed.filter((a) => a.dryRun),
      dryTotal,
    ),
  };
}

function worstOf(
  assessed: readonly Assessed[],
  initialMessage: string,
): { phase?: AnalysisPhase; message: string } {
  let phase: AnalysisPhase | undefined;
  let message = initialMessage;
  for (const { metric, result, verdict } of assessed) {
    if (!isCompletedPhase(verdict.phase)) continue;
    if (phase !== undefined && !isWorse(phase, verdict.phase)) continue;
    phase = verdict.phase;
    if (verdict.reason === '') continue;
    message = `Metric "${metric.name}" assessed ${verdict.phase} due to ${verdict.reason}`;
    if (result.message) message += `: "Error Message: ${result.message}"`;
  }
  return { phase, message: message.trim() };
}

function mergeResults(run: AnalysisRun, assessed: readonly Assessed[]): MetricResult[] {
  const updated = new Map(assessed.map((a) => [a.result.name, a.result]));
  return (run.status?.metricResults ?? []).map((r) => updated.get(r.name) ?? r);
}

function decide(run: AnalysisRun, assessed: readonly Assessed[], terminating: boolean) {
  const worst = worstOf(
    assessed.filter((a) => !a.dryRun),
    run.spec.terminate === true ? 'Run Terminated' : '',
  );
  const dryCompleted = assessed.some((a) => a.dryRun && isCompletedPhase(a.verdict.phase));
  const phase = worst.phase ?? (dryCompleted ? 'Successful' : undefined);
  const everythingCompleted =
    assessed.length === run.spec.metrics.length && assessed.every((a) => isCompletedPhase(a.verdict.phase));
  if (terminating) return { phase: phase ?? 'Successful', message: worst.message };
  if (!everythingCompleted || phase === undefined) return { phase: 'Running' as const, message: '' };
  return { phase, message: worst.message };
}

function assessWithTermination(run: AnalysisRun, metrics: readonly Metric[]) {
  const stored = isTerminating(run);
  const first = assessAll(run, metrics, stored);
  if (stored || !first.some((a) => !a.dryRun && isStopping(a.verdict.phase))) {
    return { assessed: first, terminating: stored, stopInFlight: false };
  }
  if (
    first.some((a) => lastMeasurement(a.result)?.finishedAt === undefined && a.result.measurements?.length)
  ) {
    return { assessed: first, terminating: false, stopInFlight: true };
  }
  const firstPass: AnalysisRun = {
    ...run,
    status: { ...run.status, metricResults: mergeResults(run, first) },
  };
  return { assessed: assessAll(firstPass, metrics, true), terminating: true, stopInFlight: false };
}

/**
 * Argo's `assessRunStatus`, pure. A completed run is returned as it is; a run `checkRun` rejects is Error
 * with that message. Otherwise every metric with a result is assessed (`assessMetric`); the run is
 * terminating when `spec.terminate` is set or a non-dry-run metric is (or has just become) Failed, Error
 * or Inconclusive — Argo reaches the same verdict one reconcile later. When a metric has just stopped the
 * run while another has a measurement in flight, the run stays Running with `nextReconcileAt = now`, so
 * the next pass terminates that measurement (`dueMeasurements`) before the run completes, as in Argo. Terminating → the worst completed
 * phase, or Successful ("Run Terminated" when requested) if none; otherwise Running until every metric
 * (dry-run ones included, as in Argo's code) is completed, then the worst phase (`PHASE_ORDER`). Dry-run metrics never affect phase or message. The
 * message is `Metric "m" assessed <Phase> due to <reason>[: "Error Message: <last message>"]`.
 * Summaries count metrics by their phase.
 */
export function assessRun(run: AnalysisRun, now: Date): RunAssessment {
  const results = run.status?.metricResults ?? [];
  const unchanged = {
    metricResults: results,
    runSummary: run.status?.runSummary ?? {},
    dryRunSummary: run.status?.dryRunSummary ?? {},
  };
  if (isCompletedPhase(run.status?.phase)) {
    const phase = run.status?.phase as AnalysisPhase;
    return { ...unchanged, phase, message: run.status?.message ?? '' };
  }
  const problem = checkRun(run);
  if (problem !== undefined) return { ...unchanged, phase: 'Error', message: problem };
  const metrics = runMetrics(run);
  const { assessed, terminating, stopInFlight } = assessWithTermination(run, metrics);
  const metricResults = mergeResults(run, assessed);
  const { phase, message } = decide(run, assessed, terminating);
  const next = isCompletedPhase(phase)
    ? undefined
    : stopInFlight
      ? now
      : nextReconcileAt({ ...run, status: { ...run.status, metricResults } }, now);
  return {
    phase,
    message,
    metricResults,
    ...summaries(run, metrics, assessed),
    ...(next === undefined ? {} : { nextReconcileAt: next }),
  };
}
