import { METRIC_PROVIDER_KEYS, type Metric, type MetricProviderKey } from '../../api/index.js';
import type { MeasuredValue } from '../core/types.js';
import { createJobProvider, type JobProviderDeps } from './job.js';
import { createJudgeProvider } from './judge.js';
import { TokenCache } from './oauth2.js';
import { createPrometheusProvider } from './prometheus.js';
import type { MeasureContext, MetricProvider } from './provider.js';
import { createWebProvider } from './web.js';

/** Picks the provider for a metric and measures with it. */
export interface ProviderRegistry {
  /** The registered provider for the one `metric.provider` key that is set, or why there is none. */
  providerFor(metric: Metric): MetricProvider | { readonly error: string };
  /** Measures with `providerFor(metric)`; a missing provider or an unexpected throw is `{ ok: false }`. */
  measure(metric: Metric, context: MeasureContext): Promise<MeasuredValue>;
}

/** Settings for the built-in providers, gathered once by the composition root. */
export interface RegistryConfig {
  /** Default Prometheus address (Argo's env `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`). */
  readonly prometheusAddress?: string;
  /** The API and Job cache of the `job` provider; without them `job` metrics are not supported. */
  readonly job?: JobProviderDeps;
  /** Providers to use instead of the built-in ones (e.g. fakes). */
  readonly providers?: readonly MetricProvider[];
}

/** The keys of `metric.provider` that are set, in `METRIC_PROVIDER_KEYS` order. */
export function providerKeys(metric: Metric): MetricProviderKey[] {
  return METRIC_PROVIDER_KEYS.filter((key) => metric.provider[key] !== undefined);
}

/**
 * Vireo's built-in providers: Prometheus, web (sharing one OAuth2 token cache), the `vireo.dev/judge` metric
 * plugin, and job when `config.job` is given.
 */
export function defaultProviders(config: RegistryConfig = {}): MetricProvider[] {
  const tokens = new TokenCache();
  const prometheus =
    config.prometheusAddress === undefined
      ? { tokens }
      : { defaultAddress: config.prometheusAddress, tokens };
  const job = config.job === undefined ? [] : [createJobProvider(config.job)];
  return [
    createPrometheusProvider(prometheus),
    createWebProvider({ tokens }),
    createJudgeProvider(prometheus),
    ...job,
  ];
}

/**
 * A registry over `config.providers` (default: `defaultProviders`). Exactly one `metric.provider` key must
 * be set; a key with no registered provider gives `metric provider "x" is not supported by Vireo
 * (supported: …)`. `measure` never rejects.
 */
export function createProviderRegistry(config: RegistryConfig = {}): ProviderRegistry {
  const providers = new Map((config.providers ?? defaultProviders(config)).map((p) => [p.type, p]));
  const supported = [...providers.keys()].join(', ');
  const providerFor = (metric: Metric): MetricProvider | { readonly error: string } => {
    const keys = providerKeys(metric);
    if (keys.length === 0) return { error: `metric "${metric.name}" sets no provider` };
    if (keys.length > 1)
      return { error: `metric "${metric.name}" sets more than one provider: ${keys.join(', ')}` };
    const key = keys[0] as MetricProviderKey;
    return (
      providers.get(key) ?? {
        error: `metric provider "${key}" is not supported by Vireo (supported: ${supported})`,
      }
    );
  };
  const measure = async (metric: Metric, context: MeasureContext): Promise<MeasuredValue> => {
    const provider = providerFor(metric);
    if ('error' in provider) return { ok: false, error: provider.error };
    try {
      return await provider.measure(metric, context);
    } catch (caught) {
      return {
        ok: false,
        error: `${provider.type} provider failed: ${caught instanceof Error ? caught.name : 'error'}`,
      };
    }
  };
  return { providerFor, measure };
}
