import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { available, type EngineEnv, hashOf, type RolloutObject, startEngine } from './support/rollouts.js';
import {
  createServices,
  selectedHash,
  splitRoute,
  type TrafficEnv,
  trafficEnvOf,
  virtualService,
  vsWeights,
} from './support/traffic.js';

const WEIGHTS = [20, 40, 60, 80];
const SNI = { port: 443, sniHosts: ['ws.example.com'] };

/** A VirtualService with one TLS route splitting 100/0 between the two Services. */
function tlsVirtualService(): KubeObject {
  const dest = (host: string, weight: number) => ({ destination: { host, port: { number: 443 } }, weight });
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'ws-tls' },
    spec: {
      hosts: ['ws.example.com'],
      tls: [{ match: [SNI], route: [dest('ws-stable', 100), dest('ws-canary', 0)] }],
    },
  } as KubeObject;
}

describe('full Istio canary 20→40→60→80→100 over two VirtualServices (HTTP and TLS), through the controller', () => {
  let env: EngineEnv;
  let t: TrafficEnv;

  const tlsWeights = async (): Promise<Record<string, number>> => {
    type Tls = { route: { destination: { host: string }; weight?: number }[] };
    const vs = await t.client.get<KubeObject & { spec: { tls: Tls[] } }>(
      Resources.virtualServices,
      t.namespace,
      'ws-tls',
    );
    return Object.fromEntries((vs.spec.tls[0]?.route ?? []).map((d) => [d.destination.host, d.weight ?? 0]));
  };

  /** Both VirtualServices carry `canary`% and sum to 100; the Services select their ReplicaSets. */
  const expectSplit = async (
    canary: number,
    stableHash: string,
    canaryHash: string,
    sets: V1ReplicaSet[],
  ) => {
    const want = { 'ws-stable': 100 - canary, 'ws-canary': canary };
    expect(await vsWeights(t, 'ws-http', 'primary')).toEqual(want);
    expect(await tlsWeights()).toEqual(want);
    expect(await selectedHash(t, 'ws-stable')).toBe(stableHash);
    expect(await selectedHash(t, 'ws-canary')).toBe(canaryHash);
    const canaryPods = sets.filter((rs) => hashOf(rs) === canaryHash).reduce((n, rs) => n + available(rs), 0);
    if (canary > 0) expect(canaryPods).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    env = await startEngine('istio-steps');
    t = trafficEnvOf(env);
    await createServices(t.client, t.namespace, 'ws', ['ws-stable', 'ws-canary']);
    const http = virtualService('ws-http', [splitRoute('primary', 'ws-stable', 'ws-canary')]);
    await t.client.create(Resources.virtualServices, t.namespace, http);
    await t.client.create(Resources.virtualServices, t.namespace, tlsVirtualService());
    const steps = WEIGHTS.flatMap((w) => [{ setWeight: w }, { pause: {} }]);
    const istio = {
      virtualServices: [
        { name: 'ws-http', routes: ['primary'] },
        { name: 'ws-tls', tlsRoutes: [SNI] },
      ],
    };
    const canary = { canaryService: 'ws-canary', stableService: 'ws-stable', trafficRouting: { istio } };
    await env.api.create(canaryRollout('ws', 'registry.example/ws:1', { replicas: 5, steps, canary }));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('walks every step with both routes at the step weight and the Services on their ReplicaSets', async () => {
    const v1 = await env.api.waitFor('ws', 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    const stable = v1.status?.stableRS ?? '';
    await expectSplit(0, stable, stable, await env.api.replicaSets('ws'));
    await env.api.patchSpec('ws', imagePatch('registry.example/ws:2'));
    let r: RolloutObject | undefined;
    for (const [i, weight] of WEIGHTS.entries()) {
      if (i > 0) await env.api.patchStatus('ws', { pauseConditions: null });
      r = await env.api.waitFor('ws', `paused at ${weight}%`, (x) => {
        return x.status?.phase === 'Paused' && x.status.currentStepIndex === 2 * i + 1;
      });
      await expectSplit(weight, stable, r.status?.currentPodHash ?? '', await env.api.replicaSets('ws'));
    }
    await env.api.patchStatus('ws', { pauseConditions: null });
    const done = await env.api.waitFor('ws', 'v2 Healthy', (x) => x.status?.phase === 'Healthy');
    const v2 = done.status?.stableRS ?? '';
    expect(v2).toBe(r?.status?.currentPodHash);
    // The pass that promotes records Healthy; the next one moves the stable Service and the weights over.
    await pollUntil(
      async () => {
        await expectSplit(0, v2, v2, await env.api.replicaSets('ws'));
        return true;
      },
      { timeoutMs: 10_000, intervalMs: 100, description: 'all traffic on the new stable' },
    );
  });
});
