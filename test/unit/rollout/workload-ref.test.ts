import { describe, expect, it } from 'vitest';
import {
  type Rollout,
  resolvedWorkloadRef,
  type ScaleDownMode,
  validateRollout,
  WORKLOAD_GENERATION_ANNOTATION,
  workloadRefIssues,
} from '../../../src/api/index.js';
import type { RolloutAction, RolloutPlan } from '../../../src/rollout/core/actions.js';
import type { RolloutSnapshot } from '../../../src/rollout/core/snapshot.js';
import {
  effectiveRollout,
  type WorkloadObject,
  workloadObject,
} from '../../../src/rollout/core/workload-ref.js';
import { planWithWorkloadRef } from '../../../src/rollout/plan/workload-ref-plan.js';
import { aRollout } from './fixtures.js';
import { World } from './world.js';

const TEMPLATE = {
  metadata: { labels: { app: 'demo' } },
  spec: { containers: [{ name: 'demo', image: 'demo:v1' }] },
};

/** A Rollout taking its template and selector from Deployment `web`. */
function refRollout(scaleDown?: ScaleDownMode, replicas = 3): Rollout {
  const base = aRollout({ replicas });
  const { template: _t, selector: _s, ...spec } = base.spec;
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', ...(scaleDown ? { scaleDown } : {}) };
  return { ...base, spec: { ...spec, workloadRef: ref } };
}

/** A Deployment as the planner sees it. */
function deployment(replicas: number, generation = 1, image = 'demo:v1'): WorkloadObject {
  const template = { ...TEMPLATE, spec: { containers: [{ name: 'demo', image }] } };
  return workloadObject('Deployment', {
    metadata: { generation },
    spec: { replicas, selector: { matchLabels: { app: 'demo' } }, template },
  });
}

/** The observe step against the fake world: the effective Rollout plus the observation. */
function observe(world: World, object: WorkloadObject | undefined): RolloutSnapshot {
  const snapshot = world.snapshot();
  const ref = resolvedWorkloadRef(snapshot.rollout.spec);
  if (ref === undefined) return snapshot;
  if (object === undefined) return { ...snapshot, workload: { ref } };
  return { ...snapshot, rollout: effectiveRollout(snapshot.rollout, object), workload: { ref, object } };
}

/** One pass: plan, apply to the world; returns the plan and the Deployment after the workload actions. */
function pass(world: World, object: WorkloadObject): { plan: RolloutPlan; object: WorkloadObject } {
  const plan = planWithWorkloadRef(observe(world, object));
  world.apply(plan);
  let next = object;
  for (const action of plan.actions) {
    if (action.kind === 'scaleDeployment')
      next = { ...next, replicas: action.replicas, generation: next.generation + 1 };
    if (action.kind === 'setWorkloadGeneration') {
      const annotations = {
        ...world.rollout.metadata.annotations,
        [WORKLOAD_GENERATION_ANNOTATION]: action.generation ?? '',
      };
      world.rollout = { ...world.rollout, metadata: { ...world.rollout.metadata, annotations } };
    }
  }
  return { plan, object: next };
}

const scales = (actions: readonly RolloutAction[]) =>
  actions.flatMap((a) => (a.kind === 'scaleDeployment' ? [a.replicas] : []));

