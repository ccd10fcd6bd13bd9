import type { AnalysisRun, Measurement, Metric, MetricResult } from '../../api/index.js';
import type { Clock } from '../../util/clock.js';
import { redactDeep, redactText } from '../../util/redact.js';
import {
  dueMeasurements,
  isCompletedPhase,
  isDryRun,
  isTerminating,
  lastMeasurement,
  type MetricTask,
  newMetricResult,
  REDACTED,
  type ResolvedArgs,
  recordMeasurement,
  resolveMetric,
  resultOf,
  retentionLimit,
  secretValues,
  timeMs,
  toMeasurement,
  toTimestamp,
} from '../core/index.js';
import { type InFlightContext, type InFlightProvider, isInFlightProvider } from '../providers/in-flight.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What one measuring pass needs. */
export interface MeasureDeps {
  registry: ProviderRegistry;
  clock: Clock;
  signal: AbortSignal;
  /** Told when an in-flight provider could not clean up after old measurements (the pass carries on). */
  onCollectError?: (metric: string, err: unknown) => void;
}

/** Argo's message on a measurement stopped because its run terminates. */
export const TERMINATED_MESSAGE = 'Metric Terminated';

function withResult(results: readonly MetricResult[], result: MetricResult): MetricResult[] {
  const index = results.findIndex((r) => r.name === result.name);
  return index < 0 ? [...results, result] : results.map((r, i) => (i === index ? result : r));
}

/**
 * The measurement with every secret argument value masked in its message, value and metadata: a
 * provider's answer may echo a secret in any encoding, and it must not reach status (nor, from there,
 * the Rollout's status and Events).
 */
export function redactMeasurement(measurement: Measurement, args: ResolvedArgs): Measurement {
  const secrets = secretValues(args);
  if (secrets.length === 0) return measurement;
  const { message, value, metadata } = measurement;
  return {
    ...measurement,
    ...(message === undefined ? {} : { message: redactText(message, secrets, REDACTED) }),
    ...(value === undefined ? {} : { value: redactText(value, secrets, REDACTED) }),
    ...(metadata === undefined ? {} : { metadata: redactDeep(metadata, secrets, REDACTED) }),
  };
}

interface TaskInput {
  readonly run: AnalysisRun;
  readonly task: MetricTask;
  readonly previous: MetricResult | undefined;
  readonly args: ResolvedArgs;
  readonly now: Date;
}

function inFlightContext(deps: MeasureDeps, input: TaskInput): InFlightContext {
  const meta = input.run.metadata;
  const taken = (input.previous?.count ?? 0) + (input.previous?.error ?? 0);
  return {
    args: input.args,
    signal: deps.signal,
    now: input.now,
    run: { name: meta.name ?? '', namespace: meta.namespace ?? '', uid: meta.uid ?? '' },
    measurementNumber: taken + 1,
  };
}

function errorMeasurement(task: MetricTask, message: string, now: Date): Measurement {
  const at = toTimestamp(now);
  return { ...task.resume, phase: 'Error', message, startedAt: task.resume?.startedAt ?? at, finishedAt: at };
}

/** Argo's `runMeasurements` step for a provider measuring in flight: start, resume or terminate. */
async function stepInFlight(
  deps: MeasureDeps,
  provider: InFlightProvider,
  input: TaskInput,
): Promise<Measurement> {
  const { task } = input;
  const resolved = resolveMetric(task.metric, input.args);
  if (!resolved.ok) return errorMeasurement(task, resolved.error, input.now);
  const context = inFlightContext(deps, input);
  if (task.resume === undefined) return provider.start(resolved.value, context);
  if (!task.terminate) return provider.resume(resolved.value, task.resume, context);
  const stopped = await provider.terminate(resolved.value, task.resume, context);
  const terminated = stopped.phase === 'Successful' || stopped.phase === 'Inconclusive';
  return terminated ? { ...stopped, message: TERMINATED_MESSAGE } : stopped;
}

