import { describe, expect, it } from 'vitest';
import type { CanaryStep } from '../../../src/api/index.js';
import type { ExperimentView } from '../../../src/rollout/core/snapshot.js';
import { aRollout, ISTIO } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { abort, promoteFull } from './user-commands.js';
import { converge, type World } from './world.js';

const experimentStep: CanaryStep = {
  experiment: {
    duration: '10m',
    templates: [
      { name: 'baseline', specRef: 'stable', weight: 10 },
      { name: 'canary', specRef: 'canary', weight: 5 },
    ],
    analyses: [
      {
        name: 'compare',
        templateName: 'compare',
        args: [
          { name: 'stable', valueFrom: { podTemplateHashValue: 'Stable' } },
          { name: 'canary', valueFrom: { podTemplateHashValue: 'Latest' } },
        ],
      },
    ],
  },
};
const steps: CanaryStep[] = [{ setWeight: 20 }, experimentStep, { setWeight: 60 }, { pause: {} }];

function updated(): { world: World; stable: string; canary: string } {
  const world = deployed(aRollout({ steps, trafficRouting: ISTIO }));
  const hashes = update(world, 'demo:v2');
  converge(world, allInvariants(world));
  return { world, ...hashes };
}

const current = (world: World) => world.rollout.status?.canary?.currentExperiment;

/** Plays the Experiment controller: sets the phase (and, once Running, the template Services). */
function setPhase(world: World, name: string, phase: string, message?: string): void {
  const experiment = world.experiments.get(name) as ExperimentView;
  const templateStatuses =
    phase === 'Running'
      ? [
          { name: 'baseline', serviceName: `${name}-baseline`, podTemplateHash: 'b1' },
          { name: 'canary', serviceName: `${name}-canary`, podTemplateHash: 'c1' },
        ]
      : experiment.templateStatuses;
  world.experiments.set(name, { ...experiment, phase, templateStatuses, ...(message ? { message } : {}) });
  converge(world, allInvariants(world));
}

describe('experiment step (planner)', () => {
  it('creates the Experiment as Argo names and labels it, and waits on the step', () => {
    const { world, stable, canary } = updated();
    const name = `demo-${canary}-2-1`;
    expect(current(world)).toBe(name);
    expect(world.rollout.status?.currentStepIndex).toBe(1);
    expect(world.experiments.get(name)?.labels).toEqual({ 'rollouts-pod-template-hash': canary });
    expect(world.events).toContain(`Normal ExperimentCreated: Created Experiment '${name}'`);
    expect(world.traffic).toMatchObject({ canaryWeight: 20, stableWeight: 80, stableHash: stable });
    expect(world.traffic?.experimentWeights ?? []).toEqual([]);
  });

  it('routes the template weights while Running, from the stable share, and records them', () => {
    const { world } = updated();
    const name = current(world) ?? '';
    setPhase(world, name, 'Running');
    expect(world.traffic).toMatchObject({ canaryWeight: 20, stableWeight: 65 });
    expect(world.traffic?.experimentWeights).toEqual([
      { serviceName: `${name}-baseline`, podTemplateHash: 'b1', weight: 10 },
      { serviceName: `${name}-canary`, podTemplateHash: 'c1', weight: 5 },
    ]);
    expect(world.rollout.status?.canary?.weights?.stable.weight).toBe(65);
    expect(world.rollout.status?.canary?.weights?.additional).toEqual([
      { serviceName: `${name}-baseline`, podTemplateHash: 'b1', weight: 10 },
      { serviceName: `${name}-canary`, podTemplateHash: 'c1', weight: 5 },
    ]);
  });

  it('advances when the Experiment succeeds: weights removed, currentExperiment cleared', () => {
    const { world } = updated();
    const name = current(world) ?? '';
    setPhase(world, name, 'Running');
    setPhase(world, name, 'Successful');
    expect(world.rollout.status?.currentStepIndex).toBe(3);
    expect(current(world)).toBeUndefined();
    expect(world.traffic).toMatchObject({ canaryWeight: 60, stableWeight: 40 });
    expect(world.traffic?.experimentWeights ?? []).toEqual([]);
    expect(world.rollout.status?.canary?.weights?.additional).toBeUndefined();
    expect(world.experiments.get(name)?.terminate).toBeUndefined();
  });

  it('aborts when the Experiment fails, with its message, and sends all traffic to stable', () => {
    const { world, stable } = updated();
    const name = current(world) ?? '';
    setPhase(world, name, 'Running');
    setPhase(world, name, 'Failed', 'Metric "error-rate" assessed Failed');
    expect(world.rollout.status?.abort).toBe(true);
    expect(world.rollout.status?.message).toContain('Metric "error-rate" assessed Failed');
    expect(world.traffic).toMatchObject({ canaryWeight: 0, stableWeight: 100, stableHash: stable });
    expect(world.traffic?.experimentWeights ?? []).toEqual([]);
    expect(current(world)).toBeUndefined();
  });

  it('pauses on an Inconclusive Experiment', () => {
    const { world } = updated();
    setPhase(world, current(world) ?? '', 'Inconclusive');
    const reasons = (world.rollout.status?.pauseConditions ?? []).map((c) => c.reason);
    expect(reasons).toContain('InconclusiveExperiment');
    expect(world.rollout.status?.currentStepIndex).toBe(1);
  });

  it('terminates the running Experiment on a user abort and on promote-full', () => {
    for (const command of [abort, promoteFull]) {
      const { world } = updated();
      const name = current(world) ?? '';
      setPhase(world, name, 'Running');
      world.rollout = command(world.rollout);
      converge(world, allInvariants(world));
      expect(world.experiments.get(name)?.terminate).toBe(true);
      expect(world.traffic?.experimentWeights ?? []).toEqual([]);
    }
  });

  it('terminates the old Experiment when the Rollout is updated, and starts the new revision’s', () => {
    const { world } = updated();
    const old = current(world) ?? '';
    setPhase(world, old, 'Running');
    const { canary } = update(world, 'demo:v3');
    converge(world, allInvariants(world));
    expect(world.experiments.get(old)?.terminate).toBe(true);
    expect(current(world)).toBe(`demo-${canary}-3-1`);
  });
});