describe('workloadRefIssues', () => {
  it('accepts a Deployment, ReplicaSet or PodTemplate reference with an empty template', () => {
    expect(workloadRefIssues(refRollout('onsuccess').spec)).toEqual([]);
    expect(validateRollout(refRollout('progressively'))).toEqual([]);
  });

  it('names the field of each problem', () => {
    const spec = { ...refRollout().spec, template: TEMPLATE };
    const bad = { ...spec, workloadRef: { apiVersion: 'apps/v2', kind: 'Deployment', scaleDown: 'always' } };
    expect(workloadRefIssues(bad).map((i) => i.path)).toEqual([
      'spec.workloadRef.name',
      'spec.workloadRef.apiVersion',
      'spec.workloadRef.scaleDown',
      'spec.template',
    ]);
    const statefulSet = { ...refRollout().spec, workloadRef: { kind: 'StatefulSet', name: 'x' } };
    expect(workloadRefIssues(statefulSet)[0]?.message).toMatch(/one of Deployment, ReplicaSet, PodTemplate/);
  });

  it('requires spec.selector with a PodTemplate, which has none', () => {
    const spec = { ...refRollout().spec, workloadRef: { apiVersion: 'v1', kind: 'PodTemplate', name: 'p' } };
    expect(workloadRefIssues(spec).map((i) => i.path)).toEqual(['spec.selector']);
  });

  it('defaults scaleDown to never', () => {
    expect(resolvedWorkloadRef(refRollout().spec)?.scaleDown).toBe('never');
  });
});

describe('effectiveRollout', () => {
  it('takes the template, and the selector when the Rollout has none, and drops workloadRef', () => {
    const rollout = effectiveRollout(refRollout(), deployment(2));
    expect(rollout.spec.template).toEqual(TEMPLATE);
    expect(rollout.spec.selector).toEqual({ matchLabels: { app: 'demo' } });
    expect(rollout.spec.workloadRef).toBeUndefined();
    expect(validateRollout(rollout)).toEqual([]);
  });

  it("keeps the Rollout's own selector", () => {
    const own = { ...refRollout(), spec: { ...refRollout().spec, selector: { matchLabels: { tier: 'x' } } } };
    expect(effectiveRollout(own, deployment(2)).spec.selector).toEqual({ matchLabels: { tier: 'x' } });
  });

  it('reads a PodTemplate at .template, without selector or replicas', () => {
    const object = workloadObject('PodTemplate', { template: TEMPLATE });
    expect(object).toEqual({ generation: 0, template: TEMPLATE });
  });
});

