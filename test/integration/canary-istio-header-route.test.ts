import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';
import {
  createServices,
  splitRoute,
  type TrafficEnv,
  trafficEnvOf,
  virtualService,
  vsWeights,
} from './support/traffic.js';

const BETA = { headerName: 'x-beta', headerValue: { exact: 'yes' } };

interface HttpRoute {
  name?: string;
  match?: { headers?: Record<string, Record<string, string>> }[];
  route?: { destination: { host: string }; weight?: number }[];
}

describe('setHeaderRoute step with managedRoutes (Istio), through the controller', () => {
  let env: EngineEnv;
  let t: TrafficEnv;
  const routes = async (): Promise<HttpRoute[]> =>
    (
      await t.client.get<KubeObject & { spec: { http: HttpRoute[] } }>(
        Resources.virtualServices,
        t.namespace,
        'hdr',
      )
    ).spec.http;
  const routeNames = async () => (await routes()).map((r) => r.name);

  beforeAll(async () => {
    env = await startEngine('header-route');
    t = trafficEnvOf(env);
    await createServices(t.client, t.namespace, 'hdr', ['hdr-stable', 'hdr-canary']);
    await t.client.create(
      Resources.virtualServices,
      t.namespace,
      virtualService('hdr', [splitRoute('primary', 'hdr-stable', 'hdr-canary')]),
    );
    const steps = [{ setWeight: 20 }, { setHeaderRoute: { name: 'beta', match: [BETA] } }, { pause: {} }];
    const canary = {
      canaryService: 'hdr-canary',
      stableService: 'hdr-stable',
      trafficRouting: {
        managedRoutes: [{ name: 'beta' }],
        istio: { virtualService: { name: 'hdr', routes: ['primary'] } },
      },
    };
    await env.api.create(canaryRollout('hdr', 'registry.example/hdr:1', { replicas: 2, steps, canary }));
    await env.api.waitFor('hdr', 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('adds the header route (all matching traffic to the canary) ahead of the weighted route', async () => {
    await env.api.patchSpec('hdr', imagePatch('registry.example/hdr:2'));
    await env.api.waitFor('hdr', 'paused after the header step', (r) => r.status?.phase === 'Paused');
    const http = await pollUntil(async () => ((await routeNames()).includes('beta') ? routes() : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      description: 'the beta header route',
    });
    expect(http.map((r) => r.name)).toEqual(['beta', 'primary']);
    const beta = http[0];
    expect(beta?.match).toEqual([{ headers: { 'x-beta': { exact: 'yes' } } }]);
    expect(beta?.route).toEqual([{ destination: { host: 'hdr-canary' }, weight: 100 }]);
    expect(await vsWeights(t, 'hdr', 'primary')).toEqual({ 'hdr-stable': 80, 'hdr-canary': 20 });
  });

  it('removes the managed route once fully promoted, leaving 100% on the new stable', async () => {
    await env.api.patchStatus('hdr', { pauseConditions: null });
    await env.api.waitFor('hdr', 'Healthy on v2', (r) => r.status?.phase === 'Healthy');
    await pollUntil(async () => JSON.stringify(await routeNames()) === '["primary"]', {
      timeoutMs: 10_000,
      intervalMs: 100,
      description: 'the beta route removed',
    });
    expect(await vsWeights(t, 'hdr', 'primary')).toEqual({ 'hdr-stable': 100, 'hdr-canary': 0 });
  });
});
