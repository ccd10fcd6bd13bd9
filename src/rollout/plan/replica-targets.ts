import { capacityAwareRollback } from '../../api/index.js';
import { dynamicStableCounts } from '../core/dynamic-stable-scale.js';
import {
  basicCanaryReplicaCounts,
  type ReplicaCounts,
  type ScaleState,
  trafficRoutedReplicaCounts,
} from '../core/replica-counts.js';
import { replicaProgressMet } from '../core/replica-progress.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import { canaryScaleAt, desiredCanaryWeight } from '../core/steps.js';
import { type Draft, isAborted, type PlanContext, type Roles } from './context.js';
import {
  abortReplicaWeight,
  appliedCanaryWeight,
  appliedStableWeight,
  scalesStableDynamically,
} from './dynamic-stable.js';
import { pausedOnFailure } from './failure-pause.js';

const ZERO: ScaleState = { specReplicas: 0, availableReplicas: 0 };

function scaleOf(rs: ReplicaSetView | undefined): ScaleState | undefined {
  return rs === undefined
    ? undefined
    : { specReplicas: rs.specReplicas, availableReplicas: rs.availableReplicas };
}

/** The weight the replica math aims for, from the draft (see `desiredCanaryWeight`). */
export function replicaWeight(ctx: PlanContext, draft: Draft): number {
  return desiredCanaryWeight({
    steps: ctx.steps,
    index: draft.status.currentStepIndex,
    abort: isAborted(ctx, draft),
    promoteFull: draft.status.promoteFull === true,
    stableHash: draft.status.stableRS,
    currentHash: ctx.sets.currentHash,
    maxWeight: ctx.maxWeight,
  });
}

function midStepScale(ctx: PlanContext, draft: Draft): { replicas?: number; weight?: number } | undefined {
  if (isAborted(ctx, draft) || draft.status.promoteFull === true) return undefined;
  return canaryScaleAt(ctx.steps, draft.status.currentStepIndex ?? ctx.steps.length);
}

/**
 * Counts while traffic returns to stable under Vireo's rules, else `undefined`: paused on a failed analysis,
 * the canary keeps the replicas it has and the stable gets all `replicas` (it must carry everything); in a
 * capacity-aware abort the stable gets all `replicas` at once (not a setWeight step at a time) and the canary
 * what its recorded traffic needs (`scaleCanary` then keeps it whole until stable holds all traffic).
 */
function rollbackCounts(ctx: PlanContext, draft: Draft, roles: Roles): ReplicaCounts | undefined {
  const replicas = ctx.settings.replicas;
  if (pausedOnFailure(ctx, draft)) return { canary: roles.desired?.specReplicas ?? 0, stable: replicas };
  if (!isAborted(ctx, draft) || !capacityAwareRollback(ctx.rollout)) return undefined;
  const min = ctx.canary.minPodsPerReplicaSet;
  const counts = trafficRoutedReplicaCounts({
    replicas,
    weight: 0,
    maxWeight: ctx.maxWeight,
    ...(min === undefined ? {} : { minPodsPerReplicaSet: min }),
    appliedCanaryWeight: appliedCanaryWeight(ctx),
  });
  return { canary: counts.canary, stable: replicas };
}

function routedCounts(ctx: PlanContext, draft: Draft, roles: Roles): ReplicaCounts {
  const rollback = rollbackCounts(ctx, draft, roles);
  if (rollback !== undefined) return rollback;
  const dynamic = scalesStableDynamically(ctx);
  const aborted = isAborted(ctx, draft);
  const weight = dynamic && aborted ? abortReplicaWeight(ctx, roles) : replicaWeight(ctx, draft);
  const scale = midStepScale(ctx, draft);
  const min = ctx.canary.minPodsPerReplicaSet;
  const counts = trafficRoutedReplicaCounts({
    replicas: ctx.settings.replicas,
    weight,
    maxWeight: ctx.maxWeight,
    ...(scale === undefined ? {} : { canaryScale: scale }),
    ...(min === undefined ? {} : { minPodsPerReplicaSet: min }),
    appliedCanaryWeight: appliedCanaryWeight(ctx),
  });
  if (!dynamic) return counts;
  return dynamicStableCounts({
    replicas: ctx.settings.replicas,
    weight: scale?.replicas === undefined ? (scale?.weight ?? weight) : 0,
    maxWeight: ctx.maxWeight,
    canary: counts.canary,
    appliedStableWeight: appliedStableWeight(ctx, draft),
    ...(min === undefined ? {} : { minPodsPerReplicaSet: min }),
  });
}

/**
 * The canary/stable counts this pass moves towards: Argo's basic canary math without traffic routing; with it,
 * the traffic-routed math (canary never below what its applied traffic needs) where the stable keeps all
 * `replicas` until promotion, or, with `dynamicStableScale`, `dynamicStableCounts` (the stable follows the
 * larger of its desired and its applied share; an abort steps the weight down through the setWeights); while
 * returning to stable under Vireo's rules, `rollbackCounts`.
 * A missing desired ReplicaSet counts as one with 0 replicas (it is created with the result).
 */
export function targetCounts(ctx: PlanContext, draft: Draft, roles: Roles): ReplicaCounts {
  const replicas = ctx.settings.replicas;
  if (ctx.routed) return roles.promoted ? { canary: replicas, stable: 0 } : routedCounts(ctx, draft, roles);
  return basicCanaryReplicaCounts({
    replicas,
    weight: replicaWeight(ctx, draft),
    maxSurge: ctx.maxSurge,
    maxUnavailable: ctx.maxUnavailable,
    canary: scaleOf(roles.desired) ?? ZERO,
    stable: scaleOf(roles.stable),
    others: roles.others.map((rs) => scaleOf(rs) ?? ZERO),
  });
}

/**
 * Argo `AtDesiredReplicaCountsForCanary`: the desired RS was scaled to `counts.canary` and enough of its pods
 * are available (all of them, or `replicaProgressThreshold`); unless the stable scales dynamically, a distinct
 * stable has exactly `counts.stable` created; without traffic routing no older RS has available pods.
 * Example: canary 4 asked, 3 available, threshold {Percent, 75} → true (false without a threshold).
 */
export function atDesiredCounts(ctx: PlanContext, roles: Roles, counts: ReplicaCounts): boolean {
  const { desired, stable } = roles;
  if (desired === undefined) return false;
  if (!replicaProgressMet(ctx.canary.replicaProgressThreshold, desired, counts.canary)) return false;
  const stableAt =
    stable === undefined || (stable.specReplicas === counts.stable && stable.replicas === counts.stable);
  if (!scalesStableDynamically(ctx) && !stableAt) return false;
  return ctx.routed || roles.others.every((rs) => rs.availableReplicas === 0);
}
