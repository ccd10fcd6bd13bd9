import { describe, expect, it } from 'vitest';
import type { CanaryStrategy, Rollout } from '../../../src/api/index.js';
import { aRollout, ISTIO } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { abort, promote } from './user-commands.js';
import { converge, type World } from './world.js';

const FAILED = `Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0): "Error Message: successCondition "result[0] < 0.05" evaluated to false (measured value [0.08])"`;
const PAUSE = { 'vireo.dev/analysis-failure-action': 'pause' };
const STEPS = [
  { setWeight: 20 },
  { analysis: { templates: [{ templateName: 'error-rate' }] } },
  { setWeight: 50 },
  { pause: {} },
];

function rollout(annotations: Record<string, string>, canary: Partial<CanaryStrategy> = {}): Rollout {
  const base = aRollout({ steps: STEPS, trafficRouting: ISTIO });
  const strategy = { canary: { ...base.spec.strategy.canary, ...canary } };
  return {
    ...base,
    metadata: { ...base.metadata, annotations },
    spec: { ...base.spec, strategy },
  };
}

function settle(world: World): void {
  converge(world, allInvariants(world));
}

function setPhase(world: World, name: string, phase: string, message?: string): void {
  const run = world.analysisRuns.get(name) ?? { name, labels: {} };
  world.analysisRuns.set(name, { ...run, phase, ...(message ? { message } : {}) });
  settle(world);
}

const stepRun = (world: World) => world.rollout.status?.canary?.currentStepAnalysisRunStatus?.name ?? '';
const condition = (world: World, type: string) =>
  world.rollout.status?.conditions?.find((c) => c.type === type);

/** Updated to v2 and at the analysis step (canary 2/10 at 20%), the step run Running. */
function atAnalysis(annotations: Record<string, string>, canary: Partial<CanaryStrategy> = {}) {
  const world = deployed(rollout(annotations, canary));
  const hashes = update(world, 'demo:v2');
  settle(world);
  expect(world.rollout.status?.currentStepIndex).toBe(1);
  setPhase(world, stepRun(world), 'Running');
  expect(world.traffic?.canaryWeight).toBe(20);
  return { world, ...hashes };
}

