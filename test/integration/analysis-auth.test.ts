import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { selfSignedCertificate } from '../support/tls.js';
import {
  type CrashableEngine,
  completedRun,
  createArgoObject,
  startCrashableEngine,
} from './support/faults.js';

const CLIENT_SECRET = 'cl!ent/s3cret+=';

/** A loopback server (https with `tls`) answering with `handler`, recording what it was sent. */
async function listen(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
  tls?: { key: string; cert: string },
): Promise<{ url: string; seen: { path: string; auth: string; body: string }[]; close(): Promise<void> }> {
  const seen: { path: string; auth: string; body: string }[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization ?? '', body });
      handler(req, body, res);
    });
  };
  const server: Server = tls ? createTlsServer(tls, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers both providers: a Prometheus vector `[0.01]` on /api/v1/query, `{"value": 1}` elsewhere. */
function metricsAnswer(req: IncomingMessage, res: ServerResponse): void {
  if ((req.url ?? '').startsWith('/api/v1/query')) {
    json(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [0, '0.01'] }] },
    });
  } else {
    json(res, 200, { value: 1 });
  }
}

const run = (name: string, metric: object) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: { name },
  spec: {
    args: [{ name: 'secret', valueFrom: { secretKeyRef: { name: 'oauth', key: 'clientSecret' } } }],
    metrics: [{ name: 'm', successCondition: 'result == 1 || result[0] < 0.05', ...metric }],
  },
});

/**
 * The controller (deploy/ ServiceAccount) measures through Argo's authentication modes against loopback
 * servers: an OAuth2 token endpoint (client credentials), an API that accepts only its token, and a TLS
 * server whose certificate is self-signed.
 */
describe('analysis authentication: OAuth2 client credentials and insecure TLS, through the controller', () => {
  let env: CrashableEngine;
  let issuer: Awaited<ReturnType<typeof listen>>;
  let api: Awaited<ReturnType<typeof listen>>;
  let tls: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    let issued = 0;
    issuer = await listen((_req, body, res) => {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials')
        return json(res, 400, { error: 'unsupported_grant_type' });
      issued += 1;
      json(res, 200, { access_token: `access-${issued}`, token_type: 'bearer', expires_in: 3600 });
    });
    api = await listen((req, _body, res) =>
      req.headers.authorization === 'Bearer access-1'
        ? metricsAnswer(req, res)
        : json(res, 401, { error: 'no' }),
    );
    tls = await listen((req, _body, res) => metricsAnswer(req, res), selfSignedCertificate());
    env = await startCrashableEngine('analysis-auth');
    await env.kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: env.namespace,
      body: { metadata: { name: 'oauth' }, stringData: { clientSecret: CLIENT_SECRET } },
    });
  });
  afterAll(async () => {
    await env?.stop();
    for (const server of [issuer, api, tls]) await server?.close();
  });

  const create = async (name: string, metric: object) =>
    expect(await createArgoObject(env.kc, env.namespace, 'analysisruns', run(name, metric))).toEqual({
      ok: true,
    });

  it('web and Prometheus metrics get one token for all their measurements, with the scopes', async () => {
    const oauth2 = {
      tokenUrl: `${issuer.url}/oauth/token`,
      clientId: 'vireo',
      clientSecret: '{{args.secret}}',
      scopes: ['metrics:read', 'openid'],
    };
    const every = { interval: '1s', count: 3 };
    await create('web-oauth2', {
      ...every,
      provider: { web: { url: `${api.url}/m`, jsonPath: '{$.value}', authentication: { oauth2 } } },
    });
    await create('prom-oauth2', {
      ...every,
      provider: { prometheus: { address: api.url, query: 'up', authentication: { oauth2 } } },
    });
    expect((await completedRun(env.kc, env.namespace, 'web-oauth2')).phase).toBe('Successful');
    expect((await completedRun(env.kc, env.namespace, 'prom-oauth2')).phase).toBe('Successful');

    expect(issuer.seen).toHaveLength(1);
    const form = Object.fromEntries(new URLSearchParams(issuer.seen[0]?.body));
    expect(form).toEqual({ grant_type: 'client_credentials', scope: 'metrics:read openid' });
    expect(issuer.seen[0]?.auth).toBe(`Basic ${btoa('vireo:cl%21ent%2Fs3cret%2B%3D')}`);
    expect(api.seen.filter((s) => s.auth === 'Bearer access-1')).toHaveLength(6);
  });

  it('insecure: true measures a self-signed TLS server, with a Warning Event naming the metric', async () => {
    const web = { web: { url: `${tls.url}/m`, jsonPath: '{$.value}', insecure: true } };
    const prom = { prometheus: { address: tls.url, query: 'up', insecure: true } };
    await create('web-insecure', { provider: web });
    await create('prom-insecure', { provider: prom });
    await create('web-verified', { consecutiveErrorLimit: 0, provider: { web: { url: `${tls.url}/m` } } });
    expect((await completedRun(env.kc, env.namespace, 'web-insecure')).phase).toBe('Successful');
    expect((await completedRun(env.kc, env.namespace, 'prom-insecure')).phase).toBe('Successful');
    const verified = await completedRun(env.kc, env.namespace, 'web-verified');
    expect(verified.phase).toBe('Error');
    expect(JSON.stringify(verified)).toMatch(/certificate/i);

    const core = env.kc.makeApiClient(CoreV1Api);
    const warnings = await pollUntil(
      async () => {
        const list = await core.listNamespacedEvent({ namespace: env.namespace });
        const found = list.items.filter((e) => e.reason === 'InsecureMetric');
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 30_000, description: 'the InsecureMetric Warnings' },
    );
    expect(warnings.map((e) => [e.type, e.involvedObject.kind, e.involvedObject.name]).sort()).toEqual([
      ['Warning', 'AnalysisRun', 'prom-insecure'],
      ['Warning', 'AnalysisRun', 'web-insecure'],
    ]);
    expect(warnings.map((e) => e.message).sort()).toEqual([
      expect.stringContaining(
        'Metric "m" does not verify TLS certificates (provider.prometheus.insecure: true)',
      ),
      expect.stringContaining('Metric "m" does not verify TLS certificates (provider.web.insecure: true)'),
    ]);
  });

  it('sigv4 is an Error naming it as unsupported, never ignored', async () => {
    const sigv4 = { region: 'eu-west-1' };
    await create('prom-sigv4', {
      consecutiveErrorLimit: 0,
      provider: { prometheus: { address: api.url, query: 'up', authentication: { sigv4 } } },
    });
    const out = await completedRun(env.kc, env.namespace, 'prom-sigv4');
    expect(out.phase).toBe('Error');
    expect(out.message).toContain('provider.prometheus.authentication.sigv4 is not supported by Vireo');
  });

  it('shows neither the client secret nor a token in AnalysisRuns, Events or the controller log', async () => {
    const custom = env.kc.makeApiClient(CustomObjectsApi);
    const ref = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: env.namespace,
      plural: 'analysisruns',
    };
    const texts = [
      JSON.stringify(await custom.listNamespacedCustomObject(ref)),
      JSON.stringify(await env.kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: env.namespace })),
      readFileSync(join(env.dir, 'controller.log'), 'utf8'),
    ];
    for (const text of texts) {
      for (const secret of [CLIENT_SECRET, JSON.stringify(CLIENT_SECRET).slice(1, -1), 'access-1']) {
        expect(text).not.toContain(secret);
      }
    }
  });
});
