import { describe, expect, it } from 'vitest';
import type { RolloutPlan } from '../../../src/rollout/core/actions.js';
import { podTemplateHash } from '../../../src/rollout/core/pod-template-hash.js';
import { planRollout } from '../../../src/rollout/plan/plan-rollout.js';
import { aRollout, withImage } from './fixtures.js';
import {
  abortRestoresStableFirst,
  allInvariants,
  availabilityFloor,
  noRedundantActions,
  stableKeepsItsShare,
} from './invariants.js';
import { abort } from './user-commands.js';
import { converge, World } from './world.js';

const STEPS = [{ setWeight: 20 }, { pause: {} }];

function midRollout(): { world: World; stable: string; canary: string } {
  const world = new World(aRollout({ steps: STEPS }));
  converge(world, allInvariants(world));
  const stable = world.rollout.status?.stableRS ?? '';
  world.rollout = withImage(world.rollout, 'demo:v2');
  converge(world, allInvariants(world));
  return { world, stable, canary: podTemplateHash(world.rollout.spec.template) };
}

describe('planRollout', () => {
  it('creates the first ReplicaSet with every replica, the template labels and hash, selector and revision 1', () => {
    const plan = planRollout(new World(aRollout()).snapshot());
    const hash = podTemplateHash(aRollout().spec.template);
    expect(plan.actions.find((a) => a.kind === 'createReplicaSet')).toEqual({
      kind: 'createReplicaSet',
      name: `demo-${hash}`,
      podTemplateHash: hash,
      revision: 1,
      replicas: 10,
      labels: { app: 'demo', 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/revision': '1' },
      selector: { matchLabels: { app: 'demo', 'rollouts-pod-template-hash': hash } },
      template: {
        metadata: { labels: { app: 'demo', 'rollouts-pod-template-hash': hash } },
        spec: { containers: [{ name: 'demo', image: 'demo:v1' }] },
      },
      minReadySeconds: 0,
    });
    expect(plan.status).toMatchObject({
      stableRS: hash,
      currentPodHash: hash,
      phase: 'Progressing',
      message: 'more replicas need to be updated',
    });
    expect(plan.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      reason: 'NewReplicaSetCreated',
    });
  });

  it('injects canaryMetadata into the canary template and stableMetadata on first deploy', () => {
    const rollout = aRollout({ steps: STEPS });
    rollout.spec.strategy.canary = {
      ...rollout.spec.strategy.canary,
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { labels: { role: 'stable' } },
    };
    const first = planRollout(new World(rollout).snapshot()).actions.find(
      (a) => a.kind === 'createReplicaSet',
    );
    expect(first?.kind === 'createReplicaSet' && first.template.metadata?.labels?.role).toBe('stable');
    const world = new World(rollout);
    converge(world, allInvariants(world));
    world.rollout = withImage(world.rollout, 'demo:v2');
    const next = planRollout(world.snapshot()).actions.find((a) => a.kind === 'createReplicaSet');
    expect(next?.kind === 'createReplicaSet' && next.template.metadata?.labels?.role).toBe('canary');
  });

  it('is deterministic and a converged world yields no actions and the same status', () => {
    const { world } = midRollout();
    const a = planRollout(world.snapshot());
    const b = planRollout(world.snapshot());
    expect(a).toEqual(b);
    expect(a.actions).toEqual([]);
    expect(a.status).toEqual(world.rollout.status);
    expect(a.requeueAfterMs).toBeUndefined();
  });

  it('requeues at the end of a timed pause', () => {
    const world = new World(aRollout({ steps: [{ setWeight: 20 }, { pause: { duration: '5m' } }] }));
    converge(world, allInvariants(world));
    world.rollout = withImage(world.rollout, 'demo:v2');
    converge(world, allInvariants(world));
    world.advance(60_000);
    expect(planRollout(world.snapshot()).requeueAfterMs).toBe(240_000);
  });

  it('a user abort scales stable up before the canary down and emits one Warning', () => {
    const { world, stable, canary } = midRollout();
    world.rollout = abort(world.rollout);
    const plan = planRollout(world.snapshot());
    const scales = plan.actions
      .filter((a) => a.kind === 'scaleReplicaSet')
      .map((a) => a.kind === 'scaleReplicaSet' && [a.name, a.replicas]);
    expect(scales).toEqual([
      [`demo-${stable}`, 10],
      [`demo-${canary}`, 0],
    ]);
    expect(plan.actions.filter((a) => a.kind === 'emitEvent' && a.type === 'Warning')).toHaveLength(1);
    expect(plan.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'RolloutAborted',
    });
  });

  it('deletes fully scaled-down ReplicaSets beyond revisionHistoryLimit', () => {
    const rollout = aRollout();
    rollout.spec.revisionHistoryLimit = 1;
    const world = new World(rollout);
    converge(world, allInvariants(world));
    for (const image of ['demo:v2', 'demo:v3', 'demo:v4']) {
      world.rollout = withImage(world.rollout, image);
      converge(world, allInvariants(world));
    }
    expect(world.replicaSets.size).toBe(2);
  });
});

describe('safety invariants catch violations', () => {
  const violate = (plan: RolloutPlan, name: string, replicas: number): RolloutPlan => ({
    ...plan,
    actions: [{ kind: 'scaleReplicaSet', name, replicas }, ...plan.actions],
  });

  it('stable dropped below its share', () => {
    const { world, stable } = midRollout();
    const snapshot = world.snapshot();
    expect(() =>
      stableKeepsItsShare(snapshot, violate(planRollout(snapshot), `demo-${stable}`, 2), world),
    ).toThrow();
  });

  it('availability dropped below replicas − maxUnavailable', () => {
    const { world, stable } = midRollout();
    const snapshot = world.snapshot();
    expect(() =>
      availabilityFloor(snapshot, violate(planRollout(snapshot), `demo-${stable}`, 0), world),
    ).toThrow();
  });

  it('canary drained before stable came back on abort', () => {
    const { world, stable, canary } = midRollout();
    world.rollout = abort(world.rollout);
    const snapshot = world.snapshot();
    const plan = planRollout(snapshot);
    const reversed = { ...plan, actions: [...plan.actions].reverse() };
    expect(() => abortRestoresStableFirst(world)(snapshot, reversed, world)).toThrow();
    expect(reversed.actions.some((a) => a.kind === 'scaleReplicaSet' && a.name === `demo-${stable}`)).toBe(
      true,
    );
    expect(canary).not.toBe(stable);
  });

  it('a redundant write', () => {
    const { world, canary } = midRollout();
    const snapshot = world.snapshot();
    expect(() =>
      noRedundantActions(world)(snapshot, violate(planRollout(snapshot), `demo-${canary}`, 2), world),
    ).toThrow();
  });
});
