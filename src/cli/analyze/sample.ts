import {
  type MeasuredValue,
  type ResolvedArgs,
  redactSecrets,
  substituteArgs,
} from '../../analysis/core/index.js';
import { createJudgeProvider } from '../../analysis/providers/judge.js';
import { createPrometheusProvider } from '../../analysis/providers/prometheus.js';
import { formatResultValue, PromError, promRangeQuery } from '../../analysis/providers/prometheus-client.js';
import type { MetricProvider } from '../../analysis/providers/provider.js';
import { JUDGE_PLUGIN, METRIC_DEFAULTS, type Metric } from '../../api/index.js';
import { CliError } from '../errors.js';
import type { ReplaySample } from './replay-run.js';

/** Where and what to sample. */
export interface SampleOptions {
  /** Measurement times of the metric (`measurementTimes`), evenly spaced. */
  readonly times: readonly Date[];
  readonly args: ResolvedArgs;
  /** `--prometheus`: used instead of every metric's own address. */
  readonly addressOverride?: string;
  /** `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`, for metrics that set no address. */
  readonly defaultAddress?: string;
  readonly signal: AbortSignal;
}

/** A metric's samples and how they were taken, or why it cannot be replayed. */
export type MetricSampling =
  | { readonly how: 'range query' | 'one query per measurement'; readonly samples: ReplaySample[] }
  | { readonly how: 'skipped'; readonly reason: string };

/** Prometheus answers at most 11,000 points per series; stay under it per request. */
const MAX_POINTS = 10_000;
const CONCURRENCY = 4;

function withAddress(metric: Metric, address: string | undefined): Metric {
  if (address === undefined) return metric;
  const { prometheus, plugin } = metric.provider;
  if (prometheus) return { ...metric, provider: { prometheus: { ...prometheus, address } } };
  const judge = plugin?.[JUDGE_PLUGIN] as Record<string, unknown> | undefined;
  return judge ? { ...metric, provider: { plugin: { [JUDGE_PLUGIN]: { ...judge, address } } } } : metric;
}

/** Asks `provider` at each time as the controller would have (its `now` set to that time), a few at once. */
async function perMeasurement(
  provider: MetricProvider,
  metric: Metric,
  o: SampleOptions,
): Promise<ReplaySample[]> {
  const samples: ReplaySample[] = [];
  for (let i = 0; i < o.times.length; i += CONCURRENCY) {
    const batch = o.times.slice(i, i + CONCURRENCY);
    const measured = await Promise.all(
      batch.map((now) => provider.measure(metric, { args: o.args, signal: o.signal, now })),
    );
    batch.forEach((at, k) => {
      samples.push({ at, measured: measured[k] as MeasuredValue });
    });
  }
  return samples;
}

/** Splits a matrix into one vector per step (`[]` where no series has a point), as instant queries give. */
function vectorsByStep(
  series: readonly { timestamps: readonly number[]; values: readonly number[] }[],
  start: Date,
  stepMs: number,
  count: number,
): number[][] {
  const vectors: number[][] = Array.from({ length: count }, () => []);
  for (const s of series) {
    s.timestamps.forEach((t, i) => {
      vectors[Math.round((t * 1000 - start.getTime()) / stepMs)]?.push(s.values[i] as number);
    });
  }
  return vectors;
}

async function rangeChunk(
  metric: Metric,
  address: string,
  times: readonly Date[],
  o: SampleOptions,
): Promise<ReplaySample[]> {
  const prom = substituteArgs(metric.provider.prometheus, o.args);
  if (!prom.ok || prom.value === undefined)
    throw new CliError(`metric "${metric.name}": ${prom.ok ? 'no query' : prom.error}`);
  const first = times[0] as Date;
  const stepMs = times.length > 1 ? (times[1] as Date).getTime() - first.getTime() : 1000;
  const headers = Object.fromEntries((prom.value.headers ?? []).map((h) => [h.key, h.value]));
  const timeoutMs = (prom.value.timeout || METRIC_DEFAULTS.prometheusTimeoutSeconds) * 1000;
  const end = times.at(-1) as Date;
  try {
    const options = { start: first, end, step: stepMs / 1000, headers, timeoutMs, signal: o.signal };
    const response = await promRangeQuery(address, prom.value.query ?? '', options);
    if (response.resultType === 'string')
      throw new CliError(`metric "${metric.name}": a string result cannot be judged`);
    const series = 'series' in response ? response.series : [];
    return vectorsByStep(series, first, stepMs, times.length).map((value, k) => ({
      at: times[k] as Date,
      measured: { ok: true, value, raw: formatResultValue({ resultType: 'vector', value, series: [] }) },
    }));
  } catch (caught) {
    if (!(caught instanceof PromError)) throw caught;
    throw new CliError(`metric "${metric.name}": ${redactSecrets(caught.message, o.args)}`);
  }
}

async function byRangeQueries(metric: Metric, o: SampleOptions): Promise<ReplaySample[]> {
  const address = o.addressOverride ?? metric.provider.prometheus?.address ?? o.defaultAddress;
  if (!address)
    throw new CliError(`metric "${metric.name}" has no Prometheus address: pass --prometheus URL`);
  const samples: ReplaySample[] = [];
  for (let i = 0; i < o.times.length; i += MAX_POINTS) {
    samples.push(...(await rangeChunk(metric, address, o.times.slice(i, i + MAX_POINTS), o)));
  }
  return samples;
}

/**
 * Samples one metric at `o.times`. A Prometheus instant-query metric without `authentication` takes range
 * queries (step = interval, evaluated exactly as instant queries at those times, split back into vectors);
 * a `rangeQuery` or authenticated Prometheus metric and a `vireo.dev/judge` metric ask their provider once
 * per time, with `now` at that time. Other providers are skipped. A Prometheus failure on the range path
 * is a CliError naming the metric; on the provider path it is an Error measurement, as in a live run.
 */
export async function sampleMetric(metric: Metric, o: SampleOptions): Promise<MetricSampling> {
  const { prometheus, plugin } = metric.provider;
  const defaults = o.defaultAddress === undefined ? {} : { defaultAddress: o.defaultAddress };
  const target = withAddress(metric, o.addressOverride);
  if (prometheus && prometheus.rangeQuery === undefined && prometheus.authentication === undefined) {
    return { how: 'range query', samples: await byRangeQueries(metric, o) };
  }
  if (prometheus) {
    return {
      how: 'one query per measurement',
      samples: await perMeasurement(createPrometheusProvider(defaults), target, o),
    };
  }
  if (plugin?.[JUDGE_PLUGIN] !== undefined) {
    return {
      how: 'one query per measurement',
      samples: await perMeasurement(createJudgeProvider(defaults), target, o),
    };
  }
  const key = Object.keys(metric.provider)[0] ?? 'unknown';
  return {
    how: 'skipped',
    reason: `${key} metrics cannot be replayed (only prometheus and plugin["${JUDGE_PLUGIN}"])`,
  };
}
