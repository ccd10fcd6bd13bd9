import type { Server } from 'node:http';
import { CoreV1Api, CustomObjectsApi, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { createTemplate } from './support/analysis.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { errorRateMetric, scrapeExporter, startExporter } from './support/exporter.js';
import { available, type EngineEnv, hashOf, type RolloutObject, startEngine } from './support/rollouts.js';

interface Destination {
  destination: { host: string };
  weight?: number;
}
interface VirtualService {
  spec: { hosts: string[]; http: { name?: string; route: Destination[]; timeout?: string }[] };
}

const istio = (namespace: string, plural: string) => ({
  group: 'networking.istio.io',
  version: 'v1beta1',
  namespace,
  plural,
});

describe('Istio canary with a Prometheus analysis step, end to end', () => {
  let env: EngineEnv;
  let exporter: Server;
  const weights = async (): Promise<Record<string, number>> => {
    const vs = (await env.kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      ...istio(env.namespace, 'virtualservices'),
      name: 'shop',
    })) as VirtualService;
    const primary = vs.spec.http.find((r) => r.name === 'primary');
    return Object.fromEntries((primary?.route ?? []).map((d) => [d.destination.host, d.weight ?? 0]));
  };

  /** Safety on every observation: weights sum to 100, and a Service with weight has available pods behind it. */
  const safe = async (r: RolloutObject, sets: V1ReplicaSet[]): Promise<void> => {
    const w = await weights();
    expect((w['shop-stable'] ?? 0) + (w['shop-canary'] ?? 0)).toBe(100);
    const canaryHash = r.status?.currentPodHash;
    const canaryPods = sets.filter((rs) => hashOf(rs) === canaryHash).reduce((n, rs) => n + available(rs), 0);
    if ((w['shop-canary'] ?? 0) > 0) expect(canaryPods).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    env = await startEngine('istio-analysis');
    const ns = env.namespace;
    exporter = await startExporter({ [`${ns}-good`]: 0.01, [`${ns}-bad`]: 0.08 });
    scrapeExporter(exporter, 'istio-analysis');
    const core = env.kc.makeApiClient(CoreV1Api);
    for (const name of ['shop-stable', 'shop-canary']) {
      await core.createNamespacedService({
        namespace: ns,
        body: { metadata: { name }, spec: { selector: { app: 'shop' }, ports: [{ port: 80 }] } },
      });
    }
    const custom = env.kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      ...istio(ns, 'virtualservices'),
      body: {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: 'shop' },
        spec: {
          hosts: ['shop'],
          http: [
            {
              name: 'admin',
              match: [{ uri: { prefix: '/admin' } }],
              route: [{ destination: { host: 'shop-stable' } }],
            },
            {
              name: 'primary',
              timeout: '5s',
              route: [
                { destination: { host: 'shop-stable' }, weight: 100 },
                { destination: { host: 'shop-canary' }, weight: 0 },
              ],
            },
          ],
        },
      },
    });
    await createTemplate(env, 'error-rate', { args: [{ name: 'app' }], metrics: [errorRateMetric()] });
  });
  afterAll(async () => {
    await new Promise((resolve) => exporter?.close(resolve));
    await env?.stop();
  });

  const rolloutWith = (app: string, image: string) =>
    canaryRollout('shop', image, {
      replicas: 4,
      steps: [
        { setWeight: 25 },
        { analysis: { templates: [{ templateName: 'error-rate' }], args: [{ name: 'app', value: app }] } },
        { setWeight: 100 },
      ],
      canary: {
        canaryService: 'shop-canary',
        stableService: 'shop-stable',
        trafficRouting: { istio: { virtualService: { name: 'shop', routes: ['primary'] } } },
      },
    });

  it('first deploy is Healthy with all traffic on stable', async () => {
    await env.api.create(rolloutWith(`${env.namespace}-good`, 'registry.example/shop:1.1.0'));
    await env.api.waitFor('shop', 'a Healthy first deploy', (r) => r.status?.phase === 'Healthy');
    expect(await weights()).toEqual({ 'shop-stable': 100, 'shop-canary': 0 });
  });

  it('a healthy analysis promotes 1.2.0 to 100%, weights summing to 100 at every observation', async () => {
    const before = (await env.api.get('shop')).status?.currentPodHash;
    await env.api.patchSpec('shop', imagePatch('registry.example/shop:1.2.0'));
    const seen = new Set<number>();
    await pollUntil(
      async () => {
        const [r, sets] = [await env.api.get('shop'), await env.api.replicaSets('shop')];
        await safe(r, sets);
        seen.add((await weights())['shop-canary'] ?? 0);
        const moved = r.status?.currentPodHash !== before;
        return moved && r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash;
      },
      { timeoutMs: 90_000, intervalMs: 150, description: 'promotion of 1.2.0' },
    );
    expect(seen.has(25)).toBe(true);
    expect(await weights()).toEqual({ 'shop-stable': 100, 'shop-canary': 0 });
  });

  it('a failing analysis aborts 1.3.0: traffic back to stable before the canary is scaled down', async () => {
    const stable = (await env.api.get('shop')).status?.stableRS;
    await env.api.patchSpec('shop', {
      ...imagePatch('registry.example/shop:1.3.0'),
      strategy: {
        canary: {
          abortScaleDownDelaySeconds: 2,
          steps: [
            { setWeight: 25 },
            {
              analysis: {
                templates: [{ templateName: 'error-rate' }],
                args: [{ name: 'app', value: `${env.namespace}-bad` }],
              },
            },
            { setWeight: 100 },
          ],
        },
      },
    });
    let canaryScaledDownWhileWeighted = false;
    const aborted = await pollUntil(
      async () => {
        const [r, sets] = [await env.api.get('shop'), await env.api.replicaSets('shop')];
        await safe(r, sets);
        const w = await weights();
        const canary = sets.find((rs) => hashOf(rs) === r.status?.currentPodHash);
        if ((w['shop-canary'] ?? 0) > 0 && canary && (canary.spec?.replicas ?? 0) === 0)
          canaryScaledDownWhileWeighted = true;
        return (
          r.status?.phase === 'Degraded' &&
          r.status.abort === true &&
          (canary?.spec?.replicas ?? 0) === 0 &&
          r
        );
      },
      { timeoutMs: 90_000, intervalMs: 150, description: 'the automatic abort of 1.3.0' },
    );
    expect(canaryScaledDownWhileWeighted).toBe(false);
    expect(aborted.status?.stableRS).toBe(stable);
    expect(await weights()).toEqual({ 'shop-stable': 100, 'shop-canary': 0 });
    const vs = (await env.kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      ...istio(env.namespace, 'virtualservices'),
      name: 'shop',
    })) as VirtualService;
    expect(vs.spec.http[0]?.name).toBe('admin');
    expect(vs.spec.http[1]?.timeout).toBe('5s');
  });
});
