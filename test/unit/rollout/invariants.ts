import { expect } from 'vitest';
import type { RolloutStatus } from '../../../src/api/index.js';
import { canarySettings, resolveSurgeUnavailable, rolloutSettings } from '../../../src/api/index.js';
import type { RolloutAction, RolloutPlan, ScaleReplicaSetAction } from '../../../src/rollout/core/actions.js';
import {
  approximateCanaryStable,
  trafficWeightToReplicas,
} from '../../../src/rollout/core/replica-counts.js';
import type { RolloutSnapshot } from '../../../src/rollout/core/snapshot.js';
import { desiredCanaryWeight } from '../../../src/rollout/core/steps.js';
import type { Invariant, World } from './world.js';

function settingsOf(snapshot: RolloutSnapshot) {
  const canary = snapshot.rollout.spec.strategy.canary ?? {};
  const replicas = rolloutSettings(snapshot.rollout.spec).replicas;
  const { maxSurge, maxUnavailable } = canarySettings(canary);
  return {
    replicas,
    routed: canary.trafficRouting !== undefined,
    dynamic: canary.trafficRouting !== undefined && canary.dynamicStableScale === true,
    steps: canary.steps ?? [],
    ...resolveSurgeUnavailable(maxSurge, maxUnavailable, replicas),
  };
}

function scaleOf(plan: RolloutPlan, name: string): ScaleReplicaSetAction | undefined {
  return plan.actions.find(
    (a): a is ScaleReplicaSetAction => a.kind === 'scaleReplicaSet' && a.name === name,
  );
}

function weightOf(snapshot: RolloutSnapshot, status: RolloutStatus): number {
  const { steps } = settingsOf(snapshot);
  return desiredCanaryWeight({
    steps,
    index: status.currentStepIndex,
    abort: status.abort === true,
    promoteFull: status.promoteFull === true,
    stableHash: status.stableRS,
    currentHash: status.currentPodHash ?? '',
    maxWeight: 100,
  });
}

/** Before promotion the stable ReplicaSet is never scaled below what the current or next weight leaves it. */
export const stableKeepsItsShare: Invariant = (before, plan) => {
  const old = before.rollout.status ?? {};
  const stableHash = old.stableRS;
  if (!stableHash || stableHash === old.currentPodHash || plan.status.stableRS !== stableHash) return;
  if (plan.status.currentPodHash === stableHash) return;
  const stable = before.replicaSets.find((rs) => rs.podTemplateHash === stableHash);
  const action = stable && scaleOf(plan, stable.name);
  if (stable === undefined || action === undefined) return;
  const s = settingsOf(before);
  const weight = Math.min(weightOf(before, old), weightOf(before, plan.status));
  const carried = old.canary?.weights?.stable;
  const applied = carried?.podTemplateHash === stableHash ? carried.weight : 100;
  const routedNeed = s.dynamic ? trafficWeightToReplicas(s.replicas, applied) : s.replicas;
  const need = s.routed ? routedNeed : approximateCanaryStable(s.replicas, weight, s.maxSurge).stable;
  expect(action.replicas, `stable ${stable.name} below its share`).toBeGreaterThanOrEqual(
    Math.min(stable.specReplicas, need),
  );
};

/** Available pods never drop below `replicas − maxUnavailable` because of a scale-down (unless already below). */
export const availabilityFloor: Invariant = (before, plan) => {
  const s = settingsOf(before);
  const availableAfter = (spec: (name: string, current: number) => number) =>
    before.replicaSets.reduce(
      (sum, rs) => sum + Math.min(spec(rs.name, rs.specReplicas), rs.availableReplicas),
      0,
    );
  const now = availableAfter((_, current) => current);
  const next = availableAfter((name, current) => scaleOf(plan, name)?.replicas ?? current);
  expect(next).toBeGreaterThanOrEqual(Math.min(now, s.replicas - s.maxUnavailable));
};

/**
 * While aborting, stable capacity comes back before the canary shrinks: without traffic routing any stable
 * scale-up precedes the canary scale-down; the canary never drops below the pods its live traffic needs.
 */
