import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientNodeKubeClient, type JsonPatchOp, Resources } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { type DesiredTrafficInput, desiredTrafficOf } from '../../src/traffic/desired-traffic.js';
import type { HTTPRoute, HttpRouteRule } from '../../src/traffic/gatewayapi/types.js';
import type { VirtualService } from '../../src/traffic/istio/types.js';
import type { TrafficRouter } from '../../src/traffic/router.js';
import { applyTrafficToAll } from '../../src/traffic/router-set.js';
import { deleteNamespace } from './support/objects.js';
import { openTrafficEnv, routersOf, SERVER_FIELDS, trafficRollout } from './support/traffic.js';

const PLUGIN = 'argoproj-labs/gatewayAPI';
const traffic = (canaryWeight: number, more: Partial<DesiredTrafficInput> = {}) =>
  desiredTrafficOf({ canaryWeight, ...more });

/** An HTTPRoute as a user writes it: an unrelated rule first, then the split rule with extra fields. */
function httpRoute(name: string): HTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, labels: { team: 'web' } },
    spec: {
      parentRefs: [{ name: 'web-gateway' }],
      hostnames: ['web.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/static' } }],
          backendRefs: [{ name: 'static-files', port: 80 }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          filters: [
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: { add: [{ name: 'x-env', value: 'prod' }] },
            },
          ],
          backendRefs: [
            { name: 'web-stable', port: 80, weight: 100 },
            { name: 'web-canary', port: 80, weight: 0 },
          ],
        },
      ],
    },
  };
}

/** A VirtualService split in the same Rollout as an HTTPRoute. */
const bothVs: VirtualService = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'both-vsvc' },
  spec: {
    hosts: ['web'],
    http: [
      {
        name: 'primary',
        route: [
          { destination: { host: 'web-stable' }, weight: 100 },
          { destination: { host: 'web-canary' }, weight: 0 },
        ],
      },
    ],
  },
};

/** Everything the user wrote, with the backendRef weights of split rules (the managed fields) removed. */
function userFields(route: HTTPRoute): HTTPRoute {
  const copy = structuredClone(route);
  const metadata = copy.metadata as Record<string, unknown> | undefined;
  for (const key of SERVER_FIELDS) delete metadata?.[key];
  const rules = (copy.spec?.rules ?? []).map((rule) =>
    (rule.backendRefs ?? []).some((b) => b.name === 'web-canary')
      ? { ...rule, backendRefs: (rule.backendRefs ?? []).map(({ weight: _w, ...rest }) => rest) }
      : rule,
  );
  return { ...copy, spec: { ...copy.spec, rules } };
}

function splitWeights(rule: HttpRouteRule | undefined) {
  const refs = rule?.backendRefs ?? [];
  const of = (name: string) => refs.find((b) => b.name === name)?.weight;
  const total = refs.reduce((sum, b) => sum + (b.weight ?? 1), 0);
  return { canary: of('web-canary'), stable: of('web-stable'), total };
}

