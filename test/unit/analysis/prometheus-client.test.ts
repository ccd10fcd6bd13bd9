import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_GET_PARAMS_BYTES,
  MAX_RESPONSE_BYTES,
  PromError,
  type PromErrorKind,
  promQuery,
  promRangeQuery,
} from '../../../src/analysis/providers/prometheus-client.js';

interface Seen {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler = (_seen, res) => res.end();
const seen: Seen[] = [];
const held: ServerResponse[] = [];

const json = (body: unknown, status = 200): Handler => {
  return (_seen, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
};
const success = (data: unknown, extra: Record<string, unknown> = {}): Handler =>
  json({ status: 'success', data, ...extra });
const vector = (...values: string[]): Handler =>
  success({
    resultType: 'vector',
    result: values.map((v, i) => ({ metric: { pod: `p${i}` }, value: [1_700_000_000.5, v] })),
  });

async function rejection(promise: Promise<unknown>): Promise<PromError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PromError);
  return error as PromError;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { method: req.method ?? '', path: url.pathname, headers: req.headers, body };
      const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      const s = { ...entry, params };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const res of held.splice(0)) res.destroy();
  seen.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

describe('promQuery result mapping', () => {
  it('maps a scalar to a number and sends a GET to /api/v1/query', async () => {
    handler = success({ resultType: 'scalar', result: [1_700_000_000, '0.25'] });
    const out = await promQuery(base, 'sum(up)');
    expect(out).toMatchObject({ resultType: 'scalar', value: 0.25, warnings: [] });
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/v1/query' });
    expect(seen[0]?.params.get('query')).toBe('sum(up)');
    expect(seen[0]?.params.has('time')).toBe(false);
  });

  it('maps a vector to one number per series, keeping labels in series', async () => {
    handler = vector('0.99', '0.5');
    const out = await promQuery(base, 'up');
    expect(out.value).toEqual([0.99, 0.5]);
    expect(out.resultType === 'vector' && out.series.map((s) => s.metric.pod)).toEqual(['p0', 'p1']);
  });

  it('maps an empty vector to []', async () => {
    handler = vector();
    expect((await promQuery(base, 'absent_metric')).value).toEqual([]);
  });

  it.each([
    ['NaN', Number.NaN],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
    ['1e-7', 1e-7],
    ['-0.5', -0.5],
  ])('parses the sample value %s exactly', async (text, expected) => {
    handler = vector(text);
    expect((await promQuery(base, 'q')).value).toEqual([expected]);
  });

  it('maps a string result to a string', async () => {
    handler = success({ resultType: 'string', result: [1_700_000_000, 'hello'] });
    expect((await promQuery(base, '"hello"')).value).toBe('hello');
  });

  it('returns warnings and sends the time parameter', async () => {
    handler = success({ resultType: 'scalar', result: [1, '1'] }, { warnings: ['partial data'] });
    const out = await promQuery(base, 'q', { time: new Date(Date.UTC(2024, 0, 1)) });
    expect(out.warnings).toEqual(['partial data']);
    expect(seen[0]?.params.get('time')).toBe('1704067200');
  });
});

describe('promRangeQuery', () => {
  it('sends start/end/step and flattens the matrix in series order', async () => {
    handler = success({
      resultType: 'matrix',
      result: [
        {
          metric: { a: '1' },
          values: [
            [1, '0.1'],
            [2, 'NaN'],
          ],
        },
        { metric: { a: '2' }, values: [[1, '+Inf']] },
      ],
    });
    const out = await promRangeQuery(base, 'rate(x[1m])', { start: 100, end: 200, step: '30s' });
    expect(out.value).toEqual([0.1, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(out.resultType === 'matrix' && out.series[0]?.timestamps).toEqual([1, 2]);
    expect(seen[0]?.path).toBe('/api/v1/query_range');
    expect(Object.fromEntries(seen[0]?.params ?? [])).toEqual({
      query: 'rate(x[1m])',
      start: '100',
      end: '200',
      step: '30s',
    });
  });
});

describe('requests', () => {
  it('POSTs a form when the encoded query is longer than 2 KiB', async () => {
    handler = vector('1');
    const query = `sum(rate(http_requests_total{job="${'x'.repeat(MAX_GET_PARAMS_BYTES)}"}[1m]))`;
    await promQuery(base, query);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]?.params.get('query')).toBe(query);
  });

  it('sends custom headers and keeps a path prefix of the address', async () => {
    handler = vector('1');
    await promQuery(`${base}/prom/`, 'up', {
      headers: { Authorization: 'Bearer t0ken-123', 'X-Scope-OrgID': 'team-a' },
    });
    expect(seen[0]?.path).toBe('/prom/api/v1/query');
    expect(seen[0]?.headers.authorization).toBe('Bearer t0ken-123');
    expect(seen[0]?.headers['x-scope-orgid']).toBe('team-a');
  });

  it('turns URL credentials into basic auth and never shows them', async () => {
    handler = json({ nope: true }, 500);
    const address = base.replace('http://', 'http://admin:s3cret-pw@');
    const error = await rejection(promQuery(address, 'up'));
    expect(seen[0]?.headers.authorization).toBe(`Basic ${btoa('admin:s3cret-pw')}`);
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.message).not.toContain('admin');
  });
});

