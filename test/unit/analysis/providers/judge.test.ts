import { describe, expect, it } from 'vitest';
import { resolveMetric } from '../../../../src/analysis/core/index.js';
import { createJudgeProvider, judgeWindow, roleQuery } from '../../../../src/analysis/providers/judge.js';
import { createProviderRegistry } from '../../../../src/analysis/providers/registry.js';
import { JUDGE_PLUGIN, judgeSettings, type Metric } from '../../../../src/api/index.js';
import { measureContext, useStub } from './provider-setup.js';
import { json } from './stub-server.js';

const stub = useStub();
const NOW = new Date('2026-01-01T12:00:00Z');
const QUERY = 'errors{hash="{{role}}",svc="{{args.service}}"}';

const metric = (config: Record<string, unknown> = {}, extra: Partial<Metric> = {}): Metric => ({
  name: 'judge',
  interval: '2m',
  provider: {
    plugin: {
      [JUDGE_PLUGIN]: {
        address: stub.base,
        canary: 'c4n4ry',
        baseline: 'b4s3',
        metrics: [{ name: 'error-rate', query: QUERY, tolerance: 0.01, minSamples: 5 }],
        ...config,
      },
    },
  },
  ...extra,
});

/** A Prometheus stub: a matrix of `values` for the canary's hash, of `baseline` for the other. */
function matrices(canary: number[], baseline: number[]) {
  stub.handle((seen, res) => {
    const values = (seen.url.searchParams.get('query') ?? '').includes('c4n4ry') ? canary : baseline;
    const series = { metric: {}, values: values.map((v, i) => [1_767_268_800 + i, String(v)]) };
    json({ status: 'success', data: { resultType: 'matrix', result: [series] } })(seen, res);
  });
}

describe('the vireo.dev/judge provider', () => {
  const provider = createJudgeProvider();

  it('range-queries both roles over the window and scores 0 when the canary is worse beyond the tolerance', async () => {
    matrices([0.08, 0.09, 0.07, 0.08, 0.1, 0.08], [0.001, 0, 0.002, 0, 0.001, 0]);
    const out = await provider.measure(metric(), measureContext(NOW));
    expect(out).toMatchObject({ ok: true, value: 0, raw: '0' });
    const queries = stub.seen
      .map((s) => Object.fromEntries(s.url.searchParams))
      .sort((a, b) => (a.query ?? '').localeCompare(b.query ?? ''));
    expect(stub.seen.map((s) => s.url.pathname)).toEqual(['/api/v1/query_range', '/api/v1/query_range']);
    const start = String((NOW.getTime() - 120_000) / 1000);
    expect(queries).toEqual([
      { query: 'errors{hash="b4s3",svc="api"}', start, end: String(NOW.getTime() / 1000), step: '4' },
      { query: 'errors{hash="c4n4ry",svc="api"}', start, end: String(NOW.getTime() / 1000), step: '4' },
    ]);
    expect(out.metadata?.roles).toBe('canary=c4n4ry baseline=b4s3');
    expect(out.metadata?.['error-rate']).toMatch(
      /^fail: canary higher \(p=0\.00\d+ < 0\.05, margin 0\.01; median 0\.08 vs 0\.0005; n=6\/6\)$/,
    );
  });

  it('scores 100 when the canary is within the tolerance, weights several metrics, honours window and step', async () => {
    matrices([0.004, 0.003, 0.005, 0.004, 0.004], [0.002, 0.003, 0.002, 0.002, 0.003]);
    const metrics = [
      { name: 'errors', query: QUERY, tolerance: 0.01, minSamples: 5, weight: 3 },
      { name: 'strict', query: `${QUERY} * 1`, minSamples: 5 },
    ];
    const out = await provider.measure(metric({ metrics, window: '30s', step: '5s' }), measureContext(NOW));
    expect(out).toMatchObject({ ok: true, value: 75 });
    expect(stub.seen[0]?.url.searchParams.get('step')).toBe('5');
    expect(stub.seen[0]?.url.searchParams.get('start')).toBe(String((NOW.getTime() - 30_000) / 1000));
  });

  it('is an Error, with the per-metric lines, when no metric has minSamples in both roles', async () => {
    matrices([0.01, Number.NaN], [0.01, 0.02, 0.01, 0.02, 0.01]);
    const out = await provider.measure(metric(), measureContext(NOW));
    expect(out).toMatchObject({
      ok: false,
      error: 'not enough samples to judge: error-rate: nodata: n=1/5 canary/baseline samples, minSamples 5',
    });
  });

  it('names the metric and role when Prometheus fails, with secret arguments redacted', async () => {
    stub.handle(
      json({ status: 'error', errorType: 'bad_data', error: 'parse error near tok-very-secret' }, 400),
    );
    const config = { metrics: [{ name: 'error-rate', query: 'x{h="{{role}}",t="{{args.token}}"}' }] };
    const out = await provider.measure(metric(config), measureContext(NOW));
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toMatch(
      /^metric "error-rate" \((canary|baseline)\): Prometheus bad_data error \(HTTP 400\): parse error near \*\*\*\*\*$/,
    );
  });

  it('refuses other plugins, bad configs and a missing address', async () => {
    const other: Metric = { name: 'm', provider: { plugin: { 'argoproj-labs/sample': {} } } };
    expect(await provider.measure(other, measureContext(NOW))).toEqual({
      ok: false,
      error: 'metric plugin "argoproj-labs/sample" is not supported by Vireo (supported: vireo.dev/judge)',
    });
    const bad = await provider.measure(metric({ canary: '{{args.missing}}' }), measureContext(NOW));
    expect(bad).toEqual({ ok: false, error: 'failed to resolve args: failed to resolve {{args.missing}}' });
    const tolerance = await provider.measure(metric({ confidence: 2 }), measureContext(NOW));
    expect(tolerance).toEqual({
      ok: false,
      error: 'vireo.dev/judge: confidence: must be between 0 and 1 (exclusive), got 2',
    });
    const noAddress = await provider.measure(metric({ address: undefined }), measureContext(NOW));
    expect(!noAddress.ok && noAddress.error).toContain('no Prometheus address');
    const withDefault = createJudgeProvider({ defaultAddress: stub.base });
    matrices([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]);
    expect(await withDefault.measure(metric({ address: undefined }), measureContext(NOW))).toMatchObject({
      value: 100,
    });
  });

  it('is served by the default registry under provider.plugin', () => {
    const found = createProviderRegistry().providerFor(metric());
    expect('type' in found && found.type).toBe('plugin');
  });
});

