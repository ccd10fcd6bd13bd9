import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { Resources } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createTrafficRouters, routerSettingsOf } from '../../../src/traffic/create-routers.js';
import { desiredTrafficOf } from '../../../src/traffic/desired-traffic.js';
import { applyTrafficToAll } from '../../../src/traffic/router-set.js';
import { FakeKubeClient } from './fake-kube-client.js';

const NS = 'shop';

function rollout(trafficRouting: object): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: NS, uid: 'uid-1' },
    spec: {
      strategy: { canary: { canaryService: 'web-canary', stableService: 'web-stable', trafficRouting } },
    },
  } as unknown as Rollout;
}

function albIngress(name: string): KubeObject {
  const backend = { service: { name: 'web-stable', port: { name: 'use-annotation' } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: NS },
    spec: { rules: [{ http: { paths: [{ path: '/*', pathType: 'ImplementationSpecific', backend }] } }] },
  } as KubeObject;
}

const split = (owner?: string) =>
  ({
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: {
      name: 'web',
      namespace: NS,
      ...(owner ? { ownerReferences: [{ kind: 'Rollout', name: 'web', uid: owner, controller: true }] } : {}),
    },
    spec: { service: 'web-stable', backends: [] },
  }) as unknown as KubeObject;

describe('ALB adapter', () => {
  it('edits every Ingress of `ingresses`, or none when one is missing (ObjectNotFound)', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.ingresses, albIngress('public'));
    const routers = createTrafficRouters(
      client,
      rollout({ alb: { ingresses: ['public', 'internal'], servicePort: 80 } }),
    );
    const blocked = await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 10 }));
    expect(blocked.issues.map((i) => [i.reason, i.object.name])).toEqual([['ObjectNotFound', 'internal']]);
    expect(client.writes).toEqual([]);
    client.seed(Resources.ingresses, albIngress('internal'));
    expect(await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 10 }))).toEqual({
      changed: true,
      issues: [],
    });
    expect(client.writes).toHaveLength(2);
    expect(await routers[0]?.observe()).toMatchObject({ canaryWeight: 10, stableWeight: 90, issues: [] });
    expect((await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 10 }))).changed).toBe(false);
  });
});

describe('SMI adapter', () => {
  it('creates the TrafficSplit owned by the Rollout, in the version the flag picks', async () => {
    const client = new FakeKubeClient();
    const settings = routerSettingsOf({
      trafficSplitApiVersion: 'v1alpha3',
      traefikApiGroup: 'traefik.io',
      traefikApiVersion: 'v1alpha1',
    });
    const routers = createTrafficRouters(client, rollout({ smi: {} }), undefined, settings);
    expect((await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 30 }))).issues).toEqual([]);
    const created = await client.get(settings.trafficSplits, NS, 'web');
    expect(created).toMatchObject({
      apiVersion: 'split.smi-spec.io/v1alpha3',
      metadata: { ownerReferences: [{ kind: 'Rollout', uid: 'uid-1', controller: true }] },
      spec: {
        service: 'web-stable',
        backends: [
          { service: 'web-canary', weight: 30 },
          { service: 'web-stable', weight: 70 },
        ],
      },
    });
  });

  it('refuses a same-named TrafficSplit it does not control, and cleans up only its own', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.trafficSplits, split());
    const routers = createTrafficRouters(client, rollout({ smi: {} }));
    const result = await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 30 }));
    expect(result.issues.map((i) => [i.reason, i.path])).toEqual([
      ['NotControlled', 'metadata.ownerReferences'],
    ]);
    expect(await routers[0]?.cleanup()).toMatchObject({ changed: false });
    expect(client.writes).toEqual([]);
  });
});

describe('Traefik adapter', () => {
  it('a missing TraefikService is an ObjectNotFound issue; clean-up skips it', async () => {
    const client = new FakeKubeClient();
    const routers = createTrafficRouters(client, rollout({ traefik: { weightedTraefikServiceName: 'web' } }));
    const result = await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 30 }));
    expect(result.issues.map((i) => [i.reason, i.object.kind])).toEqual([
      ['ObjectNotFound', 'TraefikService'],
    ]);
    expect(await routers[0]?.cleanup()).toEqual({ changed: false, issues: [] });
  });
});
