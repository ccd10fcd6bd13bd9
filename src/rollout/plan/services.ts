import { type Draft, isAborted, type PlanContext } from './context.js';
import { appliedCanaryWeight, scalesStableDynamically } from './dynamic-stable.js';
import { planPingPongServices } from './ping-pong.js';
import { pointService } from './point-service.js';

function selectorTarget(ctx: PlanContext, draft: Draft, service: string): string | undefined {
  const stableHash = draft.status.stableRS;
  if (service === ctx.canary.stableService) return stableHash;
  const drained = !scalesStableDynamically(ctx) || appliedCanaryWeight(ctx) === 0;
  return isAborted(ctx, draft) && drained ? stableHash : ctx.sets.currentHash;
}

/**
 * Points `stableService` at the stable hash and `canaryService` at the desired hash (the stable one while
 * aborted; with `dynamicStableScale` only once no canary weight is applied), through `pointService`; with
 * `pingPong`, the ping and pong Services in their current roles (`planPingPongServices`).
 */
export function planServices(ctx: PlanContext, draft: Draft): void {
  if (ctx.canary.pingPong !== undefined) {
    planPingPongServices(ctx, draft);
    return;
  }
  for (const name of [ctx.canary.stableService, ctx.canary.canaryService]) {
    if (name !== undefined) pointService(ctx, draft, name, selectorTarget(ctx, draft, name));
  }
}
