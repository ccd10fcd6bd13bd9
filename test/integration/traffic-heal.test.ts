import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, type RolloutObject, startEngine } from './support/rollouts.js';
import {
  createServices,
  httpRouteWeights,
  selectedHash,
  splitHttpRoute,
  splitRoute,
  type TrafficEnv,
  trafficEnvOf,
  virtualService,
  vsWeights,
} from './support/traffic.js';

const STEPS = [{ setWeight: 20 }, { pause: {} }];
const HEAL_DEADLINE_MS = 5_000;

/** A two-replica Rollout `name` paused at 20% behind `trafficRouting`, Services `<name>-stable/-canary`. */
function routedRollout(name: string, trafficRouting: object): object {
  return canaryRollout(name, `registry.example/${name}:1`, {
    replicas: 2,
    steps: STEPS,
    canary: { canaryService: `${name}-canary`, stableService: `${name}-stable`, trafficRouting },
  });
}

const pausedAtStep1 = (r: RolloutObject) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1;

describe('watch-driven self-healing of routed traffic, through the controller', () => {
  let env: EngineEnv;
  let t: TrafficEnv;
  let stableHash: string | undefined;
  let canaryHash: string | undefined;

  /** Polls `read` until it equals `want`; returns the milliseconds it took from `since`. */
  const healed = async <T>(what: string, read: () => Promise<T>, want: T, since: number) => {
    await pollUntil(async () => JSON.stringify(await read()) === JSON.stringify(want), {
      timeoutMs: HEAL_DEADLINE_MS,
      intervalMs: 50,
      description: `${what} restored to ${JSON.stringify(want)}`,
    });
    return performance.now() - since;
  };

  beforeAll(async () => {
    env = await startEngine('traffic-heal');
    t = trafficEnvOf(env);
    await createServices(t.client, t.namespace, 'mesh', ['mesh-stable', 'mesh-canary']);
    await createServices(t.client, t.namespace, 'gw', ['gw-stable', 'gw-canary']);
    const untouched = { name: 'admin', route: [{ destination: { host: 'mesh-stable' } }] };
    await t.client.create(
      Resources.virtualServices,
      t.namespace,
      virtualService('mesh', [untouched, splitRoute('primary', 'mesh-stable', 'mesh-canary')]),
    );
    await t.client.create(Resources.httpRoutes, t.namespace, splitHttpRoute('gw', 'gw-stable', 'gw-canary'));
    await env.api.create(
      routedRollout('mesh', { istio: { virtualService: { name: 'mesh', routes: ['primary'] } } }),
    );
    await env.api.create(
      routedRollout('gw', { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'gw' } } }),
    );
    for (const name of ['mesh', 'gw']) {
      const first = await env.api.waitFor(name, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
      if (name === 'mesh') stableHash = first.status?.stableRS;
      await env.api.patchSpec(name, imagePatch(`registry.example/${name}:2`));
      const paused = await env.api.waitFor(name, 'paused at 20%', pausedAtStep1);
      if (name === 'mesh') canaryHash = paused.status?.currentPodHash;
    }
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('has moved both routers to 20% and pointed the Services at their ReplicaSets', async () => {
    expect(await vsWeights(t, 'mesh', 'primary')).toEqual({ 'mesh-stable': 80, 'mesh-canary': 20 });
    expect(await httpRouteWeights(t, 'gw')).toEqual({ 'gw-stable': 80, 'gw-canary': 20 });
    expect(await selectedHash(t, 'mesh-stable')).toBe(stableHash);
    expect(await selectedHash(t, 'mesh-canary')).toBe(canaryHash);
  });

  it('restores VirtualService weights edited by hand, leaving the other route alone', async () => {
    const ops = [
      { op: 'replace' as const, path: '/spec/http/1/route/0/weight', value: 50 },
      { op: 'replace' as const, path: '/spec/http/1/route/1/weight', value: 50 },
    ];
    await t.client.patch(
      Resources.virtualServices,
      { namespace: t.namespace, name: 'mesh' },
      { type: 'json', ops },
    );
    const ms = await healed(
      'VirtualService weights',
      () => vsWeights(t, 'mesh', 'primary'),
      { 'mesh-stable': 80, 'mesh-canary': 20 },
      performance.now(),
    );
    expect(ms).toBeLessThan(HEAL_DEADLINE_MS);
    expect(await vsWeights(t, 'mesh', 'admin')).toEqual({ 'mesh-stable': 0 });
    await env.api.waitForEvents('mesh', ['TrafficWeightRestored']);
  });

  it('restores a Service selector pointed elsewhere by hand', async () => {
    const body = { spec: { selector: { app: 'mesh', 'rollouts-pod-template-hash': canaryHash } } };
    const since = performance.now();
    await t.client.patch(
      Resources.services,
      { namespace: t.namespace, name: 'mesh-stable' },
      { type: 'merge', body },
    );
    await healed('the stable Service selector', () => selectedHash(t, 'mesh-stable'), stableHash, since);
  });

  it('restores HTTPRoute weights edited by hand', async () => {
    const ops = [
      { op: 'replace' as const, path: '/spec/rules/0/backendRefs/0/weight', value: 0 },
      { op: 'replace' as const, path: '/spec/rules/0/backendRefs/1/weight', value: 100 },
    ];
    const since = performance.now();
    await t.client.patch(Resources.httpRoutes, { namespace: t.namespace, name: 'gw' }, { type: 'json', ops });
    await healed(
      'HTTPRoute weights',
      () => httpRouteWeights(t, 'gw'),
      { 'gw-stable': 80, 'gw-canary': 20 },
      since,
    );
    const r = await env.api.get('gw');
    expect(pausedAtStep1(r)).toBe(true);
  });
  it('removing trafficRouting from the spec sends all HTTPRoute traffic to stable', async () => {
    await env.api.patchSpec('gw', { strategy: { canary: { trafficRouting: null } } });
    await healed(
      'HTTPRoute weights',
      () => httpRouteWeights(t, 'gw'),
      { 'gw-stable': 100, 'gw-canary': 0 },
      0,
    );
  });

  it('deleting the Rollout restores 100% stable and the selectors the user wrote', async () => {
    await env.api.delete('mesh');
    const stableOnly = { 'mesh-stable': 100, 'mesh-canary': 0 };
    await healed('VirtualService weights', () => vsWeights(t, 'mesh', 'primary'), stableOnly, 0);
    for (const service of ['mesh-stable', 'mesh-canary']) {
      await healed(`${service} selector`, () => selectedHash(t, service), undefined, 0);
    }
    expect(await vsWeights(t, 'mesh', 'admin')).toEqual({ 'mesh-stable': 0 });
  });
});