describe('vireo.dev/analysis-failure-action: pause', () => {
  it('a failed step analysis: traffic back to stable, canary kept at its size, Paused naming metric and value', () => {
    const { world, canary, stable } = atAnalysis(PAUSE);
    const run = stepRun(world);
    setPhase(world, run, 'Failed', FAILED);
    const status = world.rollout.status;
    expect(status?.abort).toBeUndefined();
    expect(world.traffic).toMatchObject({ canaryWeight: 0, stableWeight: 100 });
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([2, 10]);
    expect(status?.phase).toBe('Paused');
    expect(status?.message).toBe(`FailedAnalysisRun: Step-based analysis phase failed: ${FAILED}`);
    expect(status?.currentStepIndex).toBe(1);
    expect(status?.pauseConditions?.map((c) => c.reason)).toEqual(['FailedAnalysisRun']);
    expect(status?.controllerPause).toBe(true);
    expect(condition(world, 'Paused')).toMatchObject({ status: 'True', reason: 'FailedAnalysisRun' });
    expect(condition(world, 'Paused')?.message).toContain('(measured value [0.08])');
    expect(condition(world, 'Progressing')?.reason).not.toBe('RolloutAborted');
    expect(world.events.filter((e) => e.includes('PausedOnFailedAnalysis'))).toHaveLength(1);
    world.advance(120_000);
    settle(world);
    expect(world.rs(canary)?.specReplicas, 'no abortScaleDownDelay: still kept').toBe(2);
    expect(world.rs(canary)?.annotations['scale-down-deadline']).toBeUndefined();
  });

  it('promote retries the step analysis as a new run and the release continues', () => {
    const { world, canary } = atAnalysis(PAUSE);
    const failed = stepRun(world);
    setPhase(world, failed, 'Failed', FAILED);
    world.rollout = promote(world.rollout);
    settle(world);
    const retried = stepRun(world);
    expect(retried).toBe(`${failed}.1`);
    expect(world.rollout.status?.pauseConditions).toBeUndefined();
    expect(world.traffic?.canaryWeight, 'traffic back at the step weight for the retried analysis').toBe(20);
    expect(condition(world, 'Paused')).toMatchObject({ status: 'False', reason: 'RolloutPaused' });
    expect(world.events.some((e) => e.includes(`AnalysisRetried: Step analysis retried after resume`))).toBe(
      true,
    );
    setPhase(world, retried, 'Successful');
    expect(world.rollout.status?.currentStepIndex).toBe(3);
    expect(world.traffic?.canaryWeight).toBe(50);
    world.rollout = promote(world.rollout);
    settle(world);
    expect(world.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: canary });
  });

  it('a second failure after the retry pauses again', () => {
    const { world } = atAnalysis(PAUSE);
    setPhase(world, stepRun(world), 'Failed', FAILED);
    world.rollout = promote(world.rollout);
    settle(world);
    setPhase(world, stepRun(world), 'Error', 'no data');
    expect(world.rollout.status?.phase).toBe('Paused');
    expect(world.rollout.status?.message).toBe('FailedAnalysisRun: Step-based analysis phase error: no data');
    expect(world.traffic?.canaryWeight).toBe(0);
  });

  it('abort finishes it as the abort it deferred: the failed run named, canary scaled down after the delay', () => {
    const { world, canary, stable } = atAnalysis(PAUSE);
    setPhase(world, stepRun(world), 'Failed', FAILED);
    world.rollout = abort(world.rollout);
    settle(world);
    expect(world.rollout.status?.phase).toBe('Degraded');
    expect(condition(world, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'RolloutAborted',
      message: `Rollout aborted update to revision 2: Step-based analysis phase failed: ${FAILED}`,
    });
    expect(world.rollout.status?.pauseConditions).toBeUndefined();
    world.advance(30_000);
    settle(world);
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([0, 10]);
  });

  it('a failed background analysis pauses too; promote starts a new background run', () => {
    const analysis = { templates: [{ templateName: 'error-rate' }] };
    const { world, canary } = atAnalysis(PAUSE, { analysis });
    const background = world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus?.name ?? '';
    setPhase(world, background, 'Failed', FAILED);
    expect(world.rollout.status?.message).toBe(
      `FailedAnalysisRun: Background analysis phase failed: ${FAILED}`,
    );
    expect([world.traffic?.canaryWeight, world.rs(canary)?.specReplicas]).toEqual([0, 2]);
    world.rollout = promote(world.rollout);
    settle(world);
    expect(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus?.name).toBe(`${background}.1`);
    expect(world.traffic?.canaryWeight).toBe(20);
  });

  it('with dynamicStableScale: the stable is scaled back up and takes traffic as its pods become available', () => {
    const { world, canary, stable } = atAnalysis(PAUSE, { dynamicStableScale: true });
    expect(world.rs(stable)?.specReplicas).toBe(8);
    world.readyDelayMs = 5_000;
    setPhase(world, stepRun(world), 'Failed', FAILED);
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([2, 10]);
    expect(world.traffic?.canaryWeight, 'stable has 8 of 10 pods: it carries 80').toBe(20);
    expect(world.rollout.status?.message).toContain(
      'traffic returns to stable as its pods become available: stable 80% (8/10 pods available), canary 20%',
    );
    world.advance(5_000);
    settle(world);
    expect(world.traffic?.canaryWeight).toBe(0);
    expect(world.rs(canary)?.specReplicas).toBe(2);
    expect(world.rollout.status?.message).toMatch(/^FailedAnalysisRun: Step-based analysis phase failed/);
  });

  it('without the annotation a failed analysis aborts, as under Argo', () => {
    const { world } = atAnalysis({});
    setPhase(world, stepRun(world), 'Failed', FAILED);
    expect(world.rollout.status?.abort).toBe(true);
    expect(world.rollout.status?.phase).toBe('Degraded');
  });
});
