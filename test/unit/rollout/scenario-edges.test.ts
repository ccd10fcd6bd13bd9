import { describe, expect, it } from 'vitest';
import { findCondition } from '../../../src/rollout/core/conditions.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { aRollout, ISTIO, withImage } from './fixtures.js';
import { allInvariants } from './invariants.js';
import { deployed, update } from './scenario-setup.js';
import { abort, promote } from './user-commands.js';
import { converge, pass } from './world.js';

describe('progress deadline', () => {
  const steps = [{ setWeight: 20 }, { pause: {} }];

  it('marks ProgressDeadlineExceeded (Degraded) when canary pods never become ready, without aborting', () => {
    const world = deployed(aRollout({ steps, progressDeadlineSeconds: 60 }));
    const inv = allInvariants(world);
    const { canary } = update(world, 'demo:v2');
    world.neverReady.add(canary);
    converge(world, inv);
    expect(world.rollout.status?.phase).toBe('Progressing');
    expect(planRollout(world.snapshot()).requeueAfterMs).toBe(60_000);
    world.advance(61_000);
    converge(world, inv);
    const status = world.rollout.status ?? {};
    expect(findCondition(status.conditions, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect(status.phase).toBe('Degraded');
    expect(status.message).toBe(
      `ProgressDeadlineExceeded: ReplicaSet "demo-${canary}" has timed out progressing.`,
    );
    expect(status.abort).toBeUndefined();
  });

  it('aborts with progressDeadlineAbort and restores the stable', () => {
    const world = deployed(aRollout({ steps, progressDeadlineSeconds: 60, progressDeadlineAbort: true }));
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    world.neverReady.add(canary);
    converge(world, inv);
    world.advance(61_000);
    converge(world, inv);
    const status = world.rollout.status ?? {};
    expect(status).toMatchObject({ abort: true, phase: 'Degraded' });
    expect(status.message).toContain('RolloutAborted: Rollout aborted update to revision 2: ReplicaSet');
    expect(world.rs(canary)?.specReplicas).toBe(0);
    expect(world.rs(stable)?.specReplicas).toBe(10);
  });

  it('does not time out during an indefinite pause', () => {
    const world = deployed(aRollout({ steps, progressDeadlineSeconds: 60 }));
    const inv = allInvariants(world);
    update(world, 'demo:v2');
    converge(world, inv);
    expect(world.rollout.status?.phase).toBe('Paused');
    world.advance(3_600_000);
    converge(world, inv);
    expect(world.rollout.status?.phase).toBe('Paused');
  });
});

describe('invalid spec', () => {
  it('writes only InvalidSpec (Degraded) and touches nothing', () => {
    const world = deployed(aRollout({ steps: [{ setWeight: 20 }] }));
    const oldStatus = structuredClone(world.rollout.status ?? {});
    const broken = withImage(world.rollout, 'demo:v2');
    broken.spec = { ...broken.spec, selector: { matchLabels: { app: 'other' } } };
    world.rollout = broken;
    const plan = pass(world, allInvariants(world));
    expect(plan.actions).toEqual([]);
    expect(plan.requeueAfterMs).toBeUndefined();
    expect(plan.status.phase).toBe('Degraded');
    expect(plan.status.message).toMatch(
      /^InvalidSpec: spec.template.metadata.labels: must match spec.selector/,
    );
    expect(plan.status.observedGeneration).toBe('2');
    expect(omit(plan.status)).toEqual(omit(oldStatus));
    expect(plan.status.conditions).toEqual([
      ...(oldStatus.conditions ?? []),
      expect.objectContaining({ type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec' }),
    ]);
    converge(world, allInvariants(world));
    expect([...world.replicaSets.values()].map((rs) => rs.view.specReplicas)).toEqual([10]);
  });

  it('drops InvalidSpec once the spec is fixed', () => {
    const world = deployed(aRollout({ steps: [{ setWeight: 20 }] }));
    const good = world.rollout.spec;
    world.rollout = { ...world.rollout, spec: { ...good, replicas: -1 } };
    converge(world, allInvariants(world));
    world.rollout = { ...world.rollout, spec: good };
    converge(world, allInvariants(world));
    expect(findCondition(world.rollout.status?.conditions, 'InvalidSpec')).toBeUndefined();
    expect(world.rollout.status?.phase).toBe('Healthy');
  });
});

function omit(status: object): Record<string, unknown> {
  const {
    conditions: _c,
    phase: _p,
    message: _m,
    observedGeneration: _o,
    ...rest
  } = status as Record<string, unknown>;
  return rest;
}

describe('traffic-routed canary', () => {
  const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }];

  it('keeps stable at full size, moves traffic after the canary is ready, and promotes', () => {
    const world = deployed(aRollout({ steps, trafficRouting: ISTIO }));
    const inv = allInvariants(world);
    expect(world.traffic).toMatchObject({ canaryWeight: 0, stableWeight: 100 });
    world.readyDelayMs = 5_000;
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    expect(world.rs(canary)?.specReplicas).toBe(2);
    expect(world.traffic?.canaryWeight).toBe(0);
    world.advance(5_000);
    converge(world, inv);
    expect(world.traffic).toMatchObject({
      canaryWeight: 20,
      stableWeight: 80,
      canaryHash: canary,
      stableHash: stable,
    });
    expect(world.rollout.status?.canary?.weights).toMatchObject({
      canary: { weight: 20, serviceName: 'demo-canary' },
      stable: { weight: 80 },
    });
    expect(world.rs(stable)?.specReplicas).toBe(10);
    world.rollout = promote(world.rollout);
    converge(world, inv);
    world.advance(5_000);
    converge(world, inv);
    expect(world.traffic?.canaryWeight).toBe(60);
    world.rollout = promote(world.rollout);
    converge(world, inv);
    world.advance(5_000);
    converge(world, inv);
    expect(world.rollout.status).toMatchObject({ phase: 'Healthy', stableRS: canary });
    expect(world.traffic).toMatchObject({
      canaryWeight: 0,
      stableWeight: 100,
      canaryHash: canary,
      stableHash: canary,
    });
    expect(world.rs(stable)?.specReplicas, 'old stable kept for scaleDownDelaySeconds').toBe(10);
    world.advance(30_000);
    converge(world, inv);
    expect(world.rs(stable)?.specReplicas).toBe(0);
    expect(world.services.size).toBe(0);
  });

  it('abortScaleDownDelaySeconds 0 keeps the aborted canary; scaleDownDelaySeconds sets the old stable deadline', () => {
    const base = aRollout({ steps, trafficRouting: ISTIO });
    const canaryStrategy = {
      ...base.spec.strategy.canary,
      abortScaleDownDelaySeconds: 0,
      scaleDownDelaySeconds: 5,
    };
    const world = deployed({ ...base, spec: { ...base.spec, strategy: { canary: canaryStrategy } } });
    const inv = allInvariants(world);
    const { canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = abort(world.rollout);
    converge(world, inv);
    world.advance(600_000);
    converge(world, inv);
    expect(world.traffic?.canaryWeight).toBe(0);
    expect(world.rs(canary)?.specReplicas).toBe(2);
    const retried = { ...world.rollout, status: { ...world.rollout.status, abort: false } };
    world.rollout = { ...promote(retried), status: { ...retried.status, promoteFull: true } };
    converge(world, inv);
    const old = [...world.replicaSets.values()].find((rs) => rs.view.podTemplateHash !== canary)?.view;
    expect(Date.parse(old?.annotations['scale-down-deadline'] ?? '') - world.nowMs).toBe(5_000);
  });

  it('on abort moves traffic back to stable before scaling the canary down', () => {
    const world = deployed(aRollout({ steps, trafficRouting: ISTIO }));
    const inv = allInvariants(world);
    const { stable, canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.rollout = promote(world.rollout);
    converge(world, inv);
    expect(world.traffic?.canaryWeight).toBe(60);
    world.rollout = abort(world.rollout);
    const first = pass(world, inv);
    expect(first.actions.find((a) => a.kind === 'applyTraffic')).toMatchObject({
      canaryWeight: 0,
      stableWeight: 100,
    });
    expect(first.actions.some((a) => a.kind === 'scaleReplicaSet' && a.name === `demo-${canary}`)).toBe(
      false,
    );
    converge(world, inv);
    expect(world.rs(canary)?.specReplicas, 'canary kept for abortScaleDownDelaySeconds').toBe(6);
    world.advance(30_000);
    converge(world, inv);
    expect(world.rs(canary)?.specReplicas).toBe(0);
    expect(world.rs(stable)?.specReplicas).toBe(10);
    expect(world.rollout.status?.phase).toBe('Degraded');
  });
});