/** One value-returning provider call, judged by the metric's conditions. */
async function measureOnce(deps: MeasureDeps, input: TaskInput): Promise<Measurement> {
  const { task } = input;
  const startedAt = deps.clock.now();
  const resolved = resolveMetric(task.metric, input.args);
  const measured = resolved.ok
    ? await deps.registry.measure(task.metric, { args: input.args, signal: deps.signal, now: input.now })
    : ({ ok: false, error: resolved.error } as const);
  const metric = resolved.ok ? resolved.value : task.metric;
  return toMeasurement(metric, measured, { startedAt, finishedAt: deps.clock.now() });
}

/** Deletes what an in-flight provider's measurements beyond the kept ones left behind (never throws). */
async function collectOld(deps: MeasureDeps, provider: InFlightProvider, input: TaskInput, keep: number) {
  const taken = (input.previous?.count ?? 0) + (input.previous?.error ?? 0) + 1;
  if (taken <= keep) return;
  const resolved = resolveMetric(input.task.metric, input.args);
  const metric: Metric = resolved.ok ? resolved.value : input.task.metric;
  await provider
    .collect(metric, keep, inFlightContext(deps, input))
    .catch((err: unknown) => deps.onCollectError?.(metric.name, err));
}

/**
 * In-flight measurements not due yet (`resumeAt` ahead) whose provider already sees them finished (a Job
 * done): resumed now instead of at `resumeAt`, so a finished Job is judged as soon as it is seen.
 */
function finishedEarly(
  deps: MeasureDeps,
  run: AnalysisRun,
  now: Date,
  due: readonly MetricTask[],
): MetricTask[] {
  if (isTerminating(run) || isCompletedPhase(run.status?.phase)) return [];
  const meta = run.metadata;
  const identity = { name: meta.name ?? '', namespace: meta.namespace ?? '', uid: meta.uid ?? '' };
  return run.spec.metrics.flatMap((metric) => {
    if (due.some((t) => t.metric.name === metric.name)) return [];
    const last = lastMeasurement(resultOf(run, metric.name));
    if (last === undefined || last.finishedAt !== undefined || (timeMs(last.resumeAt) ?? 0) <= now.getTime())
      return [];
    const provider = deps.registry.providerFor(metric);
    if ('error' in provider || !isInFlightProvider(provider) || !provider.finished?.(last, identity))
      return [];
    return [{ metric, resume: last, terminate: false }];
  });
}

/**
 * Takes every measurement due at `now` (one provider call per due metric, in spec order) and returns
 * the run with its `status.metricResults` updated through Argo's bookkeeping. Providers that measure in
 * flight (`job`) are started, resumed or — when the run is terminating — terminated (message `Metric
 * Terminated` when that ends Successful or Inconclusive) — resumed before `resumeAt` when the provider already
 * sees them finished — and once a metric has taken more measurements than
 * it keeps, the provider deletes what the older ones left behind. Other providers take a value judged by
 * the metric's conditions, and take nothing while the run terminates. Providers never throw; an argument
 * that cannot be substituted makes that metric's measurement an Error; secret argument values are masked in
 * every measurement (`redactMeasurement`). Verdicts are left to `assessRun`.
 */
export async function takeDueMeasurements(
  deps: MeasureDeps,
  run: AnalysisRun,
  args: ResolvedArgs,
  now: Date,
): Promise<AnalysisRun> {
  let results = run.status?.metricResults ?? [];
  const due = dueMeasurements(run, now);
  for (const task of [...due, ...finishedEarly(deps, run, now, due)]) {
    const name = task.metric.name;
    const previous = resultOf({ ...run, status: { ...run.status, metricResults: results } }, name);
    const provider = deps.registry.providerFor(task.metric);
    const inFlight = !('error' in provider) && isInFlightProvider(provider) ? provider : undefined;
    if (inFlight === undefined && task.terminate) continue;
    const input: TaskInput = { run, task, previous, args, now };
    const taken = inFlight ? await stepInFlight(deps, inFlight, input) : await measureOnce(deps, input);
    const measurement = redactMeasurement(taken, args);
    const base = previous ?? newMetricResult(name, isDryRun(run.spec, name));
    const keep = retentionLimit(run.spec, name);
    results = withResult(results, recordMeasurement(base, measurement, keep));
    if (inFlight && task.resume === undefined) await collectOld(deps, inFlight, input, keep);
  }
  return { ...run, status: { ...run.status, metricResults: results } };
}
