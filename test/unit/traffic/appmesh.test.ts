import { describe, expect, it } from 'vitest';
import type { AppMeshRoute } from '../../../src/traffic/appmesh/types.js';
import {
  CANARY_HASH_PLACEHOLDER,
  editVirtualNode,
  STABLE_HASH_PLACEHOLDER,
  type VirtualNode,
  virtualNodeHashes,
} from '../../../src/traffic/appmesh/virtual-node.js';
import {
  editVirtualRouter,
  observedRouterWeights,
  type VirtualRouter,
  type VirtualRouterEditSpec,
} from '../../../src/traffic/appmesh/virtual-router.js';
import { desired, frozenCopy, issueMatchers } from './helpers.js';

const spec: VirtualRouterEditSpec = {
  namespace: 'ns',
  canaryVirtualNode: 'vn-canary',
  stableVirtualNode: 'vn-stable',
};
const target = (name: string, weight: number, namespace?: string) => ({
  virtualNodeRef: namespace === undefined ? { name } : { name, namespace },
  weight,
});
const route = (
  name: string,
  type = 'httpRoute',
  targets = [target('vn-canary', 0), target('vn-stable', 100)],
) => ({ name, [type]: { match: { prefix: '/' }, action: { weightedTargets: targets } } }) as AppMeshRoute;
const routerWith = (routes: AppMeshRoute[]): VirtualRouter =>
  frozenCopy({ metadata: { name: 'vr', namespace: 'ns' }, spec: { listeners: [{ port: 80 }], routes } });
type Rule = { action?: { weightedTargets?: { weight?: number }[] } } | undefined;
const weightsOf = (r: AppMeshRoute | undefined, type = 'httpRoute') =>
  ((r?.[type] as Rule)?.action?.weightedTargets ?? []).map((t) => t.weight);

describe('editVirtualRouter', () => {
  it('re-weights every route (any supported type) when none are listed', () => {
    const router = routerWith([route('a'), route('b', 'tcpRoute'), route('c', 'grpcRoute')]);
    const { object, issues } = editVirtualRouter(router, spec, desired({ canaryWeight: 25 }));
    expect(issues).toEqual([]);
    expect(weightsOf(object.spec?.routes?.[0])).toEqual([25, 75]);
    expect(weightsOf(object.spec?.routes?.[1], 'tcpRoute')).toEqual([25, 75]);
    expect(weightsOf(object.spec?.routes?.[2], 'grpcRoute')).toEqual([25, 75]);
    expect(object.spec?.listeners).toEqual(router.spec?.listeners);
    expect(observedRouterWeights(object, spec)).toEqual({ canaryWeight: 25, stableWeight: 75 });
  });

  it('re-weights only the listed routes; a target in the Rollout namespace may name it', () => {
    const explicit = route('b', 'httpRoute', [target('vn-stable', 100, 'ns'), target('vn-canary', 0, 'ns')]);
    const router = routerWith([route('a'), explicit]);
    const { object } = editVirtualRouter(router, { ...spec, routes: ['b'] }, desired({ canaryWeight: 40 }));
    expect(weightsOf(object.spec?.routes?.[0])).toEqual([0, 100]);
    expect(weightsOf(object.spec?.routes?.[1])).toEqual([60, 40]);
  });

  it.each<[string, AppMeshRoute[], VirtualRouterEditSpec, object[]]>([
    ['no routes', [], spec, [{ reason: 'NoHttpRoute', path: 'spec.routes' }]],
    [
      'an unsupported route type',
      [{ name: 'x', weird: {} }],
      spec,
      [{ reason: 'Unsupported', path: 'spec.routes[0]' }],
    ],
    [
      'three weighted targets',
      [route('a', 'httpRoute', [target('vn-canary', 0), target('vn-stable', 50), target('x', 50)])],
      spec,
      [{ reason: 'DestinationNotFound', path: 'spec.routes[0].httpRoute.action.weightedTargets' }],
    ],
    ['a listed route missing', [route('a')], { ...spec, routes: ['b'] }, [{ reason: 'RouteNotFound' }]],
    [
      'targets in another namespace',
      [route('a', 'httpRoute', [target('vn-canary', 0, 'other'), target('vn-stable', 100)])],
      spec,
      [{ reason: 'DestinationNotFound', message: 'namespace "ns"' }],
    ],
  ])('%s is an issue and the router comes back unchanged', (_name, routes, editSpec, expected) => {
    const router = routerWith(routes);
    const result = editVirtualRouter(router, editSpec, desired({ canaryWeight: 10 }));
    expect(result.issues).toEqual(issueMatchers(expected));
    expect(result.object).toBe(router);
  });
});

describe('VirtualNode pod hashes', () => {
  it('uses Argo’s placeholders when the stable or canary hash is missing or shared', () => {
    expect(virtualNodeHashes(desired({ canaryWeight: 0, stableHash: 's', canaryHash: 'c' }))).toEqual({
      stable: 's',
      canary: 'c',
    });
    expect(virtualNodeHashes(desired({ canaryWeight: 0, stableHash: 's', canaryHash: 's' }))).toEqual({
      stable: 's',
      canary: CANARY_HASH_PLACEHOLDER,
    });
    expect(virtualNodeHashes(desired({ canaryWeight: 0 }))).toEqual({
      stable: STABLE_HASH_PLACEHOLDER,
      canary: CANARY_HASH_PLACEHOLDER,
    });
  });

  it('sets and removes only the hash key and the managed-by annotation; no change returns the input', () => {
    const node: VirtualNode = frozenCopy({
      metadata: { name: 'vn', annotations: { keep: 'me' } },
      spec: { podSelector: { matchLabels: { app: 'web' } }, listeners: [] },
    });
    const set = editVirtualNode(node, { podHash: 'abc', managedBy: 'web' });
    expect(set.spec?.podSelector?.matchLabels).toEqual({ app: 'web', 'rollouts-pod-template-hash': 'abc' });
    expect(set.metadata?.annotations).toEqual({
      keep: 'me',
      'argo-rollouts.argoproj.io/managed-by-rollouts': 'web',
    });
    expect(editVirtualNode(set, { podHash: 'abc', managedBy: 'web' })).toBe(set);
    expect(editVirtualNode(set, { podHash: null, managedBy: null })).toEqual(node);
  });
});