describe('planWithWorkloadRef', () => {
  it('reports a missing workload as InvalidSpec on spec.workloadRef.name and acts on nothing', () => {
    const plan = planWithWorkloadRef(observe(new World(refRollout('onsuccess')), undefined));
    expect(plan.actions).toEqual([]);
    const condition = plan.status.conditions?.find((c) => c.type === 'InvalidSpec');
    expect(condition?.message).toBe(
      'spec.workloadRef.name: Deployment "web" not found in namespace "default"',
    );
    expect(plan.status.phase).toBe('Degraded');
  });

  it('restates a template that does not match the selector on spec.workloadRef', () => {
    const own = { ...refRollout(), spec: { ...refRollout().spec, selector: { matchLabels: { tier: 'x' } } } };
    const plan = planWithWorkloadRef(observe(new World(own), deployment(2)));
    expect(plan.actions).toEqual([]);
    const condition = plan.status.conditions?.find((c) => c.type === 'InvalidSpec');
    expect(condition?.message).toMatch(
      /^spec\.workloadRef: Deployment "web": spec\.template\.metadata\.labels/,
    );
  });

  it('records the generation in the annotation and status.workloadObservedGeneration', () => {
    const world = new World(refRollout());
    const first = pass(world, deployment(3, 4)).plan;
    expect(first.actions).toContainEqual({ kind: 'setWorkloadGeneration', generation: '4' });
    expect(first.status.workloadObservedGeneration).toBe('4');
    const again = planWithWorkloadRef(observe(world, deployment(3, 4)));
    expect(again.actions.filter((a) => a.kind === 'setWorkloadGeneration')).toEqual([]);
  });

  it('drops the annotation and the observed generation once workloadRef is removed', () => {
    const annotated = {
      ...aRollout(),
      metadata: { ...aRollout().metadata, annotations: { [WORKLOAD_GENERATION_ANNOTATION]: '2' } },
    };
    const world = new World({ ...annotated, status: { workloadObservedGeneration: '2' } });
    const plan = planWithWorkloadRef(observe(world, undefined));
    expect(plan.actions).toContainEqual({ kind: 'setWorkloadGeneration', generation: null });
    expect(plan.status.workloadObservedGeneration).toBeUndefined();
  });

  it('scaleDown never leaves the Deployment alone', () => {
    const world = new World(refRollout('never'));
    let object = deployment(3);
    for (let i = 0; i < 6; i++) object = pass(world, object).object;
    expect(world.rollout.status?.phase).toBe('Healthy');
    expect(object.replicas).toBe(3);
  });

  it('scaleDown onsuccess scales the Deployment to 0 once the Rollout is Healthy, not before', () => {
    const world = new World(refRollout('onsuccess'));
    let object = deployment(3);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = world.rollout.status?.phase;
      const step = pass(world, object);
      if (scales(step.plan.actions).length > 0) expect(step.plan.status.phase).toBe('Healthy');
      seen.push(...scales(step.plan.actions));
      object = step.object;
      if (before === 'Healthy') break;
    }
    expect(seen).toEqual([0]);
    expect(object.replicas).toBe(0);
  });

  it('scaleDown progressively hands pods over as Rollout pods become ready, then scales to 0', () => {
    const world = new World(refRollout('progressively', 4));
    world.readyDelayMs = 1000;
    let object = deployment(4);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const step = pass(world, object);
      seen.push(...scales(step.plan.actions));
      object = step.object;
      world.advance(1000);
    }
    expect(seen.at(-1)).toBe(0);
    expect(object.replicas).toBe(0);
  });

  it('scaleDown progressively: spec.replicas − ready while the Rollout is not Healthy', () => {
    const world = new World(refRollout('progressively', 4));
    world.readyDelayMs = 1_000_000;
    pass(world, deployment(4));
    const snapshot = observe(world, deployment(4));
    const replicaSets = snapshot.replicaSets.map((rs) => ({ ...rs, readyReplicas: 1, availableReplicas: 1 }));
    const partial = { ...snapshot, replicaSets };
    expect(scales(planWithWorkloadRef(partial).actions)).toEqual([3]);
  });

  it('scaleDown progressively takes pods back when the Rollout loses its ready pods', () => {
    const world = new World(refRollout('progressively', 4));
    world.readyDelayMs = 1_000_000;
    pass(world, deployment(4));
    const snapshot = observe(world, deployment(1));
    const lost = {
      ...snapshot,
      rollout: { ...snapshot.rollout, status: { ...snapshot.rollout.status, readyReplicas: 3 } },
    };
    expect(scales(planWithWorkloadRef(lost).actions)).toEqual([4]);
    expect(scales(planWithWorkloadRef(observe(world, deployment(4))).actions)).toEqual([]);
  });

  it('only scales during the first revision (a one-time migration)', () => {
    const world = new World(refRollout('onsuccess'));
    let object = deployment(3);
    for (let i = 0; i < 4; i++) object = pass(world, object).object;
    object = { ...deployment(5, object.generation + 1, 'demo:v2') };
    for (let i = 0; i < 6; i++) expect(scales(pass(world, object).plan.actions)).toEqual([]);
  });

  it('a new Deployment template starts a new revision of the Rollout', () => {
    const world = new World({
      ...refRollout(),
      spec: { ...refRollout().spec, strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } } },
    });
    for (let i = 0; i < 4; i++) pass(world, deployment(0));
    const stable = world.rollout.status?.stableRS;
    const plan = pass(world, deployment(0, 2, 'demo:v2')).plan;
    expect(plan.actions.some((a) => a.kind === 'createReplicaSet')).toBe(true);
    expect(plan.status.currentPodHash).not.toBe(stable);
    expect(plan.status.stableRS).toBe(stable);
    expect(plan.status.workloadObservedGeneration).toBe('2');
  });
});
