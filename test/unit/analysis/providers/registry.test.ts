import { describe, expect, it } from 'vitest';
import type { MeasureContext, MetricProvider } from '../../../../src/analysis/providers/provider.js';
import { createProviderRegistry, providerKeys } from '../../../../src/analysis/providers/registry.js';
import type { Metric } from '../../../../src/api/index.js';

const context: MeasureContext = { args: [], signal: new AbortController().signal, now: new Date(0) };
const fake = (type: string, value: number): MetricProvider => ({
  type,
  measure: async () => ({ ok: true, value, raw: String(value) }),
});
const metric = (provider: Metric['provider']): Metric => ({ name: 'm', provider });

describe('provider registry', () => {
  const registry = createProviderRegistry({ providers: [fake('prometheus', 1), fake('web', 2)] });

  it('picks the provider by the key that is set', async () => {
    expect(await registry.measure(metric({ prometheus: { query: 'up' } }), context)).toMatchObject({
      value: 1,
    });
    expect(await registry.measure(metric({ web: { url: 'http://x' } }), context)).toMatchObject({ value: 2 });
  });

  it.each<[string, Metric['provider'], string]>([
    [
      'an unsupported provider',
      { datadog: { query: 'x' } },
      'metric provider "datadog" is not supported by Vireo (supported: prometheus, web)',
    ],
    [
      'a job before its provider is registered',
      { job: { spec: { template: {} } } },
      'metric provider "job" is not supported by Vireo (supported: prometheus, web)',
    ],
    ['no provider', {}, 'metric "m" sets no provider'],
    [
      'two providers',
      { prometheus: { query: 'up' }, web: { url: 'http://x' } },
      'metric "m" sets more than one provider: prometheus, web',
    ],
  ])('reports %s', async (_name, provider, error) => {
    expect(await registry.measure(metric(provider), context)).toEqual({ ok: false, error });
  });

  it('contains a provider that throws', async () => {
    const throwing: MetricProvider = {
      type: 'web',
      measure: () => Promise.reject(new TypeError('secret detail')),
    };
    const out = await createProviderRegistry({ providers: [throwing] }).measure(
      metric({ web: { url: 'http://x' } }),
      context,
    );
    expect(out).toEqual({ ok: false, error: 'web provider failed: TypeError' });
  });

  it('builds Prometheus and web by default', () => {
    const defaults = createProviderRegistry({ prometheusAddress: 'http://prom:9090' });
    const provider = defaults.providerFor(metric({ prometheus: { query: 'up' } }));
    expect('type' in provider && provider.type).toBe('prometheus');
    expect(providerKeys(metric({ web: { url: 'u' }, kayenta: {} }))).toEqual(['web', 'kayenta']);
  });
});
