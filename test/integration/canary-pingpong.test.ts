import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { Resources } from '../../src/kube/client.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import {
  type PingPongObservation,
  type PingPongScene,
  pingPongCanary,
  sideOf,
  waitServing,
} from './support/ping-pong.js';
import { type EngineEnv, hashOf, specReplicas, startEngine } from './support/rollouts.js';
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

const STEPS = [{ setWeight: 30 }, { pause: {} }];
const GATEWAY_API = 'argoproj-labs/gatewayAPI';

describe('canary pingPong through the controller (Istio VirtualService and Gateway API HTTPRoute)', () => {
  let env: EngineEnv;
  let t: TrafficEnv;

  /** The scene of Rollout `name`: Services `<name>-ping`/`<name>-pong`, weights read from its route. */
  const scene = (name: string, kind: 'istio' | 'gateway'): PingPongScene => ({
    env,
    traffic: t,
    rollout: name,
    services: [`${name}-ping`, `${name}-pong`],
    readWeights: () =>
      kind === 'istio' ? vsWeights(t, `${name}-vs`, 'primary') : httpRouteWeights(t, `${name}-route`),
  });

  /** Services, the route (ping 100 / pong 0, as a user starts it) and the Rollout at image `:1`. */
  async function createApp(name: string, kind: 'istio' | 'gateway', extra: object = {}): Promise<void> {
    const [ping, pong] = [`${name}-ping`, `${name}-pong`];
    await createServices(t.client, t.namespace, name, [ping, pong]);
    const routing =
      kind === 'istio'
        ? { istio: { virtualService: { name: `${name}-vs`, routes: ['primary'] } } }
        : { plugins: { [GATEWAY_API]: { httpRoute: `${name}-route` } } };
    if (kind === 'istio') {
      await t.client.create(
        Resources.virtualServices,
        t.namespace,
        virtualService(`${name}-vs`, [splitRoute('primary', ping, pong)]),
      );
    } else {
      await t.client.create(Resources.httpRoutes, t.namespace, splitHttpRoute(`${name}-route`, ping, pong));
    }
    const canary = pingPongCanary(name, routing, extra);
    await env.api.create(
      canaryRollout(name, `registry.example/${name}:1`, { replicas: 3, steps: STEPS, canary }),
    );
  }

  /** Deployed and Healthy: ping stable with all the traffic, selecting the first ReplicaSet. */
  async function firstRelease(s: PingPongScene): Promise<string> {
    const [ping] = s.services;
    const seen = await waitServing(s, `${s.rollout} v1 Healthy on ping`, (o) => {
      const stable = o.rollout.status?.stableRS;
      return (
        o.rollout.status?.phase === 'Healthy' &&
        sideOf(o) === 'ping' &&
        o.weights[ping] === 100 &&
        o.selectors[ping] === stable
      );
    });
    return seen.rollout.status?.stableRS ?? '';
  }

  /** Sets image `:<version>` and waits for the paused 30% step on the `canary` Service. */
  async function pausedAt30(s: PingPongScene, version: number, canary: string): Promise<PingPongObservation> {
    await env.api.patchSpec(s.rollout, imagePatch(`registry.example/${s.rollout}:${version}`));
    return waitServing(s, `${s.rollout} v${version} paused at 30% on ${canary}`, (o) => {
      const status = o.rollout.status;
      return (
        status?.phase === 'Paused' &&
        status.currentStepIndex === 1 &&
        o.weights[canary] === 30 &&
        o.selectors[canary] === status.currentPodHash
      );
    });
  }

  /** Resumes and waits until `hash` is stable on the `side` Service with all the traffic. */
  async function promoted(
    s: PingPongScene,
    hash: string,
    side: 'ping' | 'pong',
  ): Promise<PingPongObservation> {
    await env.api.patchStatus(s.rollout, { pauseConditions: null });
    const service = `${s.rollout}-${side}`;
    return waitServing(s, `${s.rollout} ${hash} stable on ${side}`, (o) => {
      const status = o.rollout.status;
      return (
        status?.phase === 'Healthy' &&
        status.stableRS === hash &&
        sideOf(o) === side &&
        o.weights[service] === 100 &&
        o.selectors[service] === hash
      );
    });
  }

  beforeAll(async () => {
    env = await startEngine('pingpong');
    t = trafficEnvOf(env);
    await createApp('pp', 'istio');
    await createApp('gw', 'gateway');
    await createApp('ab', 'istio', { abortScaleDownDelaySeconds: 2 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('Istio: two releases swap the stable side ping → pong → ping, traffic only on serving Services', async () => {
    const s = scene('pp', 'istio');
    const v1 = await firstRelease(s);
    const v2Paused = await pausedAt30(s, 2, 'pp-pong');
    const v2 = v2Paused.rollout.status?.currentPodHash ?? '';
    expect(v2Paused.weights).toEqual({ 'pp-ping': 70, 'pp-pong': 30 });
    expect(v2Paused.selectors).toEqual({ 'pp-ping': v1, 'pp-pong': v2 });
    expect(sideOf(v2Paused)).toBe('ping');
    const v2Stable = await promoted(s, v2, 'pong');
    expect(v2Stable.weights).toEqual({ 'pp-ping': 0, 'pp-pong': 100 });

    const v3Paused = await pausedAt30(s, 3, 'pp-ping');
    const v3 = v3Paused.rollout.status?.currentPodHash ?? '';
    expect(v3Paused.weights).toEqual({ 'pp-ping': 30, 'pp-pong': 70 });
    expect(v3Paused.selectors).toEqual({ 'pp-ping': v3, 'pp-pong': v2 });
    const v3Stable = await promoted(s, v3, 'ping');
    expect(v3Stable.weights).toEqual({ 'pp-ping': 100, 'pp-pong': 0 });
    const kinds = (await env.api.events('pp')).map((e) => e.reason);
    expect(kinds.filter((k) => k === 'RolloutCompleted').length).toBeGreaterThanOrEqual(3);
  });

  it('Gateway API: the HTTPRoute backendRefs ping and pong swap roles at promotion; a hand-edited selector heals', async () => {
    const s = scene('gw', 'gateway');
    const v1 = await firstRelease(s);
    const paused = await pausedAt30(s, 2, 'gw-pong');
    const v2 = paused.rollout.status?.currentPodHash ?? '';
    expect(paused.weights).toEqual({ 'gw-ping': 70, 'gw-pong': 30 });
    expect(paused.selectors).toEqual({ 'gw-ping': v1, 'gw-pong': v2 });
    const done = await promoted(s, v2, 'pong');
    expect(done.weights).toEqual({ 'gw-ping': 0, 'gw-pong': 100 });

    // A hand edit of the stable pong Service's selector is healed from its watch event.
    const selector = { spec: { selector: { 'rollouts-pod-template-hash': 'hand-edited' } } };
    const ref = { namespace: t.namespace, name: 'gw-pong' };
    await t.client.patch(Resources.services, ref, { type: 'merge', body: selector });
    await pollUntil(async () => (await selectedHash(t, 'gw-pong')) === v2, {
      timeoutMs: 15_000,
      intervalMs: 100,
      description: 'gw-pong selector healed',
    });
  });

  it('abort: traffic back to the stable ping first, then the pong selector, then the canary scale-down', async () => {
    const s = scene('ab', 'istio');
    const v1 = await firstRelease(s);
    const paused = await pausedAt30(s, 2, 'ab-pong');
    const v2 = paused.rollout.status?.currentPodHash ?? '';
    await env.api.patchStatus('ab', { abort: true });
    const seen: PingPongObservation[] = [];
    const done = await waitServing(s, 'ab aborted, canary scaled down', (o) => {
      seen.push(o);
      const canary = o.sets.find((rs) => hashOf(rs) === v2);
      return o.rollout.status?.phase === 'Degraded' && canary !== undefined && specReplicas(canary) === 0;
    });
    expect(done.weights).toEqual({ 'ab-ping': 100, 'ab-pong': 0 });
    expect(done.selectors).toEqual({ 'ab-ping': v1, 'ab-pong': v1 });
    expect(sideOf(done)).toBe('ping');
    const firstIndex = (p: (o: PingPongObservation) => boolean) => seen.findIndex(p);
    const trafficBack = firstIndex((o) => o.weights['ab-pong'] === 0);
    const repointed = firstIndex((o) => o.selectors['ab-pong'] === v1);
    const canaryReplicas = (o: PingPongObservation) =>
      o.sets.filter((rs) => hashOf(rs) === v2).map(specReplicas);
    const before = Math.max(...canaryReplicas(paused));
    expect(before).toBeGreaterThan(0);
    const scaledDown = firstIndex((o) => canaryReplicas(o).some((n) => n < before));
    expect(trafficBack).toBeGreaterThanOrEqual(0);
    expect(repointed).toBeGreaterThanOrEqual(trafficBack);
    expect(scaledDown).toBeGreaterThanOrEqual(repointed);
  });
});
