import { describe, expect, it } from 'vitest';
import type { CanaryStrategy, Rollout } from '../../../src/api/index.js';
import type { CreateReplicaSetAction } from '../../../src/rollout/core/actions.js';
import { aRollout, ISTIO, type RolloutOptions } from './fixtures.js';
import { allInvariants, noRedundantActions } from './invariants.js';
import { deployed, hashOf, update } from './scenario-setup.js';
import { promote, promoteFull } from './user-commands.js';
import { converge, pass, World } from './world.js';

function withCanary(extra: Partial<CanaryStrategy>, options: RolloutOptions): Rollout {
  const base = aRollout(options);
  const canary = { ...base.spec.strategy.canary, ...extra };
  return { ...base, spec: { ...base.spec, strategy: { canary } } };
}

/** Walks every step of an update (promoting each pause), returning [canary, stable] spec replicas per pause. */
function countsPerPause(world: World, pauses: number): [number, number][] {
  const inv = allInvariants(world);
  const { stable, canary } = update(world, 'demo:v2');
  const rows: [number, number][] = [];
  for (let i = 0; i < pauses; i++) {
    if (i > 0) world.rollout = promote(world.rollout);
    converge(world, inv);
    rows.push([world.rs(canary)?.specReplicas ?? 0, world.rs(stable)?.specReplicas ?? 0]);
  }
  return rows;
}

describe('minPodsPerReplicaSet: replica counts at each step', () => {
  const steps = [
    { setWeight: 5 },
    { pause: {} },
    { setWeight: 30 },
    { pause: {} },
    { setWeight: 90 },
    { pause: {} },
  ];

  it.each<[string, Partial<CanaryStrategy>, [number, number][]]>([
    [
      'no floor',
      {},
      [
        [1, 10],
        [3, 10],
        [9, 10],
      ],
    ],
    [
      'floor 2',
      { minPodsPerReplicaSet: 2 },
      [
        [2, 10],
        [3, 10],
        [9, 10],
      ],
    ],
    [
      'floor 4',
      { minPodsPerReplicaSet: 4 },
      [
        [4, 10],
        [4, 10],
        [9, 10],
      ],
    ],
    [
      'floor 2 with dynamicStableScale',
      { minPodsPerReplicaSet: 2, dynamicStableScale: true },
      [
        [2, 10],
        [3, 7],
        [9, 2],
      ],
    ],
    [
      'floor 20 is capped at replicas',
      { minPodsPerReplicaSet: 20 },
      [
        [10, 10],
        [10, 10],
        [10, 10],
      ],
    ],
  ])('%s', (_name, extra, rows) => {
    const world = deployed(withCanary(extra, { steps, trafficRouting: ISTIO }));
    expect(countsPerPause(world, 3)).toEqual(rows);
  });
});

describe('replicaProgressThreshold', () => {
  const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];

  /** At step 50 only the 2 canary pods of step 20 ever become available; returns the step index reached. */
  function stepReached(extra: Partial<CanaryStrategy>): number | undefined {
    const world = deployed(withCanary(extra, { steps, trafficRouting: ISTIO }));
    const inv = allInvariants(world);
    const { canary } = update(world, 'demo:v2');
    converge(world, inv);
    world.neverReady.add(canary);
    world.rollout = promote(world.rollout);
    converge(world, inv);
    expect([world.rs(canary)?.specReplicas, world.rs(canary)?.availableReplicas]).toEqual([5, 2]);
    return world.rollout.status?.currentStepIndex;
  }

  it.each<[string, Partial<CanaryStrategy>, number]>([
    ['default: every canary pod', {}, 2],
    ['Percent 40 (2 of 5)', { replicaProgressThreshold: { type: 'Percent', value: 40 } }, 3],
    ['Percent 50 (needs 3 of 5)', { replicaProgressThreshold: { type: 'Percent', value: 50 } }, 2],
    ['Pods 2', { replicaProgressThreshold: { type: 'Pods', value: 2 } }, 3],
    ['Pods 3', { replicaProgressThreshold: { type: 'Pods', value: 3 } }, 2],
  ])('%s → step index %i', (_name, extra, index) => {
    expect(stepReached(extra)).toBe(index);
  });

  it('applies to a basic canary too', () => {
    const rollout = withCanary(
      { replicaProgressThreshold: { type: 'Pods', value: 1 } },
      { steps, maxSurge: 5 },
    );
    const world = deployed(rollout);
    const { canary } = update(world, 'demo:v2');
    world.neverReady.add(canary);
    converge(world, allInvariants(world));
    expect(world.rollout.status?.currentStepIndex).toBe(0);
  });
});

