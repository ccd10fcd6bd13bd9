import { describe, expect, it } from 'vitest';
import type { CanaryStep, Rollout, TrafficRouting } from '../../../src/api/index.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { planContext, startDraft } from '../../../src/rollout/plan/context.js';
import { pingPongServicesSelect } from '../../../src/rollout/plan/ping-pong.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { trafficRefsOf } from '../../../src/rollout/reconcile/traffic-ref-index.js';
import { aRollout, ISTIO } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { hashOf, update } from './scenario-setup.js';
import { promote } from './user-commands.js';
import { converge, type Invariant, pass, World } from './world.js';

const PING = 'demo-ping';
const PONG = 'demo-pong';
const STEPS: CanaryStep[] = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];

/** An Istio (or `routing`) canary with ping/pong Services instead of canaryService/stableService. */
function pingPongRollout(routing: TrafficRouting = ISTIO, extra: object = {}): Rollout {
  const base = aRollout({ replicas: 5, trafficRouting: routing, steps: STEPS });
  const { canaryService: _c, stableService: _s, ...canary } = base.spec.strategy.canary ?? {};
  const strategy = { canary: { ...canary, ...extra, pingPong: { pingService: PING, pongService: PONG } } };
  return { ...base, spec: { ...base.spec, strategy } };
}

/**
 * After every pass: a role Service the router sends traffic to selects exactly that role's ReplicaSet,
 * which has an available pod, and the weights sum to 100.
 */
const trafficOnlyToServingServices: Invariant = (_before, plan, current) => {
  const world = current.clone();
  world.apply(plan);
  const t = world.traffic;
  if (t === undefined) return;
  expect(t.canaryWeight + t.stableWeight).toBe(100);
  const services = (t as { services?: { canaryService?: string; stableService?: string } }).services;
  const roles = [
    [t.canaryWeight, services?.canaryService, t.canaryHash],
    [t.stableWeight, services?.stableService, t.stableHash],
  ] as const;
  for (const [weight, service, hash] of roles) {
    if (weight === 0 || world.rollout.status?.abort) continue;
    expect(service, 'a role Service is named').toBeDefined();
    expect(world.services.get(service ?? ''), `${service} selects ${hash}`).toBe(hash);
    expect(world.rs(hash)?.availableReplicas ?? 0).toBeGreaterThan(0);
  }
};

const checks = (world: World) => [...allInvariants(world), trafficOnlyToServingServices];
const side = (world: World) => world.rollout.status?.canary?.stablePingPong;

function deployedPingPong(rollout = pingPongRollout()): World {
  const world = new World(rollout);
  world.services.set(PING, undefined);
  world.services.set(PONG, undefined);
  converge(world, checks(world));
  return world;
}

/** Resumes every pause (as `kubectl vireo promote`) until the update is promoted. */
function promoteAll(world: World): void {
  for (let i = 0; i < 10 && world.rollout.status?.stableRS !== hashOf(world.rollout); i++) {
    converge(world, checks(world));
    world.rollout = promote(world.rollout);
  }
  converge(world, checks(world));
}