export function abortRestoresStableFirst(world: World): Invariant {
  return (before, plan) => {
    const s = settingsOf(before);
    const hash = plan.status.currentPodHash;
    const canary = before.replicaSets.find((rs) => rs.podTemplateHash === hash);
    const stable = before.replicaSets.find((rs) => rs.podTemplateHash === plan.status.stableRS);
    if (canary === undefined || stable === undefined || canary === stable) return;
    const down = plan.actions.findIndex(
      (a) => a.kind === 'scaleReplicaSet' && a.name === canary.name && a.replicas < canary.specReplicas,
    );
    const up = plan.actions.findIndex(
      (a) => a.kind === 'scaleReplicaSet' && a.name === stable.name && a.replicas > stable.specReplicas,
    );
    if (plan.status.abort && down >= 0 && up >= 0) expect(up).toBeLessThan(down);
    const carried = world.traffic?.canaryHash === hash ? (world.traffic?.canaryWeight ?? 0) : 0;
    const next = scaleOf(plan, canary.name)?.replicas ?? canary.specReplicas;
    if (s.routed) expect(next).toBeGreaterThanOrEqual(trafficWeightToReplicas(s.replicas, carried));
  };
}

/**
 * The router never gets a stable share the stable ReplicaSet cannot serve (aborts excepted, unless the stable
 * scales dynamically: then it holds during aborts too).
 */
export const trafficWithinStableCapacity: Invariant = (before, plan) => {
  const s = settingsOf(before);
  for (const action of plan.actions) {
    if (action.kind !== 'applyTraffic' || (plan.status.abort && !s.dynamic)) continue;
    const stable = before.replicaSets.find((rs) => rs.podTemplateHash === action.stableHash);
    expect(stable?.availableReplicas ?? 0).toBeGreaterThanOrEqual(
      trafficWeightToReplicas(s.replicas, action.stableWeight),
    );
  }
};

function redundant(world: World, action: RolloutAction): boolean {
  switch (action.kind) {
    case 'createReplicaSet':
      return world.replicaSets.has(action.name);
    case 'scaleReplicaSet': {
      const rs = world.replicaSets.get(action.name)?.view;
      const annotations = Object.entries(action.annotations ?? {});
      return (
        rs !== undefined &&
        rs.specReplicas === action.replicas &&
        (action.minReadySeconds === undefined || (rs.minReadySeconds ?? 0) === action.minReadySeconds) &&
        annotations.every(([k, v]) => rs.annotations[k] === v)
      );
    }
    case 'applyTraffic':
      return JSON.stringify(world.traffic) === JSON.stringify({ ...action });
    case 'setServiceSelector':
      return world.services.get(action.service) === action.podTemplateHash;
    case 'createExperiment':
      return world.experiments.has(action.experiment.metadata.name ?? '');
    case 'terminateExperiment':
      return world.experiments.get(action.name)?.terminate === true;
    default:
      return false;
  }
}

/**
 * Routed weights always sum to the router's total (canary + stable + every Experiment Service), none is
 * negative, and an aborted Rollout routes nothing to Experiment Services.
 */
export const weightsSumToTotal: Invariant = (_before, plan) => {
  for (const action of plan.actions) {
    if (action.kind !== 'applyTraffic') continue;
    const experiments = action.experimentWeights ?? [];
    const weights = [action.canaryWeight, action.stableWeight, ...experiments.map((w) => w.weight)];
    expect(weights.every((w) => w >= 0)).toBe(true);
    expect(weights.reduce((sum, w) => sum + w, 0)).toBe(100);
    if (plan.status.abort) expect(experiments).toEqual([]);
  }
};

/** Every action changes something: a pass never re-issues work the world already reflects. */
export function noRedundantActions(world: World): Invariant {
  return (_before, plan) => {
    for (const action of plan.actions) expect(redundant(world, action), JSON.stringify(action)).toBe(false);
  };
}

/** All safety invariants for `world`. */
export function allInvariants(world: World): Invariant[] {
  return [
    stableKeepsItsShare,
    availabilityFloor,
    abortRestoresStableFirst(world),
    trafficWithinStableCapacity,
    weightsSumToTotal,
    noRedundantActions(world),
  ];
}
