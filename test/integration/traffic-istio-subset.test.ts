import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientNodeKubeClient, Resources } from '../../src/kube/client.js';
import { desiredTrafficOf } from '../../src/traffic/desired-traffic.js';
import type { DestinationRule, VirtualService } from '../../src/traffic/istio/types.js';
import type { TrafficRouter } from '../../src/traffic/router.js';
import { applyTrafficToAll } from '../../src/traffic/router-set.js';
import { deleteNamespace } from './support/objects.js';
import { openTrafficEnv, routersOf, trafficRollout, withoutServerFields } from './support/traffic.js';

const HASHES = { canaryHash: 'c0ffee', stableHash: '5ab1e' };
const traffic = (canaryWeight: number) => desiredTrafficOf({ canaryWeight, ...HASHES });

const subsetVs: VirtualService = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'web-subsets' },
  spec: {
    hosts: ['web'],
    http: [
      {
        name: 'primary',
        route: [
          { destination: { host: 'web', subset: 'stable' }, weight: 100 },
          { destination: { host: 'web', subset: 'canary' }, weight: 0 },
        ],
      },
    ],
  },
};

const destinationRule: DestinationRule = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'DestinationRule',
  metadata: { name: 'web-dr' },
  spec: {
    host: 'web',
    trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
    subsets: [
      { name: 'stable', labels: { app: 'web' } },
      {
        name: 'canary',
        labels: { app: 'web' },
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } },
      },
      { name: 'preview', labels: { track: 'preview' } },
    ],
  },
};

/** Subset weights of the route `primary`, and their sum. */
function weights(vs: VirtualService) {
  const dests = vs.spec?.http?.find((r) => r.name === 'primary')?.route ?? [];
  const of = (subset: string) => dests.find((d) => d.destination?.subset === subset)?.weight;
  const total = dests.reduce((sum, d) => sum + (d.weight ?? 0), 0);
  return { canary: of('canary'), stable: of('stable'), total, count: dests.length };
}

describe('Istio subset-level split: DestinationRule hash labels and subset weights', () => {
  let kc: KubeConfig;
  let client: ClientNodeKubeClient;
  let namespace = '';
  let router: TrafficRouter;
  let originalDr: DestinationRule;

  const readDr = () => client.get<DestinationRule>(Resources.destinationRules, namespace, 'web-dr');
  const readVs = () => client.get<VirtualService>(Resources.virtualServices, namespace, 'web-subsets');
  const subsetLabels = (dr: DestinationRule) =>
    Object.fromEntries((dr.spec?.subsets ?? []).map((s) => [s.name, s.labels]));

  beforeAll(async () => {
    ({ kc, client, namespace } = await openTrafficEnv('traffic-istio-dr'));
    await client.create(Resources.virtualServices, namespace, subsetVs);
    originalDr = await client.create(Resources.destinationRules, namespace, destinationRule);
    const routing = {
      istio: {
        virtualService: { name: 'web-subsets', routes: ['primary'] },
        destinationRule: { name: 'web-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    };
    const created = await client.create(Resources.rollouts, namespace, trafficRollout('web', routing));
    [router] = routersOf(client, created) as [TrafficRouter];
  });

  afterAll(async () => {
    await deleteNamespace(kc, namespace);
  });

  it('labels the subsets with the pod hashes and splits by subset, other subsets and fields untouched', async () => {
    for (const weight of [20, 50]) {
      expect((await applyTrafficToAll([router], traffic(weight))).issues).toEqual([]);
      const dr = await readDr();
      expect(subsetLabels(dr)).toEqual({
        stable: { app: 'web', 'rollouts-pod-template-hash': HASHES.stableHash },
        canary: { app: 'web', 'rollouts-pod-template-hash': HASHES.canaryHash },
        preview: { track: 'preview' },
      });
      expect(dr.metadata?.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts']).toBe('web');
      expect(dr.spec?.trafficPolicy).toEqual(originalDr.spec?.trafficPolicy);
      expect(dr.spec?.subsets?.[1]?.trafficPolicy).toEqual(originalDr.spec?.subsets?.[1]?.trafficPolicy);
      expect(weights(await readVs())).toEqual({
        canary: weight,
        stable: 100 - weight,
        total: 100,
        count: 2,
      });
      expect(await applyTrafficToAll([router], traffic(weight))).toEqual({ changed: false, issues: [] });
    }
  });

  it('cleans up: 100% stable subset, hash labels removed, the rest of the DestinationRule as written', async () => {
    expect((await router.cleanup()).issues).toEqual([]);
    expect(weights(await readVs())).toMatchObject({ canary: 0, stable: 100 });
    const dr = await readDr();
    const { annotations: _a, ...metadata } = withoutServerFields(dr).metadata ?? {};
    expect({ ...withoutServerFields(dr), metadata }).toEqual(withoutServerFields(originalDr));
  });
});
