import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { aRollout, withImage } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { hashOf } from './scenario-setup.js';
import { converge, World } from './world.js';

const STEPS = [{ setWeight: 50 }, { pause: {} }];

/**
 * A world that went v1 → v2 → v3 (each promoted by hand), `apartMs` apart, with `rollbackWindow`.
 * ReplicaSet creation times have one-second resolution, as the API server's.
 */
function threeRevisions(revisions: number, apartMs = 1000): World {
  const base = aRollout({ replicas: 4, steps: STEPS });
  const world = new World({ ...base, spec: { ...base.spec, rollbackWindow: { revisions } } });
  converge(world, allInvariants(world));
  for (const image of ['demo:v2', 'demo:v3']) {
    world.advance(apartMs);
    world.rollout = withImage(world.rollout, image);
    converge(world, allInvariants(world));
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, promoteFull: true } };
    converge(world, allInvariants(world));
  }
  return world;
}

function revertTo(world: World, image: string): Rollout {
  world.advance(1000);
  world.rollout = withImage(world.rollout, image);
  converge(world, allInvariants(world));
  return world.rollout;
}

describe('rollbackWindow (fast rollback to a recent revision)', () => {
  it('skips the steps when the older ReplicaSet is inside the window', () => {
    const world = threeRevisions(1);
    const rollout = revertTo(world, 'demo:v2');
    expect(rollout.status?.stableRS).toBe(hashOf(rollout));
    expect(world.events.some((e) => e.includes('Rollback within window'))).toBe(true);
  });

  it('orders ReplicaSets created within the same second by their revision', () => {
    const world = threeRevisions(1, 100);
    const rollout = revertTo(world, 'demo:v2');
    expect(rollout.status?.stableRS).toBe(hashOf(rollout));
    expect(world.events.some((e) => e.includes('Rollback within window'))).toBe(true);
  });

  it('walks the steps when the ReplicaSet is older than the window, also within one second', () => {
    for (const apartMs of [1000, 100]) {
      const rollout = revertTo(threeRevisions(1, apartMs), 'demo:v1');
      expect(rollout.status?.stableRS).not.toBe(hashOf(rollout));
      expect(rollout.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
    }
  });

  it('walks the steps when the ReplicaSet is older than the window', () => {
    const world = threeRevisions(1);
    const rollout = revertTo(world, 'demo:v1');
    expect(rollout.status?.stableRS).not.toBe(hashOf(rollout));
    expect(rollout.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
  });
});
