import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { Resources } from '../../../src/kube/client.js';
import { isApiError } from '../../../src/kube/errors.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createTrafficRouters } from '../../../src/traffic/create-routers.js';
import { desiredTrafficOf, stableOnlyTraffic } from '../../../src/traffic/desired-traffic.js';
import { httpRouteWithDefaults } from '../../../src/traffic/gatewayapi/router.js';
import { IstioTrafficRouter } from '../../../src/traffic/istio/router.js';
import type { VirtualService } from '../../../src/traffic/istio/types.js';
import type { Ingress } from '../../../src/traffic/nginx/canary-ingress.js';
import { NginxTrafficRouter } from '../../../src/traffic/nginx/router.js';
import { combineObserved, conditionalReplace } from '../../../src/traffic/object-edits.js';
import type { ObservedTraffic, RouteIssue, StagedApply, TrafficRouter } from '../../../src/traffic/router.js';
import { applyTrafficToAll, routeIssuesMessage } from '../../../src/traffic/router-set.js';
import { FakeKubeClient } from './fake-kube-client.js';

const NS = 'shop';

function rolloutWith(trafficRouting: object | undefined): Rollout {
  const canary = {
    canaryService: 'web-canary',
    stableService: 'web-stable',
    ...(trafficRouting ? { trafficRouting } : {}),
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: NS, uid: 'uid-1' },
    spec: { strategy: { canary } },
  } as unknown as Rollout;
}

const issue: RouteIssue = {
  reason: 'UnexpectedDestination',
  object: { kind: 'VirtualService', name: 'vs' },
  path: 'spec.http[0].route[2].weight',
  message: 'destination "x" has weight 10',
};

/** A router whose prepare returns `issues` and records commits into `log`. */
function scripted(name: string, issues: RouteIssue[], log: string[], changed = true): TrafficRouter {
  const prepare = async (): Promise<StagedApply> => ({
    issues,
    pendingWrites: changed ? 1 : 0,
    commit: async () => {
      log.push(name);
      return changed;
    },
  });
  const observed: ObservedTraffic = {
    canaryWeight: 0,
    stableWeight: 100,
    headerRoutes: [],
    mirrorRoutes: [],
    issues: [],
  };
  return {
    type: 'istio',
    capabilities: { headerRouting: false, mirroring: false, reportsWeight: false, experimentWeights: false },
    observe: async () => observed,
    prepare,
    cleanup: async () => ({ changed: false, issues: [] }),
  };
}

describe('createTrafficRouters', () => {
  const client = new FakeKubeClient();
  it.each([
    [undefined, []],
    [{ alb: { ingress: 'x' } }, ['alb']],
    [{ smi: {} }, ['smi']],
    [{ traefik: { weightedTraefikServiceName: 't' } }, ['traefik']],
    [{ istio: { virtualService: { name: 'vs' } } }, ['istio']],
    [{ nginx: { stableIngress: 'ing' } }, ['nginx']],
    [{ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r' } } }, ['gatewayAPI']],
    [{ plugins: { 'other/plugin': {} } }, []],
    [
      {
        nginx: { stableIngress: 'i' },
        istio: { virtualService: { name: 'v' } },
        plugins: { 'argoproj-labs/gatewayAPI': {} },
      },
      ['istio', 'nginx', 'gatewayAPI'],
    ],
  ])('%j → %j', (routing, types) => {
    expect(createTrafficRouters(client, rolloutWith(routing)).map((r) => r.type)).toEqual(types);
  });
});

describe('applyTrafficToAll', () => {
  it('commits nothing anywhere when one router has an issue', async () => {
    const log: string[] = [];
    const result = await applyTrafficToAll(
      [scripted('a', [], log), scripted('b', [issue], log)],
      stableOnlyTraffic(),
    );
    expect(result).toEqual({ changed: false, issues: [issue] });
    expect(log).toEqual([]);
  });

  it('commits every router in order when none has an issue', async () => {
    const log: string[] = [];
    const routers = [scripted('a', [], log, false), scripted('b', [], log, true)];
    expect(await applyTrafficToAll(routers, stableOnlyTraffic())).toEqual({ changed: true, issues: [] });
    expect(log).toEqual(['a', 'b']);
  });

  it('refuses experiment weights a router cannot route, before anything is prepared or written', async () => {
    const log: string[] = [];
    const desired = desiredTrafficOf({
      canaryWeight: 10,
      experimentWeights: [{ serviceName: 'x', weight: 5 }],
    });
    const result = await applyTrafficToAll([scripted('a', [], log)], desired);
    expect(result.changed).toBe(false);
    expect(result.issues.map((i) => i.reason)).toEqual(['Unsupported']);
    expect(log).toEqual([]);
  });
});

const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'web-vsvc', namespace: NS },
  spec: {
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

function istioRouter(client: FakeKubeClient, name = 'web-vsvc'): IstioTrafficRouter {
  return new IstioTrafficRouter({
    client,
    rolloutName: 'web',
    namespace: NS,
    istio: { virtualService: { name, routes: ['primary'] } },
    canaryService: 'web-canary',
    stableService: 'web-stable',
  });
}

describe('IstioTrafficRouter over an in-memory API', () => {
  it('writes once, then nothing while the edit equals the object', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.virtualServices, vs);
    const router = istioRouter(client);
    expect(await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 0 }))).toEqual({
      changed: false,
      issues: [],
    });
    expect(await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 30 }))).toEqual({
      changed: true,
      issues: [],
    });
    expect(await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 30 }))).toEqual({
      changed: false,
      issues: [],
    });
    expect(client.writes).toEqual([`replace networking.istio.io/virtualservices/${NS}/web-vsvc`]);
  });

  it('turns a write that lost a race into a Conflict naming the object, writing nothing', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.virtualServices, vs);
    const staged = await istioRouter(client).prepare(desiredTrafficOf({ canaryWeight: 30 }));
    client.touch(Resources.virtualServices, NS, 'web-vsvc');
    const err = await staged.commit().catch((e: unknown) => e);
    expect(isApiError(err, 'Conflict')).toBe(true);
    expect((err as Error).message).toContain(`VirtualService "${NS}/web-vsvc" changed since it was read`);
    expect(client.writes).toEqual([]);
  });

  it('reports a missing VirtualService as an issue and skips it on clean-up', async () => {
    const router = istioRouter(new FakeKubeClient(), 'absent');
    const result = await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 30 }));
    expect(result.issues.map((i) => i.reason)).toEqual(['ObjectNotFound']);
    expect(await router.cleanup()).toEqual({ changed: false, issues: [] });
    expect((await router.observe()).issues.map((i) => i.reason)).toEqual(['ObjectNotFound']);
  });
});