describe('Gateway API router against the real API server with the real Gateway API CRDs', () => {
  let kc: KubeConfig;
  let client: ClientNodeKubeClient;
  let namespace = '';
  let router: TrafficRouter;
  let original: HTTPRoute;

  const read = (name = 'web-route') => client.get<HTTPRoute>(Resources.httpRoutes, namespace, name);
  const patch = (ops: JsonPatchOp[], name = 'web-route') =>
    client.patch(Resources.httpRoutes, { namespace, name }, { type: 'json', ops });
  const routersFor = (object: KubeObject) => routersOf(client, object);

  beforeAll(async () => {
    ({ kc, client, namespace } = await openTrafficEnv('traffic-gateway'));
    original = await client.create(Resources.httpRoutes, namespace, httpRoute('web-route'));
    const routing = {
      plugins: { [PLUGIN]: { httpRoute: 'web-route' } },
      managedRoutes: [{ name: 'beta-users' }],
    };
    [router] = routersFor(
      await client.create(Resources.rollouts, namespace, trafficRollout('web', routing)),
    ) as [TrafficRouter];
    expect(router.type).toBe('gatewayAPI');
  });

  afterAll(async () => {
    await deleteNamespace(kc, namespace);
  });

  it('moves the split rule 0 → 20 → 50 → 100, keeping every other rule and field, writing only on change', async () => {
    for (const weight of [0, 20, 50, 100]) {
      expect((await applyTrafficToAll([router], traffic(weight))).issues).toEqual([]);
      const route = await read();
      expect(splitWeights(route.spec?.rules?.[1])).toEqual({
        canary: weight,
        stable: 100 - weight,
        total: 100,
      });
      expect(userFields(route)).toEqual(userFields(original));
      expect(await applyTrafficToAll([router], traffic(weight))).toEqual({ changed: false, issues: [] });
      expect((await read()).metadata?.resourceVersion).toBe(route.metadata?.resourceVersion);
      const observed = await router.observe();
      expect([observed.canaryWeight, observed.stableWeight]).toEqual([weight, 100 - weight]);
    }
  });

  it('adds a header route as the first rule, converges despite server defaults, and removes it', async () => {
    const headerRoutes = [
      { name: 'beta-users', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] },
    ];
    expect((await applyTrafficToAll([router], traffic(20, { headerRoutes }))).issues).toEqual([]);
    const route = await read();
    expect(route.spec?.rules?.[0]).toMatchObject({
      name: 'beta-users',
      matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-beta', value: 'yes' }] }],
      backendRefs: [{ name: 'web-canary', port: 80 }],
    });
    expect(await applyTrafficToAll([router], traffic(20, { headerRoutes }))).toEqual({
      changed: false,
      issues: [],
    });
    expect((await router.observe()).headerRoutes).toEqual(['beta-users']);
    await applyTrafficToAll([router], traffic(20));
    expect(userFields(await read())).toEqual(userFields(original));
  });

  it('heals a weight edited by hand on the next apply', async () => {
    await patch([
      { op: 'replace', path: '/spec/rules/1/backendRefs/0/weight', value: 1 },
      { op: 'replace', path: '/spec/rules/1/backendRefs/1/weight', value: 99 },
    ]);
    expect(await applyTrafficToAll([router], traffic(20))).toEqual({ changed: true, issues: [] });
    expect(splitWeights((await read()).spec?.rules?.[1])).toEqual({ canary: 20, stable: 80, total: 100 });
  });

  it('reports a third backendRef with weight as a RouteIssue and writes nothing', async () => {
    await patch([{ op: 'add', path: '/spec/rules/1/backendRefs/-', value: { name: 'intruder', port: 80 } }]);
    const before = await read();
    const result = await applyTrafficToAll([router], traffic(50));
    expect(result.changed).toBe(false);
    expect(result.issues).toEqual([
      expect.objectContaining({
        reason: 'UnexpectedDestination',
        path: 'spec.rules[1].backendRefs[2].weight',
      }),
    ]);
    expect((await read()).metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    await patch([{ op: 'remove', path: '/spec/rules/1/backendRefs/2' }]);
  });

  it('cleans up to 100% stable with every user field as written', async () => {
    expect(await router.cleanup()).toEqual({ changed: true, issues: [] });
    const route = await read();
    expect(splitWeights(route.spec?.rules?.[1])).toEqual({ canary: 0, stable: 100, total: 100 });
    expect(userFields(route)).toEqual(userFields(original));
    expect(await router.cleanup()).toEqual({ changed: false, issues: [] });
  });

  it('Istio + Gateway API: an issue in one router leaves both unwritten', async () => {
    const createdVs = await client.create(Resources.virtualServices, namespace, bothVs);
    await client.create(Resources.httpRoutes, namespace, httpRoute('both-route'));
    await patch(
      [{ op: 'add', path: '/spec/rules/1/backendRefs/-', value: { name: 'intruder', port: 80 } }],
      'both-route',
    );
    const routing = {
      istio: { virtualService: { name: 'both-vsvc', routes: ['primary'] } },
      plugins: { [PLUGIN]: { httpRoute: 'both-route' } },
    };
    const routers = routersFor(
      await client.create(Resources.rollouts, namespace, trafficRollout('both', routing)),
    );
    expect(routers.map((r) => r.type)).toEqual(['istio', 'gatewayAPI']);
    const result = await applyTrafficToAll(routers, traffic(30));
    expect(result.changed).toBe(false);
    expect(result.issues.map((i) => [i.object.kind, i.reason])).toEqual([
      ['HTTPRoute', 'UnexpectedDestination'],
    ]);
    const vsAfter = await client.get<VirtualService>(Resources.virtualServices, namespace, 'both-vsvc');
    expect(vsAfter.metadata?.resourceVersion).toBe(createdVs.metadata?.resourceVersion);
    expect((await read('both-route')).spec?.rules?.[1]?.backendRefs?.[1]?.weight).toBe(0);
    await patch([{ op: 'remove', path: '/spec/rules/1/backendRefs/2' }], 'both-route');
    expect(await applyTrafficToAll(routers, traffic(30))).toEqual({ changed: true, issues: [] });
    expect((await read('both-route')).spec?.rules?.[1]?.backendRefs?.[1]?.weight).toBe(30);
  });
});
