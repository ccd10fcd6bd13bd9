import type { Rollout } from '../../../src/api/index.js';
import { podTemplateHash } from '../../../src/rollout/core/pod-template-hash.js';
import { withImage } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { converge, World } from './world.js';

/** The pod-template hash the controller gives `rollout`'s current template. */
export function hashOf(rollout: Rollout): string {
  return podTemplateHash(rollout.spec.template, rollout.status?.collisionCount);
}

/** A world where `rollout` has been deployed and has converged under every invariant. */
export function deployed(rollout: Rollout): World {
  const world = new World(rollout);
  converge(world, allInvariants(world));
  return world;
}

/** Changes the Rollout's image; returns the stable hash before and the new canary hash. */
export function update(world: World, image: string): { stable: string; canary: string } {
  const stable = world.rollout.status?.stableRS ?? '';
  world.rollout = withImage(world.rollout, image);
  return { stable, canary: hashOf(world.rollout) };
}
