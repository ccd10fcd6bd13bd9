import { describe, expect, it } from 'vitest';
import { STABLE_TEMPLATE_ANNOTATION } from '../../../src/api/index.js';
import { findCondition } from '../../../src/rollout/core/conditions.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { aRollout } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, hashOf, update } from './scenario-setup.js';
import { abort, promoteFull } from './user-commands.js';
import { converge, pass, type World } from './world.js';

const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];

describe('a stable ReplicaSet deleted by hand mid-update', () => {
  it('is recreated from the record on the canary and scaled back, never promoting the canary', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    expect(world.rs(canary)?.annotations[STABLE_TEMPLATE_ANNOTATION]).toContain(`"hash":"${stable}"`);
    world.replicaSets.delete(`demo-${stable}`);
    const first = pass(world, inv);
    expect(first.actions[0]).toMatchObject({ kind: 'createReplicaSet', name: `demo-${stable}`, replicas: 0 });
    expect(first.status.stableRS).toBe(stable);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ stableRS: stable, phase: 'Paused', currentStepIndex: 1 });
    expect([world.rs(canary)?.specReplicas, world.rs(stable)?.specReplicas]).toEqual([2, 8]);
    expect(world.rs(stable)?.annotations['rollout.argoproj.io/revision']).toBe('1');
    expect(world.events.some((e) => e.startsWith('Warning StableReplicaSetRecreated'))).toBe(true);
  });

  it('without a record holds the canary (Degraded, nothing scaled) until the user promotes fully', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    const rs = world.replicaSets.get(`demo-${canary}`);
    if (rs) rs.view = { ...rs.view, annotations: {} };
    world.replicaSets.delete(`demo-${stable}`);
    converge(world, inv);
    const status = world.rollout.status ?? {};
    expect(status).toMatchObject({ stableRS: stable, phase: 'Degraded', currentStepIndex: 1 });
    expect(status.message).toMatch(/^StableReplicaSetMissing: stable ReplicaSet "demo-\w+" was deleted/);
    expect(world.rs(canary)?.specReplicas).toBe(2);
    world.rollout = abort(world.rollout);
    converge(world, inv);
    expect(world.rs(canary)?.specReplicas).toBe(2);
    world.rollout = promoteFull(world.rollout);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ stableRS: canary, phase: 'Healthy' });
    expect(world.rs(canary)?.specReplicas).toBe(10);
  });

  it('without a record is recreated when the template goes back to the stable one', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const original = world.rollout.spec.template;
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    const rs = world.replicaSets.get(`demo-${canary}`);
    if (rs) rs.view = { ...rs.view, annotations: {} };
    world.replicaSets.delete(`demo-${stable}`);
    converge(world, inv);
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, template: original } };
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({
      stableRS: stable,
      currentPodHash: stable,
      phase: 'Healthy',
    });
    expect([world.rs(stable)?.specReplicas, world.rs(canary)?.specReplicas]).toEqual([10, 0]);
  });

  it('when fully promoted, the deleted ReplicaSet is simply recreated at full size', () => {
    const world = deployed(aRollout({ steps }));
    const stable = world.rollout.status?.stableRS ?? '';
    world.replicaSets.delete(`demo-${stable}`);
    converge(world, allInvariants(world));
    expect(world.rs(stable)?.specReplicas).toBe(10);
    expect(world.rollout.status?.phase).toBe('Healthy');
  });
});

describe('undo (an old ReplicaSet template copied back, API-defaulted, minus the hash label)', () => {
  function undoTo(world: World, hash: string): void {
    const rs = world.rs(hash);
    const template = structuredClone(rs?.template ?? {});
    const { 'rollouts-pod-template-hash': _, ...labels } = template.metadata?.labels ?? {};
    template.metadata = { ...template.metadata, labels };
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, template } };
  }

  function defaultTemplates(world: World): void {
    for (const rs of world.replicaSets.values()) {
      const t = structuredClone(rs.view.template ?? {});
      t.spec = { containers: [], ...t.spec, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' };
      rs.view = { ...rs.view, template: t };
    }
  }

  it('to the stable revision mid-update is a fast rollback to that ReplicaSet', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    defaultTemplates(world);
    undoTo(world, stable);
    expect(hashOf(world.rollout)).not.toBe(stable);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({
      currentPodHash: stable,
      stableRS: stable,
      phase: 'Healthy',
    });
    expect(world.replicaSets.size).toBe(2);
    expect(world.rs(canary)?.specReplicas).toBe(0);
  });

  it('to an older revision brings that ReplicaSet back with a new revision and runs the steps', () => {
    const world = deployed(aRollout({ steps: [{ setWeight: 50 }, { pause: {} }] }));
    const inv = allInvariants(world);
    const { stable: v1 } = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = promoteFull(world.rollout);
    converge(world, inv);
    defaultTemplates(world);
    undoTo(world, v1);
    converge(world, inv);
    expect(world.replicaSets.size).toBe(2);
    expect(world.rollout.status).toMatchObject({ currentPodHash: v1, currentStepIndex: 1, phase: 'Paused' });
    expect(world.rs(v1)?.annotations['rollout.argoproj.io/revision']).toBe('3');
  });
});