describe('errors', () => {
  const cases: [string, Handler, PromErrorKind, number | undefined, RegExp][] = [
    [
      'Prometheus error JSON',
      json({ status: 'error', errorType: 'bad_data', error: 'parse error at char 4' }, 400),
      'prometheus',
      400,
      /bad_data error \(HTTP 400\): parse error at char 4/,
    ],
    [
      'HTTP 500 with a text body',
      (_s, res) => res.writeHead(500).end('upstream broke'),
      'http',
      500,
      /HTTP 500: upstream broke/,
    ],
    [
      'a garbage body',
      (_s, res) => res.writeHead(200).end('<html>hi</html>'),
      'bad_response',
      200,
      /not a Prometheus API/,
    ],
    [
      'an unknown resultType',
      success({ resultType: 'table', result: [] }),
      'bad_response',
      200,
      /unsupported resultType/,
    ],
    ['an invalid sample value', vector('abc'), 'bad_response', 200, /invalid sample value "abc"/],
    [
      'a missing sample value',
      success({ resultType: 'vector', result: [{ metric: {} }] }),
      'bad_response',
      200,
      /pair/,
    ],
  ];

  it.each(cases)('classifies %s', async (_name, h, kind, status, message) => {
    handler = h;
    const error = await rejection(promQuery(base, 'up'));
    expect(error).toMatchObject({ kind, status });
    expect(error.message).toMatch(message);
  });

  it('never puts header values into messages, even when the server echoes them', async () => {
    handler = (s, res) => res.writeHead(500).end(`denied for ${s.headers.authorization ?? ''}`);
    const error = await rejection(
      promQuery(base, 'up', { headers: { Authorization: 'Bearer sup3r-secret' } }),
    );
    expect(error.kind).toBe('http');
    expect(error.message).not.toContain('sup3r-secret');
    expect(error.message).toContain('*****');
  });

  it('times out on a server that never answers', async () => {
    handler = (_s, res) => {
      held.push(res);
    };
    const error = await rejection(promQuery(base, 'up', { timeoutMs: 50 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/timed out after 50 ms/);
  });

  it('reports a caller abort as aborted', async () => {
    handler = (_s, res) => {
      held.push(res);
    };
    const controller = new AbortController();
    const pending = promQuery(base, 'up', { signal: controller.signal });
    controller.abort();
    expect((await rejection(pending)).kind).toBe('aborted');
  });

  it('rejects bodies larger than the cap', async () => {
    handler = (_s, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`{"status":"success","data":"${'x'.repeat(MAX_RESPONSE_BYTES)}"}`);
    };
    const error = await rejection(promQuery(base, 'up'));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/exceeds/);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(
      promQuery(`http://127.0.0.1:${port}`, 'up', { headers: { 'X-Token': 'abcd1234' } }),
    );
    expect(error.kind).toBe('network');
    expect(error.status).toBeUndefined();
    expect(error.message).not.toContain('abcd1234');
  });

  it.each(['not a url', 'ftp://prometheus:21'])('rejects the address %s as config', async (address) => {
    expect((await rejection(promQuery(address, 'up'))).kind).toBe('config');
  });

  it('rejects an invalid header value without echoing it', async () => {
    const error = await rejection(
      promQuery(base, 'up', { headers: { Authorization: 'Bearer a\nb-secret' } }),
    );
    expect(error.kind).toBe('config');
    expect(error.message).not.toContain('b-secret');
  });
});
