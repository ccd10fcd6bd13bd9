import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_MARGIN_MS, TokenCache } from '../../../../src/analysis/providers/oauth2.js';
import { createPrometheusProvider } from '../../../../src/analysis/providers/prometheus.js';
import type { MeasureContext } from '../../../../src/analysis/providers/provider.js';
import { createWebProvider } from '../../../../src/analysis/providers/web.js';
import type { Metric, PrometheusMetric, WebMetric } from '../../../../src/api/index.js';
import { selfSignedCertificate } from '../../../support/tls.js';
import { measureContext, useStub } from './provider-setup.js';
import { json, type Seen, type Stub, startStub } from './stub-server.js';

const api = useStub();
const issuer = useStub();
const T0 = new Date('2026-01-01T00:00:00Z');
const context = (now = T0, extra: Partial<MeasureContext> = {}) => measureContext(now, extra);
const SECRET = 'cl!ent s3cret+/=';
const oauth2 = (scopes?: string[]) => ({
  tokenUrl: `${issuer.base}/token`,
  clientId: 'vireo',
  clientSecret: SECRET,
  ...(scopes ? { scopes } : {}),
});
const webMetric = (web: Partial<WebMetric>): Metric => ({
  name: 'w',
  provider: { web: { url: `${api.base}/check`, jsonPath: '{$.v}', ...web } },
});
const promMetric = (prom: Partial<PrometheusMetric>): Metric => ({
  name: 'p',
  provider: { prometheus: { address: api.base, query: 'up', ...prom } },
});
const promVector = json({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] },
});

/** A token endpoint issuing `access-N` (N counting requests) valid for `expiresIn` seconds (0: no expiry). */
function issue(expiresIn = 3600) {
  let n = 0;
  return (_seen: Seen, res: ServerResponse) => {
    n += 1;
    json({
      access_token: `access-${n}`,
      token_type: 'bearer',
      ...(expiresIn ? { expires_in: expiresIn } : {}),
    })(_seen, res);
  };
}

/** An API that answers only `Bearer access-N` for the given N. */
function acceptOnly(token: string) {
  return (seen: Seen, res: ServerResponse) =>
    seen.headers.authorization === `Bearer ${token}`
      ? json({ v: 1 })(seen, res)
      : json({ error: 'unauthorized' }, 401)(seen, res);
}

describe('OAuth2 client credentials (web and Prometheus)', () => {
  it('fetches one token with the client credentials and scopes, and reuses it until it expires', async () => {
    issuer.handle(issue(3600));
    api.handle(acceptOnly('access-1'));
    const web = createWebProvider();
    const metric = webMetric({ authentication: { oauth2: oauth2(['read:metrics', 'openid']) } });
    for (let i = 0; i < 3; i++)
      expect(await web.measure(metric, context())).toMatchObject({ ok: true, value: 1 });
    expect(issuer.seen).toHaveLength(1);
    const request = issuer.seen[0];
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'read:metrics openid',
    });
    expect(request?.headers.authorization).toBe(`Basic ${btoa('vireo:cl%21ent+s3cret%2B%2F%3D')}`);

    api.handle(acceptOnly('access-2'));
    const later = new Date(T0.getTime() + 3600_000 - EXPIRY_MARGIN_MS + 1);
    expect(await web.measure(metric, context(later))).toMatchObject({ ok: true, value: 1 });
    expect(issuer.seen).toHaveLength(2);
  });

  it('shares one request among concurrent measurements; a token without expires_in is kept', async () => {
    issuer.handle(issue(0));
    api.handle(acceptOnly('access-1'));
    const web = createWebProvider();
    const metric = webMetric({ authentication: { oauth2: oauth2() } });
    const all = await Promise.all([1, 2, 3].map(() => web.measure(metric, context())));
    expect(all).toEqual(Array(3).fill({ ok: true, value: 1, raw: '1' }));
    const nextYear = new Date(T0.getTime() + 365 * 86_400_000);
    expect(await web.measure(metric, context(nextYear))).toEqual({ ok: true, value: 1, raw: '1' });
    expect(issuer.seen).toHaveLength(1);
  });

  it('drops a token the API refuses (401), so the next measurement gets a new one', async () => {
    issuer.handle(issue(3600));
    api.handle(acceptOnly('access-2'));
    const web = createWebProvider();
    const metric = webMetric({ authentication: { oauth2: oauth2() } });
    expect(await web.measure(metric, context())).toMatchObject({ ok: false });
    expect(await web.measure(metric, context())).toMatchObject({ ok: true, value: 1 });
    expect(issuer.seen).toHaveLength(2);
  });

  it('sends id and secret in the form when the endpoint refuses HTTP Basic, and remembers that', async () => {
    issuer.handle((seen, res) =>
      seen.headers.authorization
        ? json({ error: 'invalid_client' }, 401)(seen, res)
        : json({ access_token: 'access-1', expires_in: 3600 })(seen, res),
    );
    api.handle(acceptOnly('access-1'));
    const tokens = new TokenCache();
    const web = createWebProvider({ tokens });
    expect(await web.measure(webMetric({ authentication: { oauth2: oauth2() } }), context())).toMatchObject({
      ok: true,
    });
    expect(Object.fromEntries(new URLSearchParams(issuer.seen[1]?.body))).toMatchObject({
      client_id: 'vireo',
      client_secret: SECRET,
    });
    const other = { ...oauth2(), clientId: 'second' };
    await web.measure(webMetric({ authentication: { oauth2: other } }), context());
    expect(issuer.seen).toHaveLength(3);
    expect(issuer.seen[2]?.headers.authorization).toBeUndefined();
  });

  it('reports a refused token request without the client secret, even when the endpoint echoes it', async () => {
    issuer.handle(json({ error: 'invalid_client', error_description: `bad secret ${SECRET}` }, 401));
    const out = await createWebProvider().measure(
      webMetric({ authentication: { oauth2: oauth2() } }),
      context(),
    );
    expect(out.ok ? '' : out.error).toMatch(
      /^oauth2: cannot fetch token: 401 \(invalid_client: bad secret \*+\)$/,
    );
    expect(JSON.stringify(out)).not.toContain('s3cret');
    expect(api.seen).toHaveLength(0);
  });

  it.each<[string, object, string]>([
    [
      'no client secret',
      { tokenUrl: 'http://127.0.0.1:1/t', clientId: 'x' },
      'missing mandatory parameter in metric for OAuth2 setup',
    ],
    ['no token URL', { clientId: 'x', clientSecret: 'y' }, 'authentication.oauth2.tokenUrl is required'],
  ])('refuses OAuth2 with %s, before any request', async (_name, settings, error) => {
    for (const provider of [createWebProvider(), createPrometheusProvider()]) {
      const metric =
        provider.type === 'web'
          ? webMetric({ authentication: { oauth2: settings } })
          : promMetric({ authentication: { oauth2: settings } });
      const out = await provider.measure(metric, context());
      expect(out.ok ? '' : out.error).toContain(error);
    }
    expect(api.seen).toHaveLength(0);
  });

  it('Prometheus: sends the token; its own headers win over it, as in Argo', async () => {
    issuer.handle(issue(3600));
    api.handle(promVector);
    const prom = createPrometheusProvider();
    const auth = { oauth2: oauth2(['metrics']), basicAuth: { username: 'u', password: 'p' } };
    expect(await prom.measure(promMetric({ authentication: auth }), context())).toMatchObject({ ok: true });
    expect(api.seen[0]?.headers.authorization).toBe('Bearer access-1');
    const headers = [{ key: 'Authorization', value: 'Bearer mine' }];
    await prom.measure(promMetric({ authentication: auth, headers }), context());
    expect(api.seen[1]?.headers.authorization).toBe('Bearer mine');
    expect(issuer.seen).toHaveLength(1);
  });

  it('web: the token wins over an Authorization header, as in Argo', async () => {
    issuer.handle(issue(3600));
    api.handle(acceptOnly('access-1'));
    const headers = [{ key: 'Authorization', value: 'Bearer mine' }];
    const out = await createWebProvider().measure(
      webMetric({ authentication: { oauth2: oauth2() }, headers }),
      context(),
    );
    expect(out).toMatchObject({ ok: true });
  });
});

