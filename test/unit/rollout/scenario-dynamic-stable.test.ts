import { describe, expect, it } from 'vitest';
import type { CanaryStrategy, Rollout } from '../../../src/api/index.js';
import { trafficWeightToReplicas } from '../../../src/rollout/core/replica-counts.js';
import { aRollout, ISTIO, type RolloutOptions } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { abort, promote, promoteFull } from './user-commands.js';
import { converge, type Invariant, pass, type World } from './world.js';

const STEPS = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 80 },
  { pause: {} },
];

/** A traffic-routed canary Rollout with extra `spec.strategy.canary` fields. */
function routedRollout(extra: Partial<CanaryStrategy>, options: RolloutOptions = {}): Rollout {
  const base = aRollout({ steps: STEPS, trafficRouting: ISTIO, ...options });
  const canary = { ...base.spec.strategy.canary, ...extra };
  return { ...base, spec: { ...base.spec, strategy: { canary } } };
}

/**
 * At every observation: the stable share the router carries has the stable's available pods behind it, and
 * a canary share has at least one available canary pod.
 */
const trafficAlwaysServed: Invariant = (before, _plan, world) => {
  const t = world.traffic;
  if (t === undefined) return;
  const replicas = before.rollout.spec.replicas ?? 1;
  const stable = before.replicaSets.find((rs) => rs.podTemplateHash === t.stableHash);
  const canary = before.replicaSets.find((rs) => rs.podTemplateHash === t.canaryHash);
  expect(stable?.availableReplicas ?? 0, `stable share ${t.stableWeight}`).toBeGreaterThanOrEqual(
    trafficWeightToReplicas(replicas, t.stableWeight),
  );
  if (t.canaryWeight > 0) expect(canary?.availableReplicas ?? 0).toBeGreaterThan(0);
};

function counts(world: World, stable: string, canary: string): [number, number, number] {
  return [
    world.rs(canary)?.specReplicas ?? 0,
    world.rs(stable)?.specReplicas ?? 0,
    world.traffic?.canaryWeight ?? 0,
  ];
}

/** Converges pass by pass, recording the router's canary weight after every pass. */
function walk(world: World, inv: Invariant[]): number[] {
  const seen: number[] = [];
  for (let n = 0; n < 60; n++) {
    const plan = pass(world, inv);
    seen.push(world.traffic?.canaryWeight ?? 0);
    if (plan.actions.length === 0) return seen;
  }
  throw new Error('did not settle');
}

describe('dynamicStableScale', () => {
  it('scales the stable down as the canary weight rises: counts and weight at each step', () => {
    const world = deployed(routedRollout({ dynamicStableScale: true }));
    const inv = [...allInvariants(world), trafficAlwaysServed];
    const { stable, canary } = update(world, 'demo:v2');
    world.readyDelayMs = 2_000;
    const rows: [number, number, number][] = [];
    for (let step = 0; step < 3; step++) {
      if (step > 0) world.rollout = promote(world.rollout);
      for (let i = 0; i < 6; i++) {
        converge(world, inv);
        world.advance(2_000);
      }
      rows.push(counts(world, stable, canary));
    }
    expect(rows).toEqual([
      [2, 8, 20],
      [5, 5, 50],
      [8, 2, 80],
    ]);
    world.rollout = promote(world.rollout);
    for (let i = 0; i < 6; i++) {
      converge(world, inv);
      world.advance(2_000);
    }
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([10, 0]);
    expect(world.rollout.status?.phase).toBe('Healthy');
  });

  it('abort steps the weight down through the setWeights in reverse as stable pods become available', () => {
    const world = deployed(routedRollout({ dynamicStableScale: true }));
    const inv = [...allInvariants(world), trafficAlwaysServed];
    const { stable, canary } = update(world, 'demo:v2');
    for (let i = 0; i < 2; i++) {
      converge(world, inv);
      world.rollout = promote(world.rollout);
    }
    converge(world, inv);
    expect(counts(world, stable, canary)).toEqual([8, 2, 80]);
    world.services.set('demo-canary', canary);
    world.services.set('demo-stable', stable);
    const canaryServiceFollowsWeight: Invariant = (_before, _plan, w) => {
      if ((w.traffic?.canaryWeight ?? 0) > 0) expect(w.services.get('demo-canary')).toBe(canary);
    };
    inv.push(canaryServiceFollowsWeight);
    world.rollout = abort(world.rollout);
    const weights = walk(world, inv);
    expect(weights.filter((w, i) => w !== (weights[i - 1] ?? 80))).toEqual([50, 20, 0]);
    converge(world, inv);
    expect(counts(world, stable, canary)).toEqual([0, 10, 0]);
    expect(world.services.get('demo-canary')).toBe(stable);
    expect(world.rollout.status?.phase).toBe('Degraded');
  });

  it('promoteFull moves traffic with the canary’s available pods, then drops the old stable at once', () => {
    const world = deployed(routedRollout({ dynamicStableScale: true }));
    const inv = [...allInvariants(world), trafficAlwaysServed];
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.readyDelayMs = 1_000;
    world.rollout = promoteFull(world.rollout);
    const weights: number[] = [];
    for (let i = 0; i < 10; i++) {
      converge(world, inv);
      weights.push(world.traffic?.canaryWeight ?? 0);
      world.advance(1_000);
    }
    expect(weights).toContain(20);
    expect(world.rollout.status?.stableRS).toBe(canary);
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([10, 0]);
  });

  it('with an explicit abortScaleDownDelaySeconds keeps the canary whole until the stable is back, then waits', () => {
    const world = deployed(routedRollout({ dynamicStableScale: true, abortScaleDownDelaySeconds: 10 }));
    const inv = [...allInvariants(world), trafficAlwaysServed];
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = promote(world.rollout);
    converge(world, inv);
    world.rollout = abort(world.rollout);
    converge(world, inv);
    expect(counts(world, stable, canary)).toEqual([5, 10, 0]);
    world.advance(10_000);
    converge(world, inv);
    expect(counts(world, stable, canary)).toEqual([0, 10, 0]);
  });
});
