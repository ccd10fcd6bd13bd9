import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { aRollout, ISTIO } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { abort, promote } from './user-commands.js';
import { converge, type World } from './world.js';

const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];

function withBackground(rollout: Rollout, startingStep?: number): Rollout {
  const canary = rollout.spec.strategy.canary ?? {};
  const analysis = {
    templates: [{ templateName: 'error-rate' }],
    analysisRunMetadata: { labels: { team: 'shop' } },
    ...(startingStep === undefined ? {} : { startingStep }),
  };
  return { ...rollout, spec: { ...rollout.spec, strategy: { canary: { ...canary, analysis } } } };
}

function updated(startingStep?: number): { world: World; canary: string; stable: string } {
  const world = deployed(withBackground(aRollout({ steps, trafficRouting: ISTIO }), startingStep));
  const hashes = update(world, 'demo:v2');
  converge(world, allInvariants(world));
  return { world, ...hashes };
}

function setPhase(world: World, name: string, phase: string, message?: string): void {
  const run = world.analysisRuns.get(name) ?? { name, labels: {} };
  world.analysisRuns.set(name, { ...run, phase, ...(message ? { message } : {}) });
  converge(world, allInvariants(world));
}

const backgroundName = (world: World) =>
  world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus?.name ?? '';

describe('background analysis', () => {
  it('is not created on the first deploy (no stable yet)', () => {
    const world = deployed(withBackground(aRollout({ steps, trafficRouting: ISTIO })));
    expect(world.analysisRuns.size).toBe(0);
    expect(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus).toBeUndefined();
  });

  it('starts with the update, labelled as Argo does, and runs alongside the steps', () => {
    const { world, canary } = updated();
    const name = backgroundName(world);
    expect(name).toBe(`demo-${canary}-2`);
    expect(world.analysisRuns.get(name)?.labels).toEqual({
      'rollouts-pod-template-hash': canary,
      'rollout-type': 'Background',
      team: 'shop',
    });
    expect(world.rollout.status?.currentStepIndex).toBe(1);
    setPhase(world, name, 'Running');
    expect(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus).toEqual({
      name,
      status: 'Running',
    });
  });

  it('waits for startingStep', () => {
    const { world } = updated(2);
    expect(world.analysisRuns.size).toBe(0);
    world.rollout = promote(world.rollout);
    converge(world, allInvariants(world));
    expect(world.rollout.status?.currentStepIndex).toBe(3);
    expect(backgroundName(world)).not.toBe('');
  });

  it('a Failed run aborts mid-steps with the cause, traffic back to stable, run forgotten', () => {
    const { world, canary, stable } = updated();
    const name = backgroundName(world);
    setPhase(world, name, 'Failed', 'Metric "error-rate" assessed Failed');
    expect(world.rollout.status?.message).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase failed: Metric "error-rate" assessed Failed',
    );
    expect(world.traffic?.canaryWeight).toBe(0);
    expect(world.rs(canary)?.specReplicas, 'canary kept for abortScaleDownDelaySeconds').toBeGreaterThan(0);
    world.advance(30_000);
    converge(world, allInvariants(world));
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([0, 10]);
    expect(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus).toBeUndefined();
  });

  it('retry after a failure starts a fresh run', () => {
    const { world } = updated();
    const name = backgroundName(world);
    setPhase(world, name, 'Error', 'no data');
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, abort: false } };
    converge(world, allInvariants(world));
    expect(backgroundName(world)).toBe(`${name}.1`);
  });

  it('Inconclusive pauses once; a resume is not undone by the same run', () => {
    const { world } = updated();
    world.rollout = promote(world.rollout);
    converge(world, allInvariants(world));
    const name = backgroundName(world);
    setPhase(world, name, 'Inconclusive');
    expect(world.rollout.status?.pauseConditions?.map((c) => c.reason)).toContain('InconclusiveAnalysisRun');
    world.rollout = promote(world.rollout);
    converge(world, allInvariants(world));
    expect(world.rollout.status?.pauseConditions?.map((c) => c.reason) ?? []).not.toContain(
      'InconclusiveAnalysisRun',
    );
  });

  it('is terminated when the rollout completes', () => {
    const { world } = updated();
    const name = backgroundName(world);
    setPhase(world, name, 'Running');
    for (let i = 0; i < 3 && world.rollout.status?.phase !== 'Healthy'; i++) {
      world.rollout = promote(world.rollout);
      converge(world, allInvariants(world));
    }
    expect(world.rollout.status?.phase).toBe('Healthy');
    expect(world.analysisRuns.get(name)?.terminate).toBe(true);
    expect(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus).toBeUndefined();
  });

  it('is terminated on a user abort', () => {
    const { world } = updated();
    const name = backgroundName(world);
    setPhase(world, name, 'Running');
    world.rollout = abort(world.rollout);
    converge(world, allInvariants(world));
    expect(world.analysisRuns.get(name)?.terminate).toBe(true);
  });
});
