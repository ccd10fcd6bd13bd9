import { describe, expect, it } from 'vitest';
import {
  createPrometheusProvider,
  RESOLVED_QUERY_KEY,
} from '../../../../src/analysis/providers/prometheus.js';
import type { MeasureContext } from '../../../../src/analysis/providers/provider.js';
import type { Metric, PrometheusMetric } from '../../../../src/api/index.js';
import { abortOnceSeen, measureContext, useStub } from './provider-setup.js';
import { json } from './stub-server.js';

const stub = useStub();

const NOW = new Date('2026-01-01T12:00:00Z');
const context = (extra: Partial<MeasureContext> = {}) => measureContext(NOW, extra);
const metric = (prometheus: Partial<PrometheusMetric>): Metric => ({
  name: 'error-rate',
  provider: { prometheus: { address: stub.base, query: 'up', ...prometheus } },
});
const success = (data: unknown, extra: Record<string, unknown> = {}) =>
  json({ status: 'success', data, ...extra });
const vector = (...values: string[]) =>
  success({ resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [1_767_268_800, v] })) });

describe('prometheus provider', () => {
  const provider = createPrometheusProvider();

  it('runs an instant query at context.now with args substituted and reports the resolved query', async () => {
    stub.handle(vector('0.08'));
    const out = await provider.measure(
      metric({ query: 'rate{svc="{{args.service}}",k="{{args.token}}"}' }),
      context(),
    );
    expect(out).toEqual({
      ok: true,
      value: [0.08],
      raw: '[0.08]',
      metadata: { [RESOLVED_QUERY_KEY]: 'rate{svc="api",k="*****"}' },
    });
    const seen = stub.seen[0];
    expect(seen?.url.pathname).toBe('/api/v1/query');
    expect(seen?.url.searchParams.get('query')).toBe('rate{svc="api",k="tok-very-secret"}');
    expect(seen?.url.searchParams.get('time')).toBe(String(NOW.getTime() / 1000));
  });

  it.each<[string, unknown, unknown, string]>([
    ['scalar', { resultType: 'scalar', result: [1, '0.5'] }, 0.5, '0.5'],
    ['empty vector', { resultType: 'vector', result: [] }, [], '[]'],
    [
      'NaN and +Inf',
      { resultType: 'vector', result: [{ value: [1, 'NaN'] }, { value: [1, '+Inf'] }] },
      [Number.NaN, Number.POSITIVE_INFINITY],
      '[NaN,+Inf]',
    ],
    [
      'matrix flattened',
      {
        resultType: 'matrix',
        result: [
          {
            values: [
              [1, '1'],
              [2, '2'],
            ],
          },
          { values: [[1, '3']] },
        ],
      },
      [1, 2, 3],
      '[1,2,3]',
    ],
  ])('maps a %s result', async (_name, data, value, raw) => {
    stub.handle(success(data));
    expect(await provider.measure(metric({}), context())).toMatchObject({ ok: true, value, raw });
  });

  it('rejects a string result like Argo', async () => {
    stub.handle(success({ resultType: 'string', result: [1, 'x'] }));
    expect(await provider.measure(metric({}), context())).toMatchObject({
      ok: false,
      error: 'Prometheus metric type not supported (string result)',
    });
  });

  it('puts warnings in metadata', async () => {
    stub.handle(success({ resultType: 'scalar', result: [1, '1'] }, { warnings: ['w1', 'w2'] }));
    const out = await provider.measure(metric({}), context());
    expect(out.metadata).toMatchObject({ warnings: '"w1", "w2"' });
  });

  it('runs a range query with start/end from expressions and step in seconds', async () => {
    stub.handle(success({ resultType: 'matrix', result: [] }));
    const rangeQuery = { start: 'now() - duration("{{args.service}}")', end: 'now()', step: '1m' };
    const out = await provider.measure(
      metric({ rangeQuery }),
      context({ args: [{ name: 'service', value: '1h', secret: false }] }),
    );
    expect(out).toMatchObject({ ok: true, value: [] });
    const params = stub.seen[0]?.url.searchParams;
    expect(stub.seen[0]?.url.pathname).toBe('/api/v1/query_range');
    expect([params?.get('start'), params?.get('end'), params?.get('step')]).toEqual([
      String(NOW.getTime() / 1000 - 3600),
      String(NOW.getTime() / 1000),
      '60',
    ]);
  });

  it('sends headers and basic auth, and keeps their values out of errors', async () => {
    stub.handle((seen, res) => {
      res.writeHead(500);
      res.end(`echo ${seen.headers['x-api-key']} ${seen.headers.authorization}`);
    });
    const out = await provider.measure(
      metric({
        headers: [{ key: 'X-Api-Key', value: '{{args.token}}' }],
        authentication: { basicAuth: { username: 'u', password: 'p4ssw0rd' } },
      }),
      context(),
    );
    expect(stub.seen[0]?.headers['x-api-key']).toBe('tok-very-secret');
    expect(stub.seen[0]?.headers.authorization).toBe(`Basic ${btoa('u:p4ssw0rd')}`);
    expect(out.ok).toBe(false);
    const text = JSON.stringify(out);
    expect(text).not.toContain('tok-very-secret');
    expect(text).not.toContain(btoa('u:p4ssw0rd'));
    expect(text).toContain('HTTP 500');
  });

  it('uses the default address when the metric has none', async () => {
    stub.handle(vector('1'));
    const withDefault = createPrometheusProvider({ defaultAddress: stub.base });
    expect(await withDefault.measure(metric({ address: undefined }), context())).toMatchObject({
      ok: true,
      value: [1],
    });
  });

  it.each<[string, Partial<PrometheusMetric>, string]>([
    ['no address', { address: undefined }, 'prometheus address is not configured'],
    ['a non-http address', { address: 'ftp://prom' }, 'Prometheus address must be http or https'],
    ['a negative timeout', { timeout: -1 }, 'prometheus timeout should not be negative'],
    [
      'sigv4',
      { authentication: { sigv4: { region: 'eu' } } },
      'authentication.sigv4 is not supported by Vireo',
    ],
    [
      'basic auth without password',
      { authentication: { basicAuth: { username: 'u' } } },
      'basic auth setup: password',
    ],
    [
      'a bad range start',
      { rangeQuery: { start: 'yesterday', end: 'now()', step: '1m' } },
      'failed to parse rangeQuery.start as time',
    ],
    [
      'a bad range step',
      { rangeQuery: { start: 'now()', end: 'now()', step: 'often' } },
      'failed to parse rangeQuery.step as duration',
    ],
    [
      'an unknown argument',
      { query: '{{args.nope}}' },
      'failed to resolve args: failed to resolve {{args.nope}}',
    ],
  ])('errors on %s without calling Prometheus', async (_name, fields, error) => {
    const out = await provider.measure(metric(fields), context());
    expect(out.ok).toBe(false);
    expect(out.ok ? '' : out.error).toContain(error);
    expect(stub.seen).toHaveLength(0);
  });

  it('reports a Prometheus API error', async () => {
    stub.handle(json({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 400));
    const out = await provider.measure(metric({ query: 'sum(' }), context());
    expect(out).toMatchObject({ ok: false, error: 'Prometheus bad_data error (HTTP 400): parse error' });
    expect(out.metadata).toEqual({ [RESOLVED_QUERY_KEY]: 'sum(' });
  });

  it('times out after `timeout` seconds', async () => {
    stub.handle((_seen, res) => stub.hold(res));
    const started = performance.now();
    const out = await provider.measure(metric({ timeout: 1 }), context());
    expect(out).toMatchObject({ ok: false });
    expect(out.ok ? '' : out.error).toMatch(/timed out after 1000 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('stops when the caller aborts', async () => {
    const out = await abortOnceSeen(stub, (signal) => provider.measure(metric({}), context({ signal })));
    expect(out).toMatchObject({ ok: false, error: expect.stringContaining('was aborted') });
  });
});
