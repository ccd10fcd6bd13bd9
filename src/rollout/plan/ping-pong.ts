import {
  otherSide,
  type PingPongSide,
  type ServiceRoles,
  serviceRolesOf,
  stableSideOf,
  type TrafficWeights,
} from '../../api/index.js';
import { type Draft, isAborted, type PlanContext } from './context.js';
import { plannedSelector, pointService } from './point-service.js';

/**
 * The ping-pong side that is stable for the draft, as Argo's `promoteStable` keeps it: the recorded side
 * (`pong` when none is recorded) flips exactly when this pass makes the desired ReplicaSet stable — the first
 * deploy (→ `ping`) or a promotion — because the canary Service already selects that ReplicaSet and carries
 * its traffic. Derived from the observed status and the draft's `stableRS`, so it is the same wherever in the
 * pass it is asked.
 */
function stableSide(ctx: PlanContext, draft: Draft): PingPongSide {
  const before = stableSideOf(ctx.old);
  const stable = draft.status.stableRS;
  const promoted = stable !== ctx.old.stableRS && stable === ctx.sets.currentHash;
  return promoted ? otherSide(before) : before;
}

/**
 * The Services in the stable and canary roles for the draft: `stableService`/`canaryService`, or with
 * `pingPong` the `stableSide` Service as stable and the other as canary.
 */
export function serviceRoles(ctx: PlanContext, draft: Draft): ServiceRoles {
  return serviceRolesOf(ctx.canary, stableSide(ctx, draft));
}

/**
 * Records `stableSide` in `status.canary.stablePingPong` (only with `pingPong`; written when it was missing).
 * Called once, when the pass has made every decision.
 */
export function recordStablePingPong(ctx: PlanContext, draft: Draft): void {
  if (ctx.canary.pingPong === undefined) return;
  const side = stableSide(ctx, draft);
  if (draft.status.canary?.stablePingPong === side) return;
  draft.status.canary = { ...draft.status.canary, stablePingPong: side };
}

/** True while the recorded weights still send traffic to the canary. */
function canaryCarriesTraffic(ctx: PlanContext): boolean {
  return (ctx.old.canary?.weights?.canary.weight ?? 0) > 0;
}

/**
 * Points the ping and pong Services (through `pointService`: only at a ReplicaSet with an available pod):
 * the stable one at the stable hash, the canary one at the desired hash. While aborted the canary Service
 * also goes to the stable hash, but only once the recorded weights send it no traffic: the weights move
 * back to the stable Service first, then the canary Service's selector, then (after
 * `abortScaleDownDelaySeconds`) the canary ReplicaSet scales down. Fully promoted, both select the stable.
 */
export function planPingPongServices(ctx: PlanContext, draft: Draft): void {
  const { stableService, canaryService } = serviceRoles(ctx, draft);
  const stableHash = draft.status.stableRS;
  pointService(ctx, draft, stableService, stableHash);
  if (!isAborted(ctx, draft)) pointService(ctx, draft, canaryService, ctx.sets.currentHash);
  else if (!canaryCarriesTraffic(ctx)) pointService(ctx, draft, canaryService, stableHash);
}

/**
 * With `pingPong`, true when every role that `weights` gives traffic (weight > 0) is a Service that, after
 * this pass's selector changes, selects that role's ReplicaSet: no traffic is sent to a ping/pong Service
 * still selecting another revision. A Service the snapshot did not observe is not held against the move.
 * Without `pingPong`: always true.
 */
export function pingPongServicesSelect(ctx: PlanContext, draft: Draft, weights: TrafficWeights): boolean {
  if (ctx.canary.pingPong === undefined) return true;
  return [weights.canary, weights.stable].every((dest) => {
    if (dest.weight === 0 || dest.serviceName === undefined) return true;
    const selected = plannedSelector(ctx, draft, dest.serviceName);
    return selected === null || selected === dest.podTemplateHash;
  });
}