describe('canary pingPong planner', () => {
  it('first deploy: ping becomes stable and both Services select the only ReplicaSet', () => {
    const world = deployedPingPong();
    const v1 = hashOf(world.rollout);
    expect(side(world)).toBe('ping');
    expect(world.services.get(PING)).toBe(v1);
    expect(world.services.get(PONG)).toBe(v1);
    expect(world.traffic).toMatchObject({ canaryWeight: 0, stableWeight: 100, stableHash: v1 });
    expect(world.traffic).toMatchObject({ services: { stableService: PING, canaryService: PONG } });
  });

  it('two releases swap the roles ping → pong → ping without moving traffic at promotion', () => {
    const world = deployedPingPong();
    const { stable: v1, canary: v2 } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.services.get(PONG)).toBe(v2);
    expect(world.services.get(PING)).toBe(v1);
    expect(world.traffic).toMatchObject({ canaryWeight: 20, canaryHash: v2, stableHash: v1 });
    expect(world.rollout.status?.canary?.weights?.canary.serviceName).toBe(PONG);
    promoteAll(world);
    expect(side(world)).toBe('pong');
    expect(world.traffic).toMatchObject({ canaryWeight: 0, stableWeight: 100, stableHash: v2 });
    expect(world.traffic).toMatchObject({ services: { stableService: PONG, canaryService: PING } });
    expect(world.services.get(PONG)).toBe(v2);
    expect(world.services.get(PING)).toBe(v2);
    expect(world.events.filter((e) => e.includes('RolloutCompleted'))).toHaveLength(2);

    const { canary: v3 } = update(world, 'demo:v3');
    converge(world, checks(world));
    expect(world.services.get(PING)).toBe(v3);
    expect(world.traffic).toMatchObject({ canaryWeight: 20, services: { canaryService: PING } });
    promoteAll(world);
    expect(side(world)).toBe('ping');
    expect(world.services.get(PING)).toBe(v3);
    expect(world.traffic).toMatchObject({
      stableWeight: 100,
      stableHash: v3,
      services: { stableService: PING },
    });
  });

  it('the pass that promotes flips the side; the next one moves no weight', () => {
    const world = deployedPingPong(pingPongRollout(ISTIO, { steps: [{ setWeight: 50 }] }));
    const { canary: v2 } = update(world, 'demo:v2');
    for (let i = 0; i < 20 && side(world) === 'ping'; i++) pass(world, checks(world));
    expect(side(world)).toBe('pong');
    expect(world.rollout.status?.stableRS).toBe(v2);
    const before = structuredClone(world.traffic);
    expect(before).toMatchObject({ canaryWeight: 100, canaryHash: v2, services: { canaryService: PONG } });
    const next = pass(world, checks(world));
    const traffic = next.actions.find((a) => a.kind === 'applyTraffic');
    expect(traffic).toMatchObject({ canaryWeight: 0, stableWeight: 100, stableHash: v2 });
    expect(traffic).toMatchObject({ services: { stableService: PONG, canaryService: PING } });
  });

  it('abort: traffic back to the stable Service first, then the canary Service, then the scale-down', () => {
    const world = deployedPingPong(pingPongRollout(ISTIO, { abortScaleDownDelaySeconds: 10 }));
    const { stable: v1, canary: v2 } = update(world, 'demo:v2');
    converge(world, checks(world));
    expect(world.traffic).toMatchObject({ canaryWeight: 20, canaryHash: v2 });
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, abort: true } };
    const aborting = pass(world, checks(world));
    expect(aborting.actions.find((a) => a.kind === 'applyTraffic')).toMatchObject({
      canaryWeight: 0,
      stableWeight: 100,
      services: { stableService: PING, canaryService: PONG },
    });
    expect(aborting.actions.some((a) => a.kind === 'setServiceSelector')).toBe(false);
    expect(world.services.get(PONG)).toBe(v2);
    pass(world, checks(world));
    expect(world.services.get(PONG)).toBe(v1);
    expect(world.rs(v2)?.specReplicas).toBeGreaterThan(0);
    world.advance(11_000);
    converge(world, checks(world));
    expect(world.rs(v2)?.specReplicas).toBe(0);
    expect(side(world)).toBe('ping');
    expect(world.services.get(PING)).toBe(v1);
  });

  it('heals a hand-edited stable Service selector', () => {
    const world = deployedPingPong();
    const { stable: v1 } = update(world, 'demo:v2');
    converge(world, checks(world));
    world.services.set(PING, 'someone-else');
    const plan = pass(world, checks(world));
    expect(plan.actions).toContainEqual({ kind: 'setServiceSelector', service: PING, podTemplateHash: v1 });
    expect(world.services.get(PING)).toBe(v1);
  });

  it('works the same through the Gateway API plugin', () => {
    const gateway = { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo' } } };
    const world = deployedPingPong(pingPongRollout(gateway));
    update(world, 'demo:v2');
    promoteAll(world);
    expect(side(world)).toBe('pong');
    expect(world.traffic).toMatchObject({ stableWeight: 100, services: { stableService: PONG } });
  });

  it('records the side a Rollout that gains pingPong after its first deploy already has (pong)', () => {
    const world = deployedPingPong();
    const status = { ...world.rollout.status, canary: {} };
    world.rollout = { ...world.rollout, status };
    const plan = planRollout(world.snapshot());
    expect(plan.status.canary?.stablePingPong).toBe('pong');
  });

  it('holds weight off a ping/pong Service that still selects another revision', () => {
    const world = deployedPingPong();
    const { stable: v1, canary: v2 } = update(world, 'demo:v2');
    converge(world, checks(world));
    const ctx = planContext(world.snapshot());
    const draft = startDraft(ctx);
    const weights = {
      canary: { weight: 20, podTemplateHash: v2, serviceName: PONG },
      stable: { weight: 80, podTemplateHash: v1, serviceName: PING },
    };
    expect(pingPongServicesSelect(ctx, draft, weights)).toBe(true);
    world.services.set(PONG, v1);
    const stale = planContext(world.snapshot());
    expect(pingPongServicesSelect(stale, startDraft(stale), weights)).toBe(false);
  });
});

describe('traffic references with pingPong', () => {
  it('the reference index knows the ping and pong Services (drift healing)', () => {
    const refs = trafficRefsOf(pingPongRollout() as unknown as KubeObject);
    expect(refs.filter((r) => r.kind === 'services').map((r) => r.name)).toEqual([PING, PONG]);
  });
});
