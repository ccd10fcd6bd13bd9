import type { AnalysisRunSpec } from '../../api/index.js';

/** Event reason of the Warning naming a metric that skips TLS certificate verification. */
export const INSECURE_METRIC_REASON = 'InsecureMetric';

/** The Warning message for metric `name` whose `provider` sets `insecure: true`. */
export function insecureMetricMessage(name: string, provider: 'prometheus' | 'web'): string {
  return (
    `Metric "${name}" does not verify TLS certificates (provider.${provider}.insecure: true): ` +
    'its measurements can be read or altered by anyone on the network path'
  );
}

/** A metric that skips certificate verification, and which of its providers does. */
export interface InsecureMetric {
  readonly name: string;
  readonly provider: 'prometheus' | 'web';
}

/** The metrics of `spec` that set `insecure: true`, with the provider that does, in spec order. */
export function insecureMetrics(spec: Pick<AnalysisRunSpec, 'metrics'>): InsecureMetric[] {
  return (spec.metrics ?? []).flatMap((metric): InsecureMetric[] => {
    if (metric.provider.prometheus?.insecure === true) return [{ name: metric.name, provider: 'prometheus' }];
    if (metric.provider.web?.insecure === true) return [{ name: metric.name, provider: 'web' }];
    return [];
  });
}
