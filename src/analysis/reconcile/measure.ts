import type { AnalysisRun, Measurement, MetricResult } from '../../api/index.js';
import type { Clock } from '../../util/clock.js';
import { redactDeep, redactText } from '../../util/redact.js';
import {
  dueMeasurements,
  isDryRun,
  newMetricResult,
  REDACTED,
  type ResolvedArgs,
  recordMeasurement,
  resolveMetric,
  resultOf,
  retentionLimit,
  secretValues,
  toMeasurement,
} from '../core/index.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What one measuring pass needs. */
export interface MeasureDeps {
  registry: ProviderRegistry;
  clock: Clock;
  signal: AbortSignal;
}

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

/**
 * Takes every measurement due at `now` (one provider call per due metric, in spec order) and returns
 * the run with its `status.metricResults` updated through Argo's bookkeeping. Providers never throw; an
 * argument that cannot be substituted makes that metric's measurement an Error. Verdicts are left to
 * `assessRun`. Runs that are terminating take no new measurements.
 */
export async function takeDueMeasurements(
  deps: MeasureDeps,
  run: AnalysisRun,
  args: ResolvedArgs,
  now: Date,
): Promise<AnalysisRun> {
  let results = run.status?.metricResults ?? [];
  for (const task of dueMeasurements(run, now)) {
    if (task.terminate) continue;
    const name = task.metric.name;
    const startedAt = deps.clock.now();
    const resolved = resolveMetric(task.metric, args);
    const measured = resolved.ok
      ? await deps.registry.measure(task.metric, { args, signal: deps.signal, now })
      : ({ ok: false, error: resolved.error } as const);
    const metric = resolved.ok ? resolved.value : task.metric;
    const times = { startedAt, finishedAt: deps.clock.now() };
    const measurement = redactMeasurement(toMeasurement(metric, measured, times), args);
    const previous = resultOf({ ...run, status: { ...run.status, metricResults: results } }, name);
    const base = previous ?? newMetricResult(name, isDryRun(run.spec, name));
    results = withResult(results, recordMeasurement(base, measurement, retentionLimit(run.spec, name)));
  }
  return { ...run, status: { ...run.status, metricResults: results } };
}
