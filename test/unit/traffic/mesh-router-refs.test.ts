import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/types.js';
import { trafficRefsOf, virtualRouterTargets } from '../../../src/rollout/reconcile/traffic-ref-index.js';

const rollout = (trafficRouting: object): KubeObject =>
  ({
    metadata: { name: 'a', namespace: 'apps' },
    spec: { strategy: { canary: { trafficRouting } } },
  }) as KubeObject;

const keys = (refs: { kind: string; namespace: string; name: string }[]) =>
  refs.map((r) => `${r.kind}:${r.namespace}/${r.name}`);

describe('the objects Ambassador, App Mesh and APISIX Rollouts refer to (watched for healing)', () => {
  it('lists each Mapping and its canary Mapping, the App Mesh VirtualService and nodes, the ApisixRoutes', () => {
    const refs = trafficRefsOf(
      rollout({
        managedRoutes: [{ name: 'beta' }],
        ambassador: { mappings: ['web'] },
        appMesh: {
          virtualService: { name: 'vs' },
          virtualNodeGroup: {
            canaryVirtualNodeRef: { name: 'vn-c' },
            stableVirtualNodeRef: { name: 'vn-s' },
          },
        },
        apisix: { route: { name: 'route' } },
      }),
    );
    expect(keys(refs)).toEqual([
      'mappings:apps/web',
      'mappings:apps/web-canary',
      'virtualnodes:apps/vn-c',
      'virtualnodes:apps/vn-s',
      'virtualservices.appmesh.k8s.aws:apps/vs',
      'apisixroutes:apps/route',
      'apisixroutes:apps/beta',
    ]);
  });

  it('reaches a VirtualRouter through the VirtualNodes of its weighted targets, ignoring malformed routes', () => {
    const router = {
      metadata: { name: 'vr', namespace: 'apps' },
      spec: {
        routes: [
          { name: 'r', httpRoute: { action: { weightedTargets: [{ virtualNodeRef: { name: 'vn-c' } }] } } },
          {
            name: 't',
            tcpRoute: { action: { weightedTargets: [{ virtualNodeRef: { name: 'x', namespace: 'o' } }] } },
          },
          { name: 'bad', httpRoute: { action: { weightedTargets: 'no' } } },
        ],
      },
    } as unknown as KubeObject;
    expect(keys(virtualRouterTargets(router))).toEqual(['virtualnodes:apps/vn-c', 'virtualnodes:o/x']);
  });
});
