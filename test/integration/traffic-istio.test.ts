import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientNodeKubeClient, type JsonPatchOp, Resources } from '../../src/kube/client.js';
import { isApiError } from '../../src/kube/errors.js';
import { desiredTrafficOf } from '../../src/traffic/desired-traffic.js';
import type { VirtualService, VsHttpRoute } from '../../src/traffic/istio/types.js';
import type { TrafficRouter } from '../../src/traffic/router.js';
import { applyTrafficToAll } from '../../src/traffic/router-set.js';
import { deleteNamespace } from './support/objects.js';
import { openTrafficEnv, routersOf, trafficRollout, withoutServerFields } from './support/traffic.js';

const HASHES = { canaryHash: 'c0ffee', stableHash: '5ab1e' };
const traffic = (canaryWeight: number) => desiredTrafficOf({ canaryWeight, ...HASHES });

/** A VirtualService as a user writes it: the split route `primary`, an unrelated route, extra fields. */
const hostSplitVs: VirtualService = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'web-vsvc', labels: { team: 'web' }, annotations: { 'example.com/owner': 'web-team' } },
  spec: {
    hosts: ['web.example.com'],
    gateways: ['web-gateway'],
    http: [
      {
        name: 'legacy',
        match: [{ uri: { prefix: '/legacy' } }],
        route: [{ destination: { host: 'legacy-svc', port: { number: 8080 } } }],
      },
      {
        name: 'primary',
        match: [{ uri: { prefix: '/' } }],
        retries: { attempts: 3, perTryTimeout: '2s' },
        timeout: '10s',
        route: [
          {
            destination: { host: 'web-stable', port: { number: 80 } },
            weight: 100,
            headers: { response: { set: { 'x-served-by': 'stable' } } },
          },
          { destination: { host: 'web-canary.default.svc.cluster.local', port: { number: 80 } }, weight: 0 },
        ],
      },
    ],
  },
};

/** Everything the user wrote, with the weights of route `name` (the managed fields) removed. */
function userFields(vs: VirtualService, name: string): VirtualService {
  const copy = withoutServerFields(vs);
  const route = copy.spec?.http?.find((r) => r.name === name) as VsHttpRoute;
  route.route = (route.route ?? []).map(({ weight: _w, ...rest }) => rest);
  return copy;
}

function weights(vs: VirtualService, name: string, canary: (host: string, subset?: string) => boolean) {
  const dests = vs.spec?.http?.find((r) => r.name === name)?.route ?? [];
  const canaryDest = dests.find((d) => canary(d.destination?.host ?? '', d.destination?.subset));
  const stableDest = dests.find((d) => !canary(d.destination?.host ?? '', d.destination?.subset));
  const total = dests.reduce((sum, d) => sum + (d.weight ?? 0), 0);
  return { canary: canaryDest?.weight ?? 0, stable: stableDest?.weight ?? 0, total, count: dests.length };
}

const isCanaryHost = (host: string) => host.startsWith('web-canary');

