import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '../../src/kube/client.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, type RolloutObject, startEngine } from './support/rollouts.js';
import {
  createServices,
  splitRoute,
  type TrafficEnv,
  trafficEnvOf,
  virtualService,
  vsWeights,
} from './support/traffic.js';

const ISTIO_PATH = 'spec.strategy.canary.trafficRouting.istio';

/** A Rollout `name` routed through VirtualService `vs` route `primary`, Services `app-stable/-canary`. */
function istioRollout(name: string, vs: string, services = { canary: 'app-canary', stable: 'app-stable' }) {
  return canaryRollout(name, `registry.example/${name}:1`, {
    replicas: 2,
    steps: [{ setWeight: 20 }, { pause: {} }],
    canary: {
      canaryService: services.canary,
      stableService: services.stable,
      trafficRouting: { istio: { virtualService: { name: vs, routes: ['primary'] } } },
    },
  });
}

const degraded = (r: RolloutObject) => r.status?.phase === 'Degraded';

describe('route problems become an InvalidSpec condition, through the controller', () => {
  let env: EngineEnv;
  let t: TrafficEnv;

  /** Waits for Degraded and returns `status.message`; the Rollout created no ReplicaSet meanwhile. */
  const refusal = async (name: string): Promise<string> => {
    const r = await env.api.waitFor(name, 'Degraded', degraded);
    expect(await env.api.replicaSets(name)).toEqual([]);
    expect(r.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.status).toBe('True');
    return r.status?.message ?? '';
  };
  const createVs = (name: string, http: object[]) =>
    t.client.create(Resources.virtualServices, t.namespace, virtualService(name, http));

  beforeAll(async () => {
    env = await startEngine('route-issues');
    t = trafficEnvOf(env);
    await createServices(t.client, t.namespace, 'app', ['app-stable', 'app-canary']);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('missing VirtualService: Degraded with the path; creating it lets the Rollout deploy', async () => {
    await env.api.create(istioRollout('late', 'late'));
    expect(await refusal('late')).toBe(
      `InvalidSpec: ${ISTIO_PATH}: VirtualService "late" not found in namespace "${t.namespace}"`,
    );
    await createVs('late', [splitRoute('primary', 'app-stable', 'app-canary')]);
    const r = await env.api.waitFor('late', 'Healthy', (x) => x.status?.phase === 'Healthy');
    expect(r.status?.conditions?.some((c) => c.type === 'InvalidSpec')).toBe(false);
    expect(await vsWeights(t, 'late', 'primary')).toEqual({ 'app-stable': 100, 'app-canary': 0 });
  });

  it('missing named route', async () => {
    await createVs('noroute', [splitRoute('other', 'app-stable', 'app-canary')]);
    await env.api.create(istioRollout('noroute', 'noroute'));
    expect(await refusal('noroute')).toMatch(/VirtualService ".*\/noroute" .*primary/);
    expect(await vsWeights(t, 'noroute', 'other')).toEqual({ 'app-stable': 100, 'app-canary': 0 });
  });

  it('a route without both destinations', async () => {
    await createVs('onedest', [
      { name: 'primary', route: [{ destination: { host: 'app-stable' }, weight: 100 }] },
    ]);
    await env.api.create(istioRollout('onedest', 'onedest'));
    expect(await refusal('onedest')).toMatch(/VirtualService ".*\/onedest" spec\.http\[0\].*app-canary/);
  });

  it('a third destination with weight', async () => {
    const route = [
      { destination: { host: 'app-stable' }, weight: 90 },
      { destination: { host: 'app-canary' }, weight: 0 },
      { destination: { host: 'legacy' }, weight: 10 },
    ];
    await createVs('third', [{ name: 'primary', route }]);
    await env.api.create(istioRollout('third', 'third'));
    expect(await refusal('third')).toMatch(/VirtualService ".*\/third" spec\.http\[0\]\.route\[2\].*legacy/);
    expect(await vsWeights(t, 'third', 'primary')).toEqual({ 'app-stable': 90, 'app-canary': 0, legacy: 10 });
  });

  it('an unknown Service', async () => {
    await createVs('ghost', [splitRoute('primary', 'app-stable', 'ghost-canary')]);
    await env.api.create(istioRollout('ghost', 'ghost', { canary: 'ghost-canary', stable: 'app-stable' }));
    expect(await refusal('ghost')).toMatch(
      /^InvalidSpec: spec\.strategy\.canary\.canaryService: Invalid value: "ghost-canary": service "ghost-canary" not found/,
    );
  });

  it('mid-update: a hand-added weighted destination holds the canary and leaves traffic as written', async () => {
    // Services of its own: app-stable/app-canary are managed by the Rollout 'late' (Argo's ownership rule).
    await createServices(t.client, t.namespace, 'mid', ['mid-stable', 'mid-canary']);
    await createVs('mid', [splitRoute('primary', 'mid-stable', 'mid-canary')]);
    await env.api.create(istioRollout('mid', 'mid', { canary: 'mid-canary', stable: 'mid-stable' }));
    await env.api.waitFor('mid', 'Healthy', (r) => r.status?.phase === 'Healthy');
    await env.api.patchSpec('mid', imagePatch('registry.example/mid:2'));
    await env.api.waitFor('mid', 'paused at 20%', (r) => r.status?.phase === 'Paused');
    const ops = [
      { op: 'replace' as const, path: '/spec/http/0/route/0/weight', value: 70 },
      {
        op: 'add' as const,
        path: '/spec/http/0/route/-',
        value: { destination: { host: 'legacy' }, weight: 10 },
      },
    ];
    await t.client.patch(
      Resources.virtualServices,
      { namespace: t.namespace, name: 'mid' },
      { type: 'json', ops },
    );
    const sets = (await env.api.replicaSets('mid')).map((rs) => [rs.metadata?.name, rs.spec?.replicas]);
    await env.api.waitFor('mid', 'Degraded', degraded);
    await env.api.patchStatus('mid', { abort: true });
    expect((await env.api.get('mid')).status?.phase).toBe('Degraded');
    expect(await vsWeights(t, 'mid', 'primary')).toEqual({ 'mid-stable': 70, 'mid-canary': 20, legacy: 10 });
    expect((await env.api.replicaSets('mid')).map((rs) => [rs.metadata?.name, rs.spec?.replicas])).toEqual(
      sets,
    );
  });
});
