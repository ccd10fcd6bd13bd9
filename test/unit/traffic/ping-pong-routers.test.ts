import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { Resources } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createTrafficRouters } from '../../../src/traffic/create-routers.js';
import { desiredTrafficOf } from '../../../src/traffic/desired-traffic.js';
import { applyTrafficToAll } from '../../../src/traffic/router-set.js';
import { FakeKubeClient } from './fake-kube-client.js';

const NS = 'shop';
const GATEWAY = { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } };
const ISTIO = { istio: { virtualService: { name: 'web-vs', routes: ['primary'] } } };

function pingPongRollout(trafficRouting: object, stablePingPong?: 'ping' | 'pong'): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: NS, uid: 'uid-1' },
    spec: {
      strategy: { canary: { pingPong: { pingService: 'ping', pongService: 'pong' }, trafficRouting } },
    },
    ...(stablePingPong ? { status: { canary: { stablePingPong } } } : {}),
  } as unknown as Rollout;
}

const dest = (host: string, weight: number) => ({ destination: { host: `${host}.${NS}.svc` }, weight });

function seedVirtualService(client: FakeKubeClient): void {
  client.seed(Resources.virtualServices, {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'web-vs', namespace: NS },
    spec: { hosts: ['web'], http: [{ name: 'primary', route: [dest('ping', 100), dest('pong', 0)] }] },
  } as KubeObject);
}

function seedHttpRoute(client: FakeKubeClient): void {
  client.seed(Resources.httpRoutes, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web-route', namespace: NS },
    spec: {
      rules: [
        {
          backendRefs: [
            { name: 'ping', port: 80, weight: 100 },
            { name: 'pong', port: 80, weight: 0 },
          ],
        },
      ],
    },
  } as KubeObject);
}

async function vsWeights(client: FakeKubeClient): Promise<Record<string, number>> {
  type Vs = KubeObject & { spec: { http: { route: ReturnType<typeof dest>[] }[] } };
  const vs = await client.get<Vs>(Resources.virtualServices, NS, 'web-vs');
  return Object.fromEntries((vs.spec.http[0]?.route ?? []).map((d) => [d.destination.host, d.weight]));
}

async function routeWeights(client: FakeKubeClient): Promise<Record<string, number>> {
  type Route = KubeObject & { spec: { rules: { backendRefs: { name: string; weight: number }[] }[] } };
  const route = await client.get<Route>(Resources.httpRoutes, NS, 'web-route');
  return Object.fromEntries((route.spec.rules[0]?.backendRefs ?? []).map((b) => [b.name, b.weight]));
}

describe('routers with pingPong', () => {
  it('Istio: the canary weight goes to the host of the side that is not stable', async () => {
    const client = new FakeKubeClient();
    seedVirtualService(client);
    const routers = createTrafficRouters(client, pingPongRollout(ISTIO, 'ping'));
    expect((await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 30 }))).issues).toEqual([]);
    expect(await vsWeights(client)).toEqual({ 'ping.shop.svc': 70, 'pong.shop.svc': 30 });
    const swapped = createTrafficRouters(client, pingPongRollout(ISTIO, 'pong'));
    expect((await applyTrafficToAll(swapped, desiredTrafficOf({ canaryWeight: 0 }))).issues).toEqual([]);
    expect(await vsWeights(client)).toEqual({ 'ping.shop.svc': 0, 'pong.shop.svc': 100 });
  });

  it('Istio: nothing recorded yet means pong is stable (Argo)', async () => {
    const client = new FakeKubeClient();
    seedVirtualService(client);
    const routers = createTrafficRouters(client, pingPongRollout(ISTIO));
    await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 0 }));
    expect(await vsWeights(client)).toEqual({ 'ping.shop.svc': 0, 'pong.shop.svc': 100 });
  });

  it('roles given by the plan win over the recorded side', async () => {
    const client = new FakeKubeClient();
    seedVirtualService(client);
    const roles = { stableService: 'ping', canaryService: 'pong' };
    const routers = createTrafficRouters(client, pingPongRollout(ISTIO, 'pong'), roles);
    await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 10 }));
    expect(await vsWeights(client)).toEqual({ 'ping.shop.svc': 90, 'pong.shop.svc': 10 });
  });

  it('Gateway API: backendRefs ping and pong take the weights of their roles', async () => {
    const client = new FakeKubeClient();
    seedHttpRoute(client);
    const routers = createTrafficRouters(client, pingPongRollout(GATEWAY, 'ping'));
    expect((await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 40 }))).issues).toEqual([]);
    expect(await routeWeights(client)).toEqual({ ping: 60, pong: 40 });
    const observed = await routers[0]?.observe();
    expect(observed).toMatchObject({ canaryWeight: 40, stableWeight: 60 });
  });
});

describe('ALB with pingPong', () => {
  const ALB = { alb: { ingress: 'web', servicePort: 80, rootService: 'web-root' } };

  function seedIngress(client: FakeKubeClient): void {
    const backend = { service: { name: 'web-root', port: { name: 'use-annotation' } } };
    client.seed(Resources.ingresses, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: NS },
      spec: { rules: [{ http: { paths: [{ path: '/*', pathType: 'ImplementationSpecific', backend }] } }] },
    } as KubeObject);
  }

  async function actionWeights(client: FakeKubeClient): Promise<Record<string, number>> {
    const ingress = await client.get(Resources.ingresses, NS, 'web');
    const text = ingress.metadata?.annotations?.['alb.ingress.kubernetes.io/actions.web-root'] ?? '{}';
    const groups = (
      JSON.parse(text) as { ForwardConfig: { TargetGroups: { ServiceName: string; Weight: number }[] } }
    ).ForwardConfig.TargetGroups;
    return Object.fromEntries(groups.map((g) => [g.ServiceName, g.Weight]));
  }

  it('the rootService action forwards to ping and pong by their roles, and swaps with them', async () => {
    const client = new FakeKubeClient();
    seedIngress(client);
    const routers = createTrafficRouters(client, pingPongRollout(ALB, 'ping'));
    expect((await applyTrafficToAll(routers, desiredTrafficOf({ canaryWeight: 25 }))).issues).toEqual([]);
    expect(await actionWeights(client)).toEqual({ ping: 75, pong: 25 });
    const swapped = createTrafficRouters(client, pingPongRollout(ALB, 'pong'));
    expect((await applyTrafficToAll(swapped, desiredTrafficOf({ canaryWeight: 0 }))).issues).toEqual([]);
    expect(await actionWeights(client)).toEqual({ ping: 0, pong: 100 });
  });
});
