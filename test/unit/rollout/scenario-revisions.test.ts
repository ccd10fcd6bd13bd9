import { describe, expect, it } from 'vitest';
import { aRollout } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { pause, promote } from './user-commands.js';
import { converge, type World } from './world.js';

describe('analysis step', () => {
  const steps = [
    { setWeight: 20 },
    { analysis: { templates: [{ templateName: 'error-rate' }] } },
    { setWeight: 60 },
  ];

  function atAnalysis(): { world: World; run: string; canary: string; stable: string } {
    const world = deployed(aRollout({ steps }));
    const hashes = update(world, 'demo:v2');
    converge(world, allInvariants(world));
    const run = world.rollout.status?.canary?.currentStepAnalysisRunStatus?.name ?? '';
    return { world, run, ...hashes };
  }

  it('creates the step run and waits for it, then continues on Successful', () => {
    const { world, run, canary } = atAnalysis();
    expect(run).toBe(`demo-${canary}-2-1`);
    expect(world.analysisRuns.get(run)?.labels).toMatchObject({
      'rollout-type': 'Step',
      'step-index': '1',
      'rollouts-pod-template-hash': canary,
    });
    expect(world.rollout.status?.currentStepIndex).toBe(1);
    world.analysisRuns.set(run, {
      ...(world.analysisRuns.get(run) ?? { name: run, labels: {} }),
      phase: 'Successful',
    });
    converge(world, allInvariants(world));
    expect(world.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: canary });
    expect(world.rollout.status?.canary).toBeUndefined();
  });

  it('aborts on Failed with the analysis cause; retry creates a fresh run', () => {
    const { world, run, canary, stable } = atAnalysis();
    world.analysisRuns.set(run, {
      ...(world.analysisRuns.get(run) ?? { name: run, labels: {} }),
      phase: 'Failed',
      message: 'error-rate too high',
    });
    converge(world, allInvariants(world));
    expect(world.rollout.status?.message).toBe(
      'RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase failed: error-rate too high',
    );
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([0, 10]);
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, abort: false } };
    converge(world, allInvariants(world));
    expect(world.rollout.status?.canary?.currentStepAnalysisRunStatus?.name).toBe(`${run}.1`);
  });

  it('pauses on Inconclusive until promoted', () => {
    const { world, run } = atAnalysis();
    world.analysisRuns.set(run, {
      ...(world.analysisRuns.get(run) ?? { name: run, labels: {} }),
      phase: 'Inconclusive',
    });
    converge(world, allInvariants(world));
    expect(world.rollout.status).toMatchObject({ phase: 'Paused', message: 'InconclusiveAnalysisRun' });
    world.rollout = promote(world.rollout);
    converge(world, allInvariants(world));
    expect(world.rollout.status?.phase).toBe('Healthy');
  });
});

describe('revisions', () => {
  const steps = [{ setWeight: 50 }, { pause: {} }];

  it('returns to the stable template at once (fast rollback), draining the canary', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const original = world.rollout.spec.template;
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, template: original } };
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({
      phase: 'Healthy',
      stableRS: stable,
      currentPodHash: stable,
      currentStepIndex: 2,
    });
    expect(world.rs(canary)?.specReplicas).toBe(0);
    expect(world.events.some((e) => e.includes('SkipSteps'))).toBe(true);
  });

  it('undo to an older revision bumps its revision and runs the steps', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const v1 = world.rollout.spec.template;
    const first = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = promote(world.rollout);
    converge(world, inv);
    expect(world.rollout.status?.stableRS).toBe(first.canary);
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, template: v1 } };
    converge(world, inv);
    expect(world.rs(first.stable)?.annotations['rollout.argoproj.io/revision']).toBe('3');
    expect(world.rollout.status).toMatchObject({ currentStepIndex: 1, phase: 'Paused' });
    expect(world.rs(first.stable)?.specReplicas).toBe(5);
  });

  it('puts back a ReplicaSet scaled by hand', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    const rs = world.replicaSets.get(`demo-${stable}`);
    if (rs) rs.view = { ...rs.view, specReplicas: 1 };
    converge(world, inv);
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([5, 5]);
  });

  it('spec.paused halts scaling and steps; unpausing continues', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    world.rollout = pause(world.rollout);
    const { canary } = update(world, 'demo:v2');
    converge(world, inv);
    expect(world.rs(canary)).toBeUndefined();
    expect(world.rollout.status).toMatchObject({ phase: 'Paused', message: 'manually paused' });
    world.rollout = promote(world.rollout);
    converge(world, inv);
    expect(world.rs(canary)?.specReplicas).toBe(5);
  });
});