describe('authentication modes Vireo does not implement are errors, never ignored', () => {
  it.each<[string, () => Metric, string]>([
    [
      'Prometheus sigv4',
      () => promMetric({ authentication: { sigv4: { region: 'eu-west-1' } } }),
      'prometheus authentication.sigv4 is not supported by Vireo (supported: oauth2, basicAuth, headers)',
    ],
    [
      'web sigv4',
      () => webMetric({ authentication: { sigv4: { roleArn: 'arn:x' } } }),
      'web authentication.sigv4 is not supported by Vireo (supported: oauth2, headers)',
    ],
    [
      'web basicAuth',
      () => webMetric({ authentication: { basicAuth: { username: 'u', password: 'p' } } }),
      'web authentication.basicAuth is not supported by Vireo (supported: oauth2, headers)',
    ],
  ])('%s', async (_name, build, error) => {
    const metric = build();
    const provider = metric.provider.web ? createWebProvider() : createPrometheusProvider();
    expect(await provider.measure(metric, context())).toMatchObject({ ok: false, error });
    expect(api.seen).toHaveLength(0);
  });
});

describe('insecure: true skips TLS verification for that metric only', () => {
  let tls: Stub;
  beforeAll(async () => {
    tls = await startStub(selfSignedCertificate());
  });
  afterAll(() => tls.close());

  it('web: refused without insecure, measured with it; redirects stay on the insecure client', async () => {
    tls.handle((seen, res) => {
      if (seen.url.pathname === '/old') {
        res.writeHead(302, { Location: '/check' });
        res.end();
        return;
      }
      json({ v: 7 })(seen, res);
    });
    const web = createWebProvider();
    const secure = await web.measure(webMetric({ url: `${tls.base}/check` }), context());
    expect(secure.ok ? '' : secure.error).toMatch(/certificate/i);
    const metric = webMetric({ url: `${tls.base}/old`, insecure: true });
    expect(await web.measure(metric, context())).toEqual({ ok: true, value: 7, raw: '7' });
    expect(tls.seen.map((s) => s.url.pathname)).toEqual(['/old', '/check']);
    const again = await web.measure(webMetric({ url: `${tls.base}/check` }), context());
    expect(again.ok).toBe(false);
  });

  it('Prometheus: refused without insecure, measured with it (token endpoint on TLS too)', async () => {
    tls.handle((seen, res) =>
      seen.url.pathname === '/token'
        ? json({ access_token: 'tls-token', expires_in: 60 })(seen, res)
        : promVector(seen, res),
    );
    const prom = createPrometheusProvider();
    const secure = await prom.measure(promMetric({ address: tls.base }), context());
    expect(secure.ok ? '' : secure.error).toMatch(/certificate/i);
    const auth = { oauth2: { ...oauth2(), tokenUrl: `${tls.base}/token` } };
    const out = await prom.measure(
      promMetric({ address: tls.base, insecure: true, authentication: auth }),
      context(),
    );
    expect(out).toMatchObject({ ok: true, value: [1] });
    expect(tls.seen.at(-1)?.headers.authorization).toBe('Bearer tls-token');
  });
});