const stableIngress: Ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web-ing', namespace: NS },
  spec: {
    rules: [{ host: 'a', http: { paths: [{ path: '/', backend: { service: { name: 'web-stable' } } }] } }],
  },
};

function nginxRouter(client: FakeKubeClient): NginxTrafficRouter {
  return new NginxTrafficRouter({
    client,
    rollout: { name: 'web', namespace: NS, uid: 'uid-1' },
    nginx: { stableIngress: 'web-ing' },
    canaryService: 'web-canary',
    stableService: 'web-stable',
  });
}

describe('NginxTrafficRouter over an in-memory API', () => {
  const canaryKey = `networking.k8s.io/ingresses/${NS}/web-web-ing-canary`;

  it('creates, updates keeping foreign annotations and dropping a stale weight total, then deletes', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.ingresses, stableIngress);
    const router = nginxRouter(client);
    await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 200, maxTrafficWeight: 1000 }));
    const created = await client.get<Ingress>(Resources.ingresses, NS, 'web-web-ing-canary');
    expect(created.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ uid: 'uid-1', controller: true }),
    ]);
    client.seed(Resources.ingresses, {
      ...created,
      metadata: { ...created.metadata, annotations: { ...created.metadata?.annotations, 'x/y': 'z' } },
    } as KubeObject);
    expect(await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 40 }))).toEqual({
      changed: true,
      issues: [],
    });
    const updated = await client.get<Ingress>(Resources.ingresses, NS, 'web-web-ing-canary');
    expect(updated.metadata?.annotations).toEqual({
      'x/y': 'z',
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '40',
    });
    expect(await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 40 }))).toEqual({
      changed: false,
      issues: [],
    });
    expect(await router.cleanup()).toEqual({ changed: true, issues: [] });
    expect(client.writes).toEqual([`create ${canaryKey}`, `replace ${canaryKey}`, `delete ${canaryKey}`]);
  });

  it('leaves a same-named Ingress it does not control alone', async () => {
    const client = new FakeKubeClient();
    client.seed(Resources.ingresses, stableIngress);
    client.seed(Resources.ingresses, {
      ...stableIngress,
      metadata: { name: 'web-web-ing-canary', namespace: NS },
    });
    const router = nginxRouter(client);
    const result = await applyTrafficToAll([router], desiredTrafficOf({ canaryWeight: 40 }));
    expect(result.issues.map((i) => i.reason)).toEqual(['NotControlled']);
    expect(await router.cleanup()).toEqual({ changed: false, issues: [] });
    expect(client.writes).toEqual([]);
  });
});

describe('object-edits helpers', () => {
  const observed = (canaryWeight: number | undefined): ObservedTraffic => ({
    canaryWeight,
    stableWeight: canaryWeight === undefined ? undefined : 100 - canaryWeight,
    headerRoutes: ['h'],
    mirrorRoutes: [],
    issues: [],
  });

  it('combineObserved reports a weight only when all objects agree', () => {
    expect(combineObserved([observed(20), observed(20)])).toMatchObject({
      canaryWeight: 20,
      stableWeight: 80,
    });
    expect(combineObserved([observed(20), observed(30)])).toMatchObject({ canaryWeight: undefined });
    expect(combineObserved([observed(20), observed(20)]).headerRoutes).toEqual(['h']);
  });

  it('conditionalReplace refuses to write without a resourceVersion', async () => {
    const client = new FakeKubeClient();
    const target = { resource: Resources.virtualServices, kind: 'VirtualService', namespace: NS, name: 'v' };
    await expect(conditionalReplace(client, target, { metadata: { name: 'v' } })()).rejects.toThrow(
      /unconditional replace/,
    );
  });

  it('httpRouteWithDefaults fills the defaults the API server adds', () => {
    const route = {
      spec: {
        rules: [{ matches: [{ headers: [{ name: 'h', value: 'v' }] }], backendRefs: [{ name: 's' }] }],
      },
    };
    expect(httpRouteWithDefaults(route).spec?.rules?.[0]).toEqual({
      matches: [{ headers: [{ type: 'Exact', name: 'h', value: 'v' }] }],
      backendRefs: [{ group: '', kind: 'Service', weight: 1, name: 's' }],
    });
  });

  it('routeIssuesMessage names the object and the path', () => {
    expect(routeIssuesMessage([issue])).toBe(
      'VirtualService "vs" spec.http[0].route[2].weight: destination "x" has weight 10',
    );
  });
});
