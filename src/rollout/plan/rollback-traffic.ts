import { capacityAwareRollback } from '../../api/index.js';
import { capacityRollbackWeight } from '../core/dynamic-stable-scale.js';
import { type Draft, isAborted, type PlanContext, type Roles } from './context.js';
import { abortedTrafficWeight, appliedCanaryWeight, scalesStableDynamically } from './dynamic-stable.js';
import { pausedOnFailure } from './failure-pause.js';

/** True while traffic must go back to stable: the Rollout is aborted, or paused on a failed analysis. */
export function returningToStable(ctx: PlanContext, draft: Draft): boolean {
  return isAborted(ctx, draft) || pausedOnFailure(ctx, draft);
}

/**
 * True when the return to stable is paced by stable's available pods (`capacityRollbackWeight`): with
 * `vireo.dev/capacity-aware-rollback: "true"`, and for a pause on a failed analysis of a `dynamicStableScale`
 * Rollout (its canary is kept whole, so Argo's step-down, which follows the canary's shrinking, would never move).
 */
export function pacedByStable(ctx: PlanContext, draft: Draft): boolean {
  if (!returningToStable(ctx, draft)) return false;
  return capacityAwareRollback(ctx.rollout) || (pausedOnFailure(ctx, draft) && scalesStableDynamically(ctx));
}

/**
 * The canary weight while returning to stable: paced by stable's available pods (`pacedByStable`), else
 * Argo's abort weight (`abortedTrafficWeight`: 0, or the `dynamicStableScale` step-down), else (a pause) 0.
 */
export function rollbackTrafficWeight(ctx: PlanContext, draft: Draft, roles: Roles): number {
  if (pacedByStable(ctx, draft)) {
    if (roles.stable === undefined) return 0;
    return capacityRollbackWeight({
      replicas: ctx.settings.replicas,
      maxWeight: ctx.maxWeight,
      stableAvailable: roles.stable.availableReplicas,
      current: appliedCanaryWeight(ctx),
    });
  }
  return isAborted(ctx, draft) ? abortedTrafficWeight(ctx, roles) : 0;
}

/**
 * True while a capacity-aware abort must keep the canary ReplicaSet as it is: the router still sends the
 * canary traffic (as observed, or as this pass decides), so stable does not hold all of it yet.
 */
export function canaryHeldForRollback(ctx: PlanContext, draft: Draft): boolean {
  if (!isAborted(ctx, draft) || !capacityAwareRollback(ctx.rollout)) return false;
  const hash = ctx.sets.currentHash;
  return [ctx.old.canary?.weights, draft.status.canary?.weights].some(
    (w) => w !== undefined && w.canary.podTemplateHash === hash && w.canary.weight > 0,
  );
}

/**
 * What the status message adds while a paced return to stable is under way (the canary still has traffic):
 * "traffic returns to stable as its pods become available: stable 40% (4/10 pods available), canary 60%".
 */
export function rollbackTrafficNote(ctx: PlanContext, draft: Draft, roles: Roles): string | undefined {
  const weights = draft.status.canary?.weights;
  if (!pacedByStable(ctx, draft) || weights === undefined || weights.canary.weight <= 0) return undefined;
  const available = roles.stable?.availableReplicas ?? 0;
  const pods = `${available}/${ctx.settings.replicas} pods available`;
  return `traffic returns to stable as its pods become available: stable ${weights.stable.weight}% (${pods}), canary ${weights.canary.weight}%`;
}