describe('Istio router against the real API server with the real Istio CRDs', () => {
  let kc: KubeConfig;
  let client: ClientNodeKubeClient;
  let namespace = '';
  let router: TrafficRouter;
  let original: VirtualService;

  const readVs = (name: string) => client.get<VirtualService>(Resources.virtualServices, namespace, name);
  const patchVs = (name: string, ops: JsonPatchOp[]) =>
    client.patch<VirtualService>(Resources.virtualServices, { namespace, name }, { type: 'json', ops });

  beforeAll(async () => {
    ({ kc, client, namespace } = await openTrafficEnv('traffic-istio'));
    original = await client.create(Resources.virtualServices, namespace, hostSplitVs);
    const routing = {
      istio: { virtualService: { name: 'web-vsvc', routes: ['primary'] } },
      managedRoutes: [{ name: 'beta-users' }, { name: 'shadow' }],
    };
    const created = await client.create(Resources.rollouts, namespace, trafficRollout('web', routing));
    [router] = routersOf(client, created) as [TrafficRouter];
    expect(router.type).toBe('istio');
  });

  afterAll(async () => {
    await deleteNamespace(kc, namespace);
  });

  it('moves the named route 0 → 20 → 50 → 100, keeping every other field, writing only on change', async () => {
    for (const weight of [0, 20, 50, 100]) {
      const result = await applyTrafficToAll([router], traffic(weight));
      expect(result.issues).toEqual([]);
      const vs = await readVs('web-vsvc');
      expect(weights(vs, 'primary', isCanaryHost)).toEqual({
        canary: weight,
        stable: 100 - weight,
        total: 100,
        count: 2,
      });
      expect(userFields(vs, 'primary')).toEqual(userFields(original, 'primary'));
      const again = await applyTrafficToAll([router], traffic(weight));
      expect(again).toEqual({ changed: false, issues: [] });
      expect((await readVs('web-vsvc')).metadata?.resourceVersion).toBe(vs.metadata?.resourceVersion);
      const observed = await router.observe();
      expect([observed.canaryWeight, observed.stableWeight]).toEqual([weight, 100 - weight]);
    }
  });

  it('puts header and mirror routes first in managedRoutes order, converges, and removes them', async () => {
    const headerRoutes = [
      { name: 'beta-users', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] },
    ];
    const mirrorRoutes = [{ name: 'shadow', match: [{ path: { prefix: '/api' } }], percentage: 50 }];
    const desired = desiredTrafficOf({ canaryWeight: 20, ...HASHES, headerRoutes, mirrorRoutes });
    expect((await applyTrafficToAll([router], desired)).issues).toEqual([]);
    const vs = await readVs('web-vsvc');
    expect(vs.spec?.http?.map((r) => r.name)).toEqual(['beta-users', 'shadow', 'legacy', 'primary']);
    expect(vs.spec?.http?.[1]).toMatchObject({ mirrorPercentage: { value: 50 } });
    expect(await applyTrafficToAll([router], desired)).toEqual({ changed: false, issues: [] });
    const observed = await router.observe();
    expect([observed.headerRoutes, observed.mirrorRoutes]).toEqual([['beta-users'], ['shadow']]);
    await applyTrafficToAll([router], traffic(50));
    expect(userFields(await readVs('web-vsvc'), 'primary')).toEqual(userFields(original, 'primary'));
  });

  it('heals a weight edited by hand on the next apply', async () => {
    await applyTrafficToAll([router], traffic(50));
    await patchVs('web-vsvc', [
      { op: 'replace', path: '/spec/http/1/route/0/weight', value: 95 },
      { op: 'replace', path: '/spec/http/1/route/1/weight', value: 5 },
    ]);
    expect(await applyTrafficToAll([router], traffic(50))).toEqual({ changed: true, issues: [] });
    const vs = await readVs('web-vsvc');
    expect(weights(vs, 'primary', isCanaryHost)).toMatchObject({ canary: 50, stable: 50, total: 100 });
    expect(userFields(vs, 'primary')).toEqual(userFields(original, 'primary'));
  });

  it('refuses to overwrite a change made between read and write (409), then converges', async () => {
    const staged = await router.prepare(traffic(60));
    expect(staged.issues).toEqual([]);
    await patchVs('web-vsvc', [
      { op: 'add', path: '/metadata/annotations/example.com~1touched', value: 'yes' },
    ]);
    const failure = await staged.commit().catch((err: unknown) => err);
    expect(isApiError(failure, 'Conflict')).toBe(true);
    expect(weights(await readVs('web-vsvc'), 'primary', isCanaryHost).canary).toBe(50);
    await applyTrafficToAll([router], traffic(60));
    const vs = await readVs('web-vsvc');
    expect(weights(vs, 'primary', isCanaryHost).canary).toBe(60);
    expect(vs.metadata?.annotations?.['example.com/touched']).toBe('yes');
    await patchVs('web-vsvc', [{ op: 'remove', path: '/metadata/annotations/example.com~1touched' }]);
  });

  it('reports a third destination with weight as a RouteIssue and writes nothing', async () => {
    const intruder = { destination: { host: 'intruder', port: { number: 80 } }, weight: 10 };
    await patchVs('web-vsvc', [
      { op: 'replace', path: '/spec/http/1/route/0/weight', value: 30 },
      { op: 'add', path: '/spec/http/1/route/-', value: intruder },
    ]);
    const before = await readVs('web-vsvc');
    const result = await applyTrafficToAll([router], traffic(100));
    expect(result.changed).toBe(false);
    expect(result.issues).toEqual([
      expect.objectContaining({
        reason: 'UnexpectedDestination',
        path: 'spec.http[1].route[2].weight',
        object: { kind: 'VirtualService', name: 'web-vsvc', namespace },
      }),
    ]);
    expect((await readVs('web-vsvc')).metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    await patchVs('web-vsvc', [{ op: 'remove', path: '/spec/http/1/route/2' }]);
    expect((await applyTrafficToAll([router], traffic(100))).issues).toEqual([]);
    expect(weights(await readVs('web-vsvc'), 'primary', isCanaryHost)).toMatchObject({
      canary: 100,
      stable: 0,
    });
  });

  it('cleans up to 100% stable, keeping the user fields; a second clean-up writes nothing', async () => {
    expect(await router.cleanup()).toEqual({ changed: true, issues: [] });
    const vs = await readVs('web-vsvc');
    expect(weights(vs, 'primary', isCanaryHost)).toEqual({ canary: 0, stable: 100, total: 100, count: 2 });
    expect(userFields(vs, 'primary')).toEqual(userFields(original, 'primary'));
    expect(await router.cleanup()).toEqual({ changed: false, issues: [] });
  });

  it('reports a missing VirtualService as ObjectNotFound', async () => {
    const routing = { istio: { virtualService: { name: 'absent-vsvc' } } };
    const created = await client.create(Resources.rollouts, namespace, trafficRollout('absent', routing));
    const [absent] = routersOf(client, created) as [TrafficRouter];
    const result = await applyTrafficToAll([absent], traffic(10));
    expect(result).toEqual({
      changed: false,
      issues: [expect.objectContaining({ reason: 'ObjectNotFound' })],
    });
    expect(await absent.cleanup()).toEqual({ changed: false, issues: [] });
  });
});
