import type { BlueGreenStrategy } from '../../api/index.js';
import { type Draft, isAborted, type PlanContext, type Roles, rolesOf } from '../plan-context.js';
import { createDesired, planHistory, scale } from '../plan-scale.js';
import { clearScaleDownDeadline, scaleDownAfterDelay } from '../plan-scale-delay.js';
import { promoteStable } from '../plan-steps.js';
import type { ReplicaSetView } from '../snapshot.js';
import { stopPromotionRuns } from './bg-analysis.js';
import { analysisGate, pauseGate } from './bg-gates.js';
import { planBlueGreenServices } from './bg-services.js';

const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

/** The desired ReplicaSet at `replicas` (created if missing), without a stale scale-down deadline. */
function scaleDesired(ctx: PlanContext, draft: Draft, roles: Roles, replicas: number): void {
  const sync = { revision: ctx.revision, minReadySeconds: ctx.settings.minReadySeconds };
  if (roles.desired === undefined) {
    createDesired(ctx, draft, roles, replicas);
    return;
  }
  scale(draft, roles.desired, replicas, sync);
  clearScaleDownDeadline(draft, roles.desired, replicas);
}

function saturated(rs: ReplicaSetView | undefined, replicas: number): boolean {
  return rs !== undefined && rs.specReplicas === replicas && rs.availableReplicas >= replicas;
}

function planPromoted(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy, roles: Roles): void {
  const hash = ctx.sets.currentHash;
  scaleDesired(ctx, draft, roles, ctx.settings.replicas);
  planBlueGreenServices(ctx, draft, bg, { active: hash, preview: hash });
  const delay = bg.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  for (const rs of roles.others) scaleDownAfterDelay(ctx, draft, rs, 0, delay);
  if (draft.status.blueGreen) delete draft.status.blueGreen.scaleUpPreviewCheckPoint;
}

/** Abort: active back to stable first; the preview is scaled down only once the active Service shows stable. */
function planAbort(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy, roles: Roles): void {
  stopPromotionRuns(ctx, draft);
  if (roles.stable) scale(draft, roles.stable, ctx.settings.replicas);
  planBlueGreenServices(ctx, draft, bg, { active: draft.status.stableRS, preview: undefined });
  const active = ctx.snapshot.services?.find((s) => s.name === bg.activeService);
  const delay = bg.abortScaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  if (active?.podTemplateHash !== draft.status.stableRS || delay === 0 || !roles.desired) return;
  scaleDownAfterDelay(ctx, draft, roles.desired, 0, delay);
}

function previewReplicas(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy): number {
  const full = ctx.settings.replicas;
  const promoting = draft.status.blueGreen?.scaleUpPreviewCheckPoint === true || draft.status.promoteFull;
  if (promoting || bg.previewReplicaCount === undefined) return full;
  return Math.min(bg.previewReplicaCount, full);
}

/** Before the switch: preview saturated → pre-promotion analysis → pause → scale to full → switch active. */
function planCutover(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy, roles: Roles): void {
  const hash = ctx.sets.currentHash;
  const target = previewReplicas(ctx, draft, bg);
  scaleDesired(ctx, draft, roles, target);
  const ready = saturated(roles.desired, target);
  let active = draft.status.stableRS;
  if (ready && draft.status.blueGreen?.scaleUpPreviewCheckPoint !== true) {
    const go = analysisGate(ctx, draft, 'PrePromotion', bg) === 'go' && pauseGate(ctx, draft, bg) === 'go';
    if (go && !isAborted(ctx, draft)) {
      draft.status.blueGreen = { ...draft.status.blueGreen, scaleUpPreviewCheckPoint: true };
      delete draft.status.controllerPause;
    }
  } else if (ready && target === ctx.settings.replicas) active = hash;
  if (isAborted(ctx, draft)) planAbort(ctx, draft, bg, rolesOf(ctx, draft));
  else planBlueGreenServices(ctx, draft, bg, { active, preview: hash });
}

function planUpdate(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy, roles: Roles): void {
  if (roles.stable) scale(draft, roles.stable, ctx.settings.replicas);
  for (const rs of roles.others) scaleDownAfterDelay(ctx, draft, rs, 0, 0);
  if (draft.status.blueGreen?.activeSelector !== ctx.sets.currentHash) {
    planCutover(ctx, draft, bg, roles);
    return;
  }
  scaleDesired(ctx, draft, roles, ctx.settings.replicas);
  planBlueGreenServices(ctx, draft, bg, { active: ctx.sets.currentHash, preview: ctx.sets.currentHash });
  const gate = analysisGate(ctx, draft, 'PostPromotion', bg);
  if (isAborted(ctx, draft)) planAbort(ctx, draft, bg, rolesOf(ctx, draft));
  else if (gate === 'go') promoteStable(ctx, draft, 'Completed blue-green update');
}

/**
 * One pass of a blue-green Rollout (Argo `rolloutBlueGreen`), after revision bookkeeping and user intents:
 * the new ReplicaSet runs as the preview (at `previewReplicaCount` until promotion) behind `previewService`;
 * once saturated, pre-promotion analysis and the promotion pause gate the switch; it is scaled to full, then
 * `activeService` is switched; post-promotion analysis gates marking it stable; older ReplicaSets go to 0
 * after `scaleDownDelaySeconds`. An abort points the active Service back at stable before the preview is
 * scaled down (after `abortScaleDownDelaySeconds`, never when 0). The stable ReplicaSet always keeps full size.
 */
export function planBlueGreen(ctx: PlanContext, draft: Draft): void {
  const bg = ctx.rollout.spec.strategy.blueGreen as BlueGreenStrategy;
  if (ctx.old.currentPodHash !== undefined && ctx.old.currentPodHash !== ctx.sets.currentHash) {
    stopPromotionRuns(ctx, draft);
    if (draft.status.blueGreen) delete draft.status.blueGreen.scaleUpPreviewCheckPoint;
  }
  const roles = rolesOf(ctx, draft);
  if (isAborted(ctx, draft)) planAbort(ctx, draft, bg, roles);
  else if (roles.promoted) planPromoted(ctx, draft, bg, roles);
  else planUpdate(ctx, draft, bg, roles);
  if (!isAborted(ctx, draft)) planHistory(ctx, draft, rolesOf(ctx, draft));
  if (draft.status.blueGreen && Object.keys(draft.status.blueGreen).length === 0)
    delete draft.status.blueGreen;
}
