import { expect } from 'vitest';
import { Resources, type ResourceType } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { VirtualNode, VirtualRouter, WeightedTarget } from '../../src/traffic/appmesh/types.js';
import { describeRouterScenario, patchByHand } from './support/route-scenario.js';
import type { TrafficEnv } from './support/traffic.js';

const NAME = 'mesh';
const HASH = 'rollouts-pod-template-hash';
const object = (kind: string, name: string, spec: object) =>
  ({ apiVersion: 'appmesh.k8s.aws/v1beta2', kind, metadata: { name }, spec }) as KubeObject;
const node = (role: string) =>
  object('VirtualNode', `${NAME}-vn-${role}`, {
    podSelector: { matchLabels: { app: NAME } },
    listeners: [{ portMapping: { port: 80, protocol: 'http' } }],
    serviceDiscovery: { dns: { hostname: `${NAME}-${role}.svc.cluster.local` } },
  });
const target = (role: string, weight: number) => ({ virtualNodeRef: { name: `${NAME}-vn-${role}` }, weight });

async function targets(t: TrafficEnv): Promise<readonly WeightedTarget[]> {
  const router = await t.client.get<VirtualRouter>(
    Resources.appMeshVirtualRouters,
    t.namespace,
    `${NAME}-router`,
  );
  const route = router.spec?.routes?.[0] as {
    httpRoute?: { action?: { weightedTargets?: WeightedTarget[] } };
  };
  return route.httpRoute?.action?.weightedTargets ?? [];
}

const weightOf = (all: readonly WeightedTarget[], role: string) =>
  all.find((x) => x.virtualNodeRef?.name === `${NAME}-vn-${role}`)?.weight;

async function nodeHash(t: TrafficEnv, role: string): Promise<string | undefined> {
  const vn = await t.client.get<VirtualNode>(
    Resources.appMeshVirtualNodes,
    t.namespace,
    `${NAME}-vn-${role}`,
  );
  return vn.spec?.podSelector?.matchLabels?.[HASH];
}

describeRouterScenario({
  name: NAME,
  trafficRouting: {
    appMesh: {
      virtualService: { name: NAME, routes: ['primary'] },
      virtualNodeGroup: {
        canaryVirtualNodeRef: { name: `${NAME}-vn-canary` },
        stableVirtualNodeRef: { name: `${NAME}-vn-stable` },
      },
    },
  },
  setup: async (t) => {
    const create = (obj: KubeObject, res: ResourceType) => t.client.create(res, t.namespace, obj);
    await create(node('stable'), Resources.appMeshVirtualNodes);
    await create(node('canary'), Resources.appMeshVirtualNodes);
    const action = { weightedTargets: [target('canary', 0), target('stable', 100)] };
    const routes = [{ name: 'primary', httpRoute: { match: { prefix: '/' }, action } }];
    const listeners = [{ portMapping: { port: 80, protocol: 'http' } }];
    await create(
      object('VirtualRouter', `${NAME}-router`, { listeners, routes }),
      Resources.appMeshVirtualRouters,
    );
    const provider = { virtualRouter: { virtualRouterRef: { name: `${NAME}-router` } } };
    await create(object('VirtualService', NAME, { provider }), Resources.appMeshVirtualServices);
  },
  canaryWeight: async (t) => {
    const all = await targets(t);
    const canary = weightOf(all, 'canary') ?? -1;
    return canary + (weightOf(all, 'stable') ?? -1) === 100 ? canary : -1;
  },
  handEdit: (t) =>
    patchByHand(t, Resources.appMeshVirtualRouters, `${NAME}-router`, {
      '/spec/routes/0/httpRoute/action/weightedTargets/0/weight': 50,
      '/spec/routes/0/httpRoute/action/weightedTargets/1/weight': 50,
    }),
  checkAt20: async (t, hashes) => {
    expect(await nodeHash(t, 'stable')).toBe(hashes.stable);
    expect(await nodeHash(t, 'canary')).toBe(hashes.canary);
  },
  missing: {
    trafficRouting: {
      appMesh: {
        virtualService: { name: 'absent' },
        virtualNodeGroup: { canaryVirtualNodeRef: { name: 'vn-a' }, stableVirtualNodeRef: { name: 'vn-b' } },
      },
    },
    message:
      /^InvalidSpec: spec\.strategy\.canary\.trafficRouting\.appMesh: .*VirtualService "absent" not found/,
  },
  cleanedUp: async (t) => {
    const all = await targets(t);
    return (
      weightOf(all, 'canary') === 0 &&
      weightOf(all, 'stable') === 100 &&
      (await nodeHash(t, 'stable')) === undefined
    );
  },
});
