import { describe, expect, it } from 'vitest';
import type { MeasureContext } from '../../../../src/analysis/providers/provider.js';
import { createWebProvider, MAX_WEB_RESPONSE_BYTES } from '../../../../src/analysis/providers/web.js';
import type { Metric, WebMetric } from '../../../../src/api/index.js';
import { abortOnceSeen, measureContext, useStub } from './provider-setup.js';
import { json, startStub } from './stub-server.js';

const stub = useStub();

const context = (extra: Partial<MeasureContext> = {}) =>
  measureContext(new Date('2026-01-01T00:00:00Z'), extra);
const metric = (web: Partial<WebMetric>): Metric => ({
  name: 'web',
  provider: { web: { url: `${stub.base}/check`, ...web } },
});
const text =
  (body: string, status = 200) =>
  (_seen: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(body);
  };

describe('web provider', () => {
  const provider = createWebProvider();
  const payload = { data: { ok: true, successPercent: 0.95 }, items: [{ value: 3 }], status: 'healthy' };

  it.each<[string | undefined, unknown, string]>([
    [undefined, payload, JSON.stringify(payload)],
    ['{$.data.ok}', true, 'true'],
    ['{$.data}', payload.data, JSON.stringify(payload.data)],
    ['{$.items[0].value}', 3, '3'],
    ['{.status}', 'healthy', '"healthy"'],
  ])('GET with jsonPath %s', async (jsonPath, value, raw) => {
    stub.handle(json(payload));
    const out = await provider.measure(metric(jsonPath === undefined ? {} : { jsonPath }), context());
    expect(out).toEqual({ ok: true, value, raw });
    expect(stub.seen[0]?.method).toBe('GET');
  });

  it('passes a non-JSON body as a string (empty included)', async () => {
    stub.handle(text('I am OK'));
    expect(await provider.measure(metric({ jsonPath: '{$.x}' }), context())).toEqual({
      ok: true,
      value: 'I am OK',
      raw: 'I am OK',
    });
    stub.handle(text(''));
    expect(await provider.measure(metric({}), context())).toEqual({ ok: true, value: '', raw: '' });
  });

  it('substitutes args into url, headers and jsonBody, and POSTs JSON', async () => {
    stub.handle(json({ ok: true }));
    const out = await provider.measure(
      metric({
        url: `${stub.base}/m?service={{ args.service }}`,
        method: 'POST',
        headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
        jsonBody: { service: '{{args.service}}', nested: { n: 1 } },
        jsonPath: '{$.ok}',
      }),
      context(),
    );
    expect(out).toEqual({ ok: true, value: true, raw: 'true' });
    const seen = stub.seen[0];
    expect(seen?.url.searchParams.get('service')).toBe('api');
    expect(seen?.headers.authorization).toBe('Bearer tok-very-secret');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ service: 'api', nested: { n: 1 } });
  });

  it('PUTs a string body', async () => {
    stub.handle(json(1));
    await provider.measure(metric({ method: 'PUT', body: 'hello' }), context());
    expect([stub.seen[0]?.method, stub.seen[0]?.body]).toEqual(['PUT', 'hello']);
  });

  it.each<[string, Partial<WebMetric>, string]>([
    [
      'a GET with a body',
      { body: 'x' },
      'body/jsonBody can only be used with the POST or PUT web metric methods',
    ],
    ['body and jsonBody', { method: 'POST', body: 'x', jsonBody: { a: 1 } }, 'use either body or jsonBody'],
    ['DELETE', { method: 'DELETE' }, 'web metric method must be GET, POST, PUT, got "DELETE"'],
    ['a file URL', { url: 'file:///etc/passwd' }, 'web metric url must be http or https, got file:'],
    ['a gopher URL', { url: 'gopher://x' }, 'web metric url must be http or https, got gopher:'],
    ['a malformed URL', { url: 'not a url' }, 'web metric url is not a valid URL'],
    ['a bad jsonPath', { jsonPath: '{..x}' }, 'unsupported jsonPath syntax'],
  ])('rejects %s without a request', async (_name, fields, error) => {
    const out = await provider.measure(metric(fields), context());
    expect(out.ok ? '' : out.error).toContain(error);
    expect(stub.seen).toHaveLength(0);
  });

  it('treats non-2xx as an error and keeps secrets out of it', async () => {
    stub.handle(text('nope', 503));
    const out = await provider.measure(
      metric({
        url: `${stub.base}/m?key={{args.token}}`,
        headers: [{ key: 'X-Key', value: 'hdr-value-123' }],
      }),
      context(),
    );
    expect(out).toEqual({
      ok: false,
      error: `received non 2xx response code: 503 from ${stub.base}/m?key=*****`,
    });
  });

  it('reports a missing jsonPath field and an empty selection', async () => {
    stub.handle(json({ data: {}, list: [] }));
    expect(await provider.measure(metric({ jsonPath: '{$.data.ok}' }), context())).toEqual({
      ok: false,
      error: 'could not find JSONPath in body: ok is not found',
    });
    expect(await provider.measure(metric({ jsonPath: '{.list[*]}' }), context())).toEqual({
      ok: false,
      error: 'result of web metric produced no value',
    });
  });

  it('caps the response at 1 MiB', async () => {
    expect(MAX_WEB_RESPONSE_BYTES).toBe(1_048_576);
    stub.handle((_seen, res) => {
      res.writeHead(200);
      res.write('x'.repeat(600_000));
      res.end('y'.repeat(600_000));
    });
    const out = await provider.measure(metric({}), context());
    expect(out).toEqual({ ok: false, error: `response from ${stub.base}/check exceeds 1048576 bytes` });
    stub.handle(text('z'.repeat(2000)));
    const announced = await createWebProvider({ maxResponseBytes: 1000 }).measure(metric({}), context());
    expect(announced.ok).toBe(false);
  });

  it('turns URL credentials into basic auth and never shows them', async () => {
    stub.handle(text('', 500));
    const url = new URL(stub.base);
    const out = await provider.measure(metric({ url: `http://user:pa55word@${url.host}/x` }), context());
    expect(stub.seen[0]?.headers.authorization).toBe(`Basic ${btoa('user:pa55word')}`);
    expect(JSON.stringify(out)).not.toContain('pa55word');
  });

  it('reports a connection failure with the target', async () => {
    const closed = await startStub();
    const base = closed.base;
    await closed.close();
    const out = await provider.measure(metric({ url: `${base}/x` }), context());
    expect(out.ok ? '' : out.error).toContain(`web metric request to ${base}/x failed`);
  });

  it('times out after timeoutSeconds', async () => {
    stub.handle((_seen, res) => stub.hold(res));
    const out = await provider.measure(metric({ timeoutSeconds: 1 }), context());
    expect(out).toEqual({ ok: false, error: `web metric request to ${stub.base}/check timed out after 1 s` });
  });

  it('stops when the caller aborts', async () => {
    const out = await abortOnceSeen(stub, (signal) => provider.measure(metric({}), context({ signal })));
    expect(out).toEqual({
      ok: false,
      error: `web metric request to ${stub.base}/check was aborted`,
    });
  });
});
