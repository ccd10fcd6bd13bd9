import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';
import { createServices, type TrafficEnv, trafficEnvOf } from './support/traffic.js';

const CANARY_INGRESS = 'shop-web-canary';
const PREFIX = 'nginx.ingress.kubernetes.io';

type Ingress = KubeObject & {
  spec?: { rules?: { http?: { paths: { backend: { service?: { name: string } } }[] } }[] };
};

function stableIngress(): KubeObject {
  const backend = { service: { name: 'shop-stable', port: { number: 80 } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', annotations: { team: 'shop' } },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
    },
  } as KubeObject;
}

describe('NGINX canary Ingress lifecycle, through the controller', () => {
  let env: EngineEnv;
  let t: TrafficEnv;
  const canaryIngress = () => t.client.get<Ingress>(Resources.ingresses, t.namespace, CANARY_INGRESS);
  const weightIs = (weight: string) =>
    pollUntil(
      async () => (await canaryIngress()).metadata?.annotations?.[`${PREFIX}/canary-weight`] === weight,
      {
        timeoutMs: 10_000,
        intervalMs: 100,
        description: `canary-weight ${weight}`,
      },
    );

  beforeAll(async () => {
    env = await startEngine('nginx-life');
    t = trafficEnvOf(env);
    await createServices(t.client, t.namespace, 'shop', ['shop-stable', 'shop-canary']);
    await t.client.create(Resources.ingresses, t.namespace, stableIngress());
    const canary = {
      canaryService: 'shop-canary',
      stableService: 'shop-stable',
      trafficRouting: { nginx: { stableIngress: 'web' } },
    };
    const steps = [{ setWeight: 30 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];
    await env.api.create(canaryRollout('shop', 'registry.example/shop:1', { replicas: 2, steps, canary }));
    await env.api.waitFor('shop', 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('creates the owned canary Ingress pointing at the canary Service, at weight 0', async () => {
    await weightIs('0');
    const ingress = await canaryIngress();
    expect(ingress.metadata?.annotations?.[`${PREFIX}/canary`]).toBe('true');
    expect(ingress.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Rollout',
      name: 'shop',
      controller: true,
    });
    expect(ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.name).toBe('shop-canary');
  });

  it('follows the steps (30, 60) and goes back to 0 after full promotion', async () => {
    await env.api.patchSpec('shop', imagePatch('registry.example/shop:2'));
    await env.api.waitFor('shop', 'paused at 30%', (r) => r.status?.phase === 'Paused');
    await weightIs('30');
    await env.api.patchStatus('shop', { pauseConditions: null });
    await env.api.waitFor('shop', 'paused at 60%', (r) => r.status?.currentStepIndex === 3);
    await weightIs('60');
    await env.api.patchStatus('shop', { pauseConditions: null });
    await env.api.waitFor('shop', 'v2 Healthy', (r) => r.status?.phase === 'Healthy');
    await weightIs('0');
    const stable = await t.client.get<Ingress>(Resources.ingresses, t.namespace, 'web');
    expect(stable.metadata?.annotations).toEqual({ team: 'shop' });
  });

  it('deletes the canary Ingress when trafficRouting is removed', async () => {
    await env.api.patchSpec('shop', { strategy: { canary: { trafficRouting: null } } });
    await pollUntil(async () => (await t.client.list(Resources.ingresses, t.namespace)).items.length === 1, {
      timeoutMs: 10_000,
      intervalMs: 100,
      description: 'the canary Ingress deleted',
    });
    expect((await t.client.list(Resources.ingresses, t.namespace)).items[0]?.metadata?.name).toBe('web');
  });
});
