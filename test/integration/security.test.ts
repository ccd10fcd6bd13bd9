import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHttp } from '../../harness/probes.js';
import { createTemplate } from './support/analysis.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import {
  type CrashableEngine,
  completedRun,
  createArgoObject,
  type MetricsStub,
  startCrashableEngine,
  startMetricsStub,
} from './support/faults.js';

/** A token with characters that JSON, percent-encoding and base64 each write differently. */
const TOKEN = `tok-${randomBytes(12).toString('hex')}+/="\\&% é<x`;
/** Every form the token may take in a message: raw, JSON-escaped (once, twice), percent-encoded, base64. */
const TOKEN_FORMS = [
  TOKEN,
  JSON.stringify(TOKEN).slice(1, -1),
  JSON.stringify(JSON.stringify(TOKEN)).slice(1, -1),
  encodeURIComponent(TOKEN),
  new URLSearchParams({ t: TOKEN }).toString().slice(2),
  Buffer.from(TOKEN).toString('base64'),
  Buffer.from(`svc:${TOKEN}`).toString('base64'),
];
const SECRET_ARG = { name: 'token', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } };
const BEARER = [{ key: 'Authorization', value: 'Bearer {{args.token}}' }];

/** `host:port` pairs of the sockets listening on TCP `port` (IPv4 and IPv6), from /proc/net/tcp*. */
function listeners(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A')
      .map((cols) => cols[1] ?? ''),
  );
}

const run = (name: string, metric: object) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: { name },
  spec: { args: [SECRET_ARG], metrics: [{ interval: '1s', count: 2, consecutiveErrorLimit: 0, ...metric }] },
});

/**
 * A Secret-backed token used in Prometheus and web provider headers and URLs — sent to a server that
 * answers, one that echoes it back in a 500, and one that is unreachable — never shows up in the
 * controller log (debug level), Events, Rollout or AnalysisRun objects, or /metrics.
 */
describe('security: secrets stay out of logs, events, status and metrics; endpoints bind where told', () => {
  let env: CrashableEngine;
  let ok: MetricsStub;
  let echo: MetricsStub;

  beforeAll(async () => {
    env = await startCrashableEngine('security');
    ok = await startMetricsStub('ok');
    echo = await startMetricsStub('echo-500');
    await env.kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: env.namespace,
      body: { metadata: { name: 'api-token' }, stringData: { token: TOKEN } },
    });
  });
  afterAll(async () => {
    await env?.stop();
    await ok?.close();
    await echo?.close();
  });

  it('uses the token where asked: headers, basic auth, a URL query and userinfo; the runs complete', async () => {
    const prom = { prometheus: { address: ok.url, query: 'up', headers: BEARER } };
    const leaky = { web: { url: `${echo.url}/check`, headers: BEARER, jsonPath: '{$.value}' } };
    const inUrl = { web: { url: 'http://svc:{{args.token}}@127.0.0.1:1/x', jsonPath: '{$.value}' } };
    // A Prometheus that echoes the request's headers (JSON-escaped token, base64 Basic credentials).
    const promEcho = { prometheus: { address: echo.url, query: 'up', headers: BEARER } };
    const basicAuth = { username: 'svc', password: '{{args.token}}' };
    const promBasic = { prometheus: { address: echo.url, query: 'up', authentication: { basicAuth } } };
    // The token in a query string: the URL in the error is percent-encoded.
    const inQuery = { web: { url: `${echo.url}/q?token={{args.token}}`, jsonPath: '{$.value}' } };
    for (const [name, provider] of [
      ['prom', prom],
      ['echoed', leaky],
      ['userinfo', inUrl],
      ['prom-echoed', promEcho],
      ['prom-basic', promBasic],
      ['query', inQuery],
    ] as const) {
      const body = run(name, { name: 'm', successCondition: 'result[0] < 1 || result == 1', provider });
      expect(await createArgoObject(env.kc, env.namespace, 'analysisruns', body)).toEqual({ ok: true });
    }
    expect((await completedRun(env.kc, env.namespace, 'prom')).phase).toBe('Successful');
    expect((await completedRun(env.kc, env.namespace, 'echoed')).phase).toBe('Error');
    expect((await completedRun(env.kc, env.namespace, 'userinfo')).phase).toBe('Error');
    for (const name of ['prom-echoed', 'prom-basic', 'query']) {
      expect((await completedRun(env.kc, env.namespace, name)).phase, name).toBe('Error');
    }
    expect(ok.seen().some((s) => s.startsWith(`Bearer ${TOKEN} /api/v1/query`))).toBe(true);
    expect(echo.seen().some((s) => s.startsWith(`Bearer ${TOKEN}`))).toBe(true);
    const basic = `Basic ${Buffer.from(`svc:${TOKEN}`).toString('base64')} /api/v1/query`;
    expect(echo.seen().some((s) => s.startsWith(basic))).toBe(true);
    expect(echo.seen().some((s) => s.includes(`/q?token=${encodeURIComponent(TOKEN).slice(0, 10)}`))).toBe(
      true,
    );
  });

  it('a Rollout whose step analysis errors on the echoing server aborts without the token in its status or Events', async () => {
    await createTemplate(env, 'secret-web', {
      args: [SECRET_ARG],
      metrics: [
        {
          name: 'web',
          interval: '1s',
          count: 5,
          consecutiveErrorLimit: 0,
          successCondition: 'result == 1',
          provider: { web: { url: `${echo.url}/rollout`, headers: BEARER, jsonPath: '{$.value}' } },
        },
      ],
    });
    const steps = [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'secret-web' }] } }];
    await env.api.create(canaryRollout('guarded', 'registry.local/guarded:1', { replicas: 1, steps }));
    await env.api.waitFor('guarded', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy');
    await env.api.patchSpec('guarded', imagePatch('registry.local/guarded:2'));
    await env.api.waitFor('guarded', 'the abort', (r) => r.status?.abort === true);
    expect(echo.seen().some((s) => s.includes('/rollout'))).toBe(true);
  });

  it('finds the token in no form (raw, JSON-escaped, percent-encoded, base64) in the log, Events, Rollouts, AnalysisRuns, /metrics', async () => {
    const custom = env.kc.makeApiClient(CustomObjectsApi);
    const list = (plural: string) =>
      custom.listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: env.namespace,
        plural,
      });
    const places: Record<string, string> = {
      log: readFileSync(join(env.dir, 'controller.log'), 'utf8'),
      events: JSON.stringify(
        await env.kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: env.namespace }),
      ),
      rollouts: JSON.stringify(await list('rollouts')),
      analysisRuns: JSON.stringify(await list('analysisruns')),
      metrics: (await getHttp(`http://127.0.0.1:${env.controller.metricsPort}/metrics`)).body,
    };
    expect(places.log?.length).toBeGreaterThan(1000);
    expect(places.analysisRuns).toContain('Error');
    expect(places.analysisRuns).toContain('*****');
    for (const [where, text] of Object.entries(places)) {
      for (const form of TOKEN_FORMS) expect(text.includes(form), `${where}: ${form}`).toBe(false);
    }
  });

  it('binds /healthz and /metrics only to the configured loopback address', () => {
    for (const port of [env.controller.healthPort, env.controller.metricsPort]) {
      expect(listeners(port)).toEqual([`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`]);
    }
  });
});