describe('scaleDownDelayRevisionLimit', () => {
  /** Three fully promoted updates in a row; returns the spec replicas of v1 and v2 right after v3 is stable. */
  function oldSpecs(extra: Partial<CanaryStrategy>): [number, number] {
    const world = deployed(
      withCanary(
        { scaleDownDelaySeconds: 60, ...extra },
        { steps: [{ setWeight: 50 }], trafficRouting: ISTIO },
      ),
    );
    const inv = allInvariants(world);
    const v1 = hashOf(world.rollout);
    const { canary: v2 } = update(world, 'demo:v2');
    world.rollout = promoteFull(world.rollout);
    converge(world, inv);
    update(world, 'demo:v3');
    world.rollout = promoteFull(world.rollout);
    converge(world, inv);
    return [world.rs(v1)?.specReplicas ?? 0, world.rs(v2)?.specReplicas ?? 0];
  }

  it.each<[string, Partial<CanaryStrategy>, [number, number]]>([
    ['no limit: both old ReplicaSets wait for their deadline', {}, [10, 10]],
    ['limit 1: only the newest old ReplicaSet waits', { scaleDownDelayRevisionLimit: 1 }, [0, 10]],
    ['limit 0: none waits', { scaleDownDelayRevisionLimit: 0 }, [0, 0]],
  ])('%s', (_name, extra, specs) => {
    expect(oldSpecs(extra)).toEqual(specs);
  });

  it('blue-green: only the newest old ReplicaSet waits with limit 1', () => {
    const base = aRollout({ replicas: 2 });
    const bg = { activeService: 'active', scaleDownDelaySeconds: 60, scaleDownDelayRevisionLimit: 1 };
    const world = new World({ ...base, spec: { ...base.spec, strategy: { blueGreen: bg } } });
    world.services.set('active', undefined);
    const inv = [noRedundantActions(world)];
    converge(world, inv);
    const v1 = hashOf(world.rollout);
    const { canary: v2 } = update(world, 'demo:v2');
    converge(world, inv);
    update(world, 'demo:v3');
    converge(world, inv);
    expect([world.rs(v1)?.specReplicas, world.rs(v2)?.specReplicas]).toEqual([0, 2]);
  });
});

describe('antiAffinity', () => {
  const created = (world: World): CreateReplicaSetAction | undefined =>
    pass(world, []).actions.find((a): a is CreateReplicaSetAction => a.kind === 'createReplicaSet');

  it('canary: the new ReplicaSet avoids the stable pods’ hosts; the first one has no term', () => {
    const choice = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } };
    const rollout = withCanary({ antiAffinity: choice }, { steps: [{ setWeight: 20 }, { pause: {} }] });
    const first = new World(rollout);
    expect(created(first)?.template.spec?.affinity).toBeUndefined();
    const world = deployed(rollout);
    const stable = hashOf(world.rollout);
    update(world, 'demo:v2');
    const terms =
      created(world)?.template.spec?.affinity?.podAntiAffinity
        ?.preferredDuringSchedulingIgnoredDuringExecution;
    expect(terms).toEqual([
      {
        weight: 50,
        podAffinityTerm: {
          labelSelector: {
            matchExpressions: [{ key: 'rollouts-pod-template-hash', operator: 'In', values: [stable] }],
          },
          namespaces: ['default'],
          topologyKey: 'kubernetes.io/hostname',
        },
      },
    ]);
  });

  it('blue-green: the preview ReplicaSet gets a required term against the active one', () => {
    const base = aRollout({ replicas: 2 });
    const bg = {
      activeService: 'active',
      antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} },
    };
    const world = new World({ ...base, spec: { ...base.spec, strategy: { blueGreen: bg } } });
    converge(world, [noRedundantActions(world)]);
    const stable = hashOf(world.rollout);
    update(world, 'demo:v2');
    const required =
      created(world)?.template.spec?.affinity?.podAntiAffinity
        ?.requiredDuringSchedulingIgnoredDuringExecution;
    expect(required?.[0]?.labelSelector?.matchExpressions?.[0]?.values).toEqual([stable]);
  });

  it('the injected term does not make an undo look like a new template', () => {
    const choice = { requiredDuringSchedulingIgnoredDuringExecution: {} };
    const world = deployed(
      withCanary({ antiAffinity: choice }, { steps: [{ setWeight: 20 }, { pause: {} }] }),
    );
    const inv = allInvariants(world);
    const { canary } = update(world, 'demo:v2');
    converge(world, inv);
    const rs = world.rs(canary);
    const template = structuredClone(rs?.template ?? {});
    delete template.metadata?.labels?.['rollouts-pod-template-hash'];
    world.rollout = { ...world.rollout, spec: { ...world.rollout.spec, template } };
    expect(pass(world, []).actions.some((a) => a.kind === 'createReplicaSet')).toBe(false);
  });
});
