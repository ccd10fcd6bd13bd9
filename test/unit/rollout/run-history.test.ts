import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { aRollout, ISTIO } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { converge, type World } from './world.js';

const analysisStep = { analysis: { templates: [{ templateName: 'error-rate' }] } };

function withHistoryLimits(rollout: Rollout, successful: number, unsuccessful: number): Rollout {
  const analysis = { successfulRunHistoryLimit: successful, unsuccessfulRunHistoryLimit: unsuccessful };
  return { ...rollout, spec: { ...rollout.spec, analysis } };
}

/** Completes the step run the Rollout tracks with `phase`, one second later, and converges. */
function finishTrackedRun(world: World, phase: string): string {
  const name = world.rollout.status?.canary?.currentStepAnalysisRunStatus?.name ?? '';
  const run = world.analysisRuns.get(name);
  if (run === undefined) throw new Error('no tracked step run');
  world.advance(1000);
  world.analysisRuns.set(name, { ...run, phase });
  converge(world, allInvariants(world));
  return name;
}

function release(world: World, image: string, phases: readonly string[]): string[] {
  update(world, image);
  converge(world, allInvariants(world));
  return phases.map((phase) => finishTrackedRun(world, phase));
}

describe('AnalysisRun history limits (planned by the Rollout reconciler)', () => {
  const steps = [analysisStep, analysisStep, analysisStep];

  it('keeps the newest successful run once the Rollout tracks none, whatever pass saw each complete', () => {
    const world = deployed(withHistoryLimits(aRollout({ steps, trafficRouting: ISTIO }), 1, 1));
    const names = release(world, 'demo:v2', ['Successful', 'Successful', 'Successful']);
    expect(world.rollout.status?.stableRS).toBe(world.rollout.status?.currentPodHash);
    expect([...world.analysisRuns.keys()]).toEqual([names[2]]);
  });

  it('never deletes the run the status still tracks, nor one still running', () => {
    const world = deployed(withHistoryLimits(aRollout({ steps, trafficRouting: ISTIO }), 0, 0));
    const [first] = release(world, 'demo:v2', ['Successful']);
    const tracked = world.rollout.status?.canary?.currentStepAnalysisRunStatus?.name ?? '';
    expect(world.analysisRuns.has(first ?? '')).toBe(false);
    expect(world.analysisRuns.get(tracked)?.phase).toBe('Pending');
  });

  it('counts successful and unsuccessful runs separately, oldest deleted first', () => {
    const world = deployed(withHistoryLimits(aRollout({ steps, trafficRouting: ISTIO }), 1, 1));
    const failed = release(world, 'demo:v2', ['Failed']);
    expect(world.rollout.status?.abort).toBe(true);
    const passed = release(world, 'demo:v3', ['Successful', 'Successful', 'Successful']);
    expect([...world.analysisRuns.keys()].sort()).toEqual([failed[0], passed[2]].sort());
  });

  it('writes nothing once the history is within its limits', () => {
    const world = deployed(withHistoryLimits(aRollout({ steps, trafficRouting: ISTIO }), 1, 1));
    release(world, 'demo:v2', ['Successful', 'Successful', 'Successful']);
    const writes = world.statusWrites;
    expect(converge(world, allInvariants(world))).toBeLessThanOrEqual(1);
    expect(world.statusWrites).toBe(writes);
  });
});