describe('judge helpers', () => {
  const settings = (config: Record<string, unknown>) => {
    const s = judgeSettings({
      canary: 'c',
      baseline: 'b',
      metrics: [{ name: 'm', query: 'q{h="{{role}}"}' }],
      ...config,
    });
    if (!s.ok) throw new Error(s.error);
    return s.value;
  };

  it('window: the config, else the interval, else 5m; step: window/30, at least 1 s', () => {
    const at = (s: ReturnType<typeof settings>, interval?: string) => {
      const w = judgeWindow(s, interval, NOW);
      return [(NOW.getTime() - w.start.getTime()) / 1000, w.step];
    };
    expect(at(settings({}))).toEqual([300, 10]);
    expect(at(settings({}), '1m')).toEqual([60, 2]);
    expect(at(settings({}), '10s')).toEqual([10, 1]);
    expect(at(settings({ window: '90s', step: '3s' }), '1m')).toEqual([90, 3]);
  });

  it('roleQuery replaces every {{role}}, spaces allowed', () => {
    expect(roleQuery('a{h="{{role}}"} / b{h="{{ role }}"}', 'x1')).toBe('a{h="x1"} / b{h="x1"}');
  });

  it('resolveMetric keeps {{role}} in a judge metric and nowhere else', () => {
    const args = [{ name: 'service', value: 'api', secret: false }];
    const resolved = resolveMetric(metric(), args);
    expect(resolved.ok && JSON.stringify(resolved.value)).toContain(
      'errors{hash=\\"{{role}}\\",svc=\\"api\\"}',
    );
    const prom: Metric = { name: 'p', provider: { prometheus: { query: 'x{h="{{role}}"}' } } };
    expect(resolveMetric(prom, args)).toEqual({ ok: false, error: 'failed to resolve {{role}}' });
  });
});
