import { describe, expect, it } from 'vitest';
import type { CanaryStrategy, Rollout } from '../../../src/api/index.js';
import { capacityRollbackWeight } from '../../../src/rollout/core/dynamic-stable-scale.js';
import { trafficWeightToReplicas } from '../../../src/rollout/core/replica-counts.js';
import { aRollout, ISTIO } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { abort } from './user-commands.js';
import { converge, type Invariant, pass, type World } from './world.js';

const CAPACITY = { 'vireo.dev/capacity-aware-rollback': 'true' };
const STEPS = [{ setWeight: 75 }, { pause: {} }, { setWeight: 100 }, { pause: {} }];

function rollout(annotations: Record<string, string>, canary: Partial<CanaryStrategy>): Rollout {
  const base = aRollout({ steps: STEPS, trafficRouting: ISTIO });
  const strategy = { canary: { ...base.spec.strategy.canary, ...canary } };
  return { ...base, metadata: { ...base.metadata, annotations }, spec: { ...base.spec, strategy } };
}

/** The stable's router share always has its available pods behind it (checked after every pass). */
const stableNeverOverloaded: Invariant = (before, _plan, world) => {
  const t = world.traffic;
  if (t === undefined) return;
  const stable = before.replicaSets.find((rs) => rs.podTemplateHash === t.stableHash);
  const replicas = before.rollout.spec.replicas ?? 1;
  const previous = before.traffic?.stableWeight ?? 0;
  if (t.stableWeight <= previous) return;
  expect(stable?.availableReplicas ?? 0, `stable share ${t.stableWeight}`).toBeGreaterThanOrEqual(
    trafficWeightToReplicas(replicas, t.stableWeight),
  );
};

/** Stable at 25% (dynamicStableScale, canary at 75%), stable pods take `readyMs` to become available. */
function atSeventyFive(annotations: Record<string, string>, readyMs: number) {
  const world = deployed(rollout(annotations, { dynamicStableScale: true }));
  const inv = [...allInvariants(world), stableNeverOverloaded];
  const hashes = update(world, 'demo:v2');
  converge(world, inv);
  expect([world.rs(hashes.canary)?.specReplicas, world.rs(hashes.stable)?.specReplicas]).toEqual([8, 3]);
  expect(world.traffic?.canaryWeight).toBe(75);
  world.readyDelayMs = readyMs;
  return { world, inv, ...hashes };
}

/** Aborts, then lets the stable's pods become available one at a time; the router's canary weight after each. */
function abortPodByPod(world: World, inv: Invariant[], stable: string): number[] {
  world.rollout = abort(world.rollout);
  world.holdAvailable(stable, 3);
  const seen: number[] = [];
  for (let available = 3; available <= 10; available++) {
    world.holdAvailable(stable, available);
    converge(world, inv);
    seen.push(world.traffic?.canaryWeight ?? 0);
  }
  return seen;
}

describe('capacityRollbackWeight', () => {
  it.each([
    [10, 10, 75, 0],
    [10, 4, 75, 60],
    [10, 2, 75, 75],
    [10, 0, 75, 75],
    [3, 1, 100, 67],
    [10, 10, 0, 0],
  ])('replicas %i, stable available %i, canary at %i → canary %i', (replicas, available, current, out) => {
    expect(capacityRollbackWeight({ replicas, maxWeight: 100, stableAvailable: available, current })).toBe(
      out,
    );
  });
});

describe('vireo.dev/capacity-aware-rollback', () => {
  it('abort with stable at 25%: the stable is scaled to full at once and takes traffic pod by pod', () => {
    const { world, inv, canary, stable } = atSeventyFive(CAPACITY, 1_000);
    const weights = abortPodByPod(world, inv, stable);
    expect(weights).toEqual([70, 60, 50, 40, 30, 20, 10, 0]);
    expect(world.rs(stable)?.specReplicas).toBe(10);
    world.neverReady.delete(stable);
    world.advance(30_000);
    converge(world, inv);
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([0, 10]);
  });

  it('says so in the status message while the paced return is under way', () => {
    const { world, inv } = atSeventyFive(CAPACITY, 5_000);
    world.rollout = abort(world.rollout);
    converge(world, inv);
    expect(world.rollout.status?.message).toMatch(
      /traffic returns to stable as its pods become available: stable 30% \(3\/10 pods available\), canary 70%/,
    );
    world.advance(5_000);
    converge(world, inv);
    expect(world.traffic?.canaryWeight).toBe(0);
    expect(world.rollout.status?.message).not.toMatch(/traffic returns/);
  });

  it('moves all traffic at once when stable already has the pods for it', () => {
    const base = deployed(rollout(CAPACITY, {}));
    const inv = allInvariants(base);
    update(base, 'demo:v2');
    converge(base, inv);
    base.rollout = abort(base.rollout);
    pass(base, inv);
    expect(base.traffic?.canaryWeight).toBe(0);
  });

  it('a stable that lost pods (no dynamicStableScale): paced with the annotation, all at once without', () => {
    const paced: number[][] = [];
    for (const annotations of [CAPACITY, {}]) {
      const world = deployed(rollout(annotations, {}));
      const inv = allInvariants(world);
      const { stable } = update(world, 'demo:v2');
      converge(world, inv);
      expect(world.traffic?.canaryWeight).toBe(75);
      paced.push(abortPodByPod(world, inv, stable));
    }
    expect(paced).toEqual([
      [70, 60, 50, 40, 30, 20, 10, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });
});
