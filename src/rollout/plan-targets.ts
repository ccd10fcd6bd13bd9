import { type Draft, isAborted, type PlanContext, type Roles } from './plan-context.js';
import {
  basicCanaryReplicaCounts,
  type ReplicaCounts,
  type ScaleState,
  trafficRoutedReplicaCounts,
} from './replica-counts.js';
import type { ReplicaSetView } from './snapshot.js';
import { canaryScaleAt, desiredCanaryWeight } from './steps.js';

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

/** The canary weight the router carries now for the current hash (0 if the router points elsewhere). */
export function appliedCanaryWeight(ctx: PlanContext): number {
  const canary = ctx.old.canary?.weights?.canary;
  return canary?.podTemplateHash === ctx.sets.currentHash ? canary.weight : 0;
}

/**
 * The canary/stable counts this pass moves towards: Argo's basic canary math without traffic routing, the
 * traffic-routed math with it (stable kept whole, canary never below what its applied traffic needs).
 * A missing desired ReplicaSet counts as one with 0 replicas (it is created with the result).
 */
export function targetCounts(ctx: PlanContext, draft: Draft, roles: Roles): ReplicaCounts {
  const weight = replicaWeight(ctx, draft);
  const replicas = ctx.settings.replicas;
  if (!ctx.routed) {
    return basicCanaryReplicaCounts({
      replicas,
      weight,
      maxSurge: ctx.maxSurge,
      maxUnavailable: ctx.maxUnavailable,
      canary: scaleOf(roles.desired) ?? ZERO,
      stable: scaleOf(roles.stable),
      others: roles.others.map((rs) => scaleOf(rs) ?? ZERO),
    });
  }
  const midSteps = !roles.promoted && !isAborted(ctx, draft) && draft.status.promoteFull !== true;
  const scale = midSteps
    ? canaryScaleAt(ctx.steps, draft.status.currentStepIndex ?? ctx.steps.length)
    : undefined;
  const counts = trafficRoutedReplicaCounts({
    replicas,
    weight,
    maxWeight: ctx.maxWeight,
    ...(scale === undefined ? {} : { canaryScale: scale }),
    ...(ctx.canary.minPodsPerReplicaSet === undefined
      ? {}
      : { minPodsPerReplicaSet: ctx.canary.minPodsPerReplicaSet }),
    appliedCanaryWeight: roles.promoted ? 0 : appliedCanaryWeight(ctx),
  });
  return roles.promoted ? { canary: replicas, stable: 0 } : counts;
}

/**
 * Argo `AtDesiredReplicaCountsForCanary`: the desired RS has exactly `counts.canary` replicas, all available;
 * a distinct stable has exactly `counts.stable` created; without traffic routing no older RS has available
 * pods.
 */
export function atDesiredCounts(ctx: PlanContext, roles: Roles, counts: ReplicaCounts): boolean {
  const { desired, stable } = roles;
  if (desired === undefined) return false;
  if (desired.specReplicas !== counts.canary || desired.availableReplicas !== counts.canary) return false;
  if (stable !== undefined && (stable.specReplicas !== counts.stable || stable.replicas !== counts.stable)) {
    return false;
  }
  return ctx.routed || roles.others.every((rs) => rs.availableReplicas === 0);
}
