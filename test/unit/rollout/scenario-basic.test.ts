import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { findCondition } from '../../../src/rollout/core/conditions.js';
import { aRollout } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed as deployWorld, hashOf, update } from './scenario-setup.js';
import { abort, promote, promoteFull, retry } from './user-commands.js';
import { converge, type World } from './world.js';

const STEPS = [
  { setWeight: 20 },
  { pause: { duration: '30s' } },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 80 },
];

const deployed = (rollout: Rollout = aRollout({ steps: STEPS })): World => deployWorld(rollout);

function specs(world: World, stable: string, canary: string): [number, number] {
  return [world.rs(canary)?.specReplicas ?? 0, world.rs(stable)?.specReplicas ?? 0];
}

describe('basic canary scenario', () => {
  it('first deploy goes straight to 100% and Healthy', () => {
    const world = deployed();
    const status = world.rollout.status ?? {};
    const hash = hashOf(world.rollout);
    expect(status).toMatchObject({
      phase: 'Healthy',
      message: '',
      stableRS: hash,
      currentPodHash: hash,
      currentStepIndex: STEPS.length,
      replicas: 10,
      updatedReplicas: 10,
      availableReplicas: 10,
      HPAReplicas: 10,
      selector: 'app=demo',
      observedGeneration: '1',
    });
    expect(world.rs(hash)).toMatchObject({
      name: `demo-${hash}`,
      specReplicas: 10,
      annotations: { 'rollout.argoproj.io/revision': '1' },
    });
    expect(findCondition(status.conditions, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
    expect(findCondition(status.conditions, 'Healthy')?.status).toBe('True');
    expect(world.events.some((e) => e.includes('Initial deploy'))).toBe(true);
  });

  it('walks an update through every step to Healthy', () => {
    const world = deployed();
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    expect(specs(world, stable, canary)).toEqual([2, 8]);
    expect(world.rollout.status).toMatchObject({
      currentStepIndex: 1,
      phase: 'Paused',
      message: 'CanaryPauseStep',
      controllerPause: true,
    });
    expect(world.rs(canary)?.annotations['rollout.argoproj.io/revision']).toBe('2');

    world.advance(29_000);
    converge(world, inv);
    expect(world.rollout.status?.currentStepIndex).toBe(1);
    world.advance(1_000);
    converge(world, inv);
    expect(specs(world, stable, canary)).toEqual([5, 5]);
    expect(world.rollout.status).toMatchObject({
      currentStepIndex: 3,
      phase: 'Paused',
      message: 'CanaryPauseStep',
    });

    world.advance(3_600_000);
    converge(world, inv);
    expect(world.rollout.status?.currentStepIndex).toBe(3);

    world.rollout = promote(world.rollout);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: canary, currentStepIndex: 5 });
    expect(specs(world, stable, canary)).toEqual([10, 0]);
    expect(world.rollout.status?.pauseConditions).toBeUndefined();
    expect(world.rollout.status?.controllerPause).toBeUndefined();
    expect(world.events.filter((e) => e.includes('RolloutStepCompleted'))).toHaveLength(5);
  });

  it('aborts mid-rollout: stable restored first, canary drained, Degraded; retry resumes the steps', () => {
    const world = deployed();
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.advance(30_000);
    converge(world, inv);
    expect(specs(world, stable, canary)).toEqual([5, 5]);

    world.rollout = abort(world.rollout);
    converge(world, inv);
    const status = world.rollout.status ?? {};
    expect(specs(world, stable, canary)).toEqual([0, 10]);
    expect(status).toMatchObject({ phase: 'Degraded', abort: true, currentStepIndex: 0, stableRS: stable });
    expect(status.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
    expect(status.abortedAt).toBeDefined();
    expect(world.events.filter((e) => e.startsWith('Warning RolloutAborted'))).toHaveLength(1);

    world.rollout = retry(world.rollout);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ currentStepIndex: 1, phase: 'Paused' });
    expect(world.rollout.status?.abortedAt).toBeUndefined();
    expect(specs(world, stable, canary)).toEqual([2, 8]);
  });

  it('promote --full skips the remaining steps', () => {
    const world = deployed();
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = promoteFull(world.rollout);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: canary, currentStepIndex: 5 });
    expect(world.rollout.status?.promoteFull).toBeUndefined();
    expect(specs(world, stable, canary)).toEqual([10, 0]);
  });

  it('with pods that take 10 s to become ready, honours maxSurge/maxUnavailable at every pass, including abort', () => {
    const world = deployed();
    const inv = allInvariants(world);
    world.readyDelayMs = 10_000;
    const { stable, canary } = update(world, 'demo:v2');
    const settle = () => {
      for (let i = 0; i < 20; i++) {
        converge(world, inv);
        world.advance(10_000);
      }
      converge(world, inv);
    };
    settle();
    expect(specs(world, stable, canary)).toEqual([5, 5]);
    expect(world.rollout.status?.currentStepIndex).toBe(3);
    world.rollout = abort(world.rollout);
    settle();
    expect(specs(world, stable, canary)).toEqual([0, 10]);
    expect(world.rollout.status?.phase).toBe('Degraded');
  });
});