describe('restart (spec.restartAt)', () => {
  function restartAt(world: World, ms: number): void {
    const restart = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, restartAt: restart } };
  }

  it('replaces older pods at most maxUnavailable at a time, then records restartedAt', () => {
    const world = deployed(aRollout({ replicas: 4, steps }));
    const inv = allInvariants(world);
    world.readyDelayMs = 5_000;
    world.advance(60_000);
    restartAt(world, world.nowMs);
    const before = new Set([...world.pods.values()].flat().map((p) => p.uid));
    let deletes = 0;
    for (let round = 0; round < 10 && world.rollout.status?.restartedAt === undefined; round++) {
      const plan = pass(world, inv);
      const count = plan.actions.filter((a) => a.kind === 'deletePod').length;
      expect(count).toBeLessThanOrEqual(1);
      deletes += count;
      if (plan.status.restartedAt === undefined) expect(plan.status.phase).toBe('Progressing');
      expect(pass(world, inv).actions.filter((a) => a.kind === 'deletePod')).toEqual([]);
      world.advance(5_000);
    }
    expect(deletes).toBe(4);
    expect([...world.pods.values()].flat().some((p) => before.has(p.uid))).toBe(false);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({
      restartedAt: world.rollout.spec.restartAt,
      phase: 'Healthy',
    });
    expect(planRollout(world.snapshot()).actions).toEqual([]);
  });

  it('waits until restartAt when it is in the future', () => {
    const world = deployed(aRollout({ replicas: 2, steps }));
    restartAt(world, world.nowMs + 30_000);
    const plan = pass(world, allInvariants(world));
    expect(plan.actions).toEqual([]);
    expect(plan.requeueAfterMs).toBe(30_000);
  });
});

describe('promote-full', () => {
  it('skips the remaining steps and pauses, then promotes', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    const { canary } = update(world, 'demo:v2');
    converge(world, inv);
    expect(world.rollout.status?.phase).toBe('Paused');
    world.rollout = promoteFull(world.rollout);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ stableRS: canary, phase: 'Healthy', currentStepIndex: 4 });
    expect(world.rollout.status?.promoteFull).toBeUndefined();
    expect(findCondition(world.rollout.status?.conditions, 'Completed')?.status).toBe('True');
  });
});

describe('canaryMetadata / stableMetadata', () => {
  const metadata = {
    canaryMetadata: { labels: { role: 'canary' }, annotations: { note: 'new' } },
    stableMetadata: { labels: { role: 'stable' } },
  };
  const labelsOf = (world: World, hash: string) => world.rs(hash)?.template?.metadata?.labels ?? {};

  it('injects stable metadata first, canary metadata into the canary, and relabels it stable on promotion', () => {
    const base = aRollout({ steps: [{ setWeight: 50 }, { pause: {} }] });
    const canarySpec = { ...base.spec.strategy.canary, ...metadata };
    const world = deployed({ ...base, spec: { ...base.spec, strategy: { canary: canarySpec } } });
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    expect(labelsOf(world, stable)).toMatchObject({ role: 'stable' });
    expect(labelsOf(world, canary)).toMatchObject({ role: 'canary' });
    expect(world.rs(canary)?.template?.metadata?.annotations).toEqual({ note: 'new' });
    world.rollout = promoteFull(world.rollout);
    const plan = pass(world, inv);
    expect(plan.actions.some((a) => a.kind === 'syncEphemeralMetadata')).toBe(false);
    converge(world, inv);
    expect(world.rollout.status?.stableRS).toBe(canary);
    const sync = planRollout(world.snapshot());
    expect(sync.actions).toEqual([]);
    expect(labelsOf(world, canary)).toMatchObject({ role: 'stable' });
    expect(world.rs(canary)?.template?.metadata?.annotations).toEqual({});
    expect(world.rs(canary)?.annotations['rollout.argoproj.io/ephemeral-metadata']).toBe(
      '{"labels":{"role":"stable"}}',
    );
  });

  it('leaves ReplicaSets of Rollouts without ephemeral metadata unannotated', () => {
    const world = deployed(aRollout({ steps }));
    update(world, 'demo:v2');
    converge(world, allInvariants(world));
    for (const rs of world.replicaSets.values())
      expect(rs.view.annotations['rollout.argoproj.io/ephemeral-metadata']).toBeUndefined();
  });
});

describe('minReadySeconds', () => {
  it('is set on new ReplicaSets and kept in sync on the desired one', () => {
    const base = aRollout({ steps });
    const world = deployed({ ...base, spec: { ...base.spec, minReadySeconds: 5 } });
    const stable = world.rollout.status?.stableRS;
    expect(world.rs(stable)?.minReadySeconds).toBe(5);
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, minReadySeconds: 2 } };
    const plan = pass(world, allInvariants(world));
    expect(plan.actions).toEqual([
      { kind: 'scaleReplicaSet', name: `demo-${stable}`, replicas: 10, minReadySeconds: 2 },
    ]);
    converge(world, allInvariants(world));
    expect(world.rs(stable)?.minReadySeconds).toBe(2);
  });
});

describe('resume while spec.paused (status cleared before spec)', () => {
  it('keeps controllerPause until the steps run, so the pause step completes on unpause', () => {
    const world = deployed(aRollout({ steps }));
    const inv = allInvariants(world);
    update(world, 'demo:v2');
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ currentStepIndex: 1, controllerPause: true });
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, paused: true } };
    converge(world, inv);
    world.rollout = { ...world.rollout, status: { ...world.rollout.status, pauseConditions: [] } };
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ controllerPause: true, phase: 'Paused' });
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, paused: false } };
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ currentStepIndex: 3, phase: 'Paused' });
    expect(world.rollout.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
  });
});
