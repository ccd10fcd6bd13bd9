import { type BlueGreenStrategy, resolveSurgeUnavailable } from '../../api/index.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import { type Draft, isAborted, type PlanContext, type Roles, rolesOf } from '../plan/context.js';
import { planEphemeral } from '../plan/ephemeral-metadata.js';
import { planRestart } from '../plan/pod-restart.js';
import {
  clearScaleDownDeadline,
  scaleDownAfterDelay,
  scaleDownOldAfterDelay,
} from '../plan/scale-down-delay.js';
import { createDesired, planHistory, scale } from '../plan/scaling.js';
import { promoteStable } from '../plan/step-progress.js';
import { fastRollbackReason } from './fast-rollback.js';
import { stopPromotionRuns } from './promotion-analysis.js';
import { analysisGate, pauseGate } from './promotion-gates.js';
import { planBlueGreenServices } from './services.js';

const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

/**
 * The desired ReplicaSet at `replicas` (created if missing), without a stale scale-down deadline, except
 * during a fast rollback: its deadline is what marks the rollback until the update completes.
 */
function scaleDesired(ctx: PlanContext, draft: Draft, roles: Roles, replicas: number, fast?: string): void {
  const sync = { revision: ctx.revision, minReadySeconds: ctx.settings.minReadySeconds };
  if (roles.desired === undefined) {
    createDesired(ctx, draft, roles, replicas);
    return;
  }
  scale(draft, roles.desired, replicas, sync);
  if (fast === undefined) clearScaleDownDeadline(draft, roles.desired, replicas);
}

function saturated(rs: ReplicaSetView | undefined, replicas: number): boolean {
  return rs !== undefined && rs.specReplicas === replicas && rs.availableReplicas >= replicas;
}

function planPromoted(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy, roles: Roles): void {
  const hash = ctx.sets.currentHash;
  scaleDesired(ctx, draft, roles, ctx.settings.replicas);
  planBlueGreenServices(ctx, draft, bg, { active: hash, preview: hash });
  const delay = bg.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  const old = roles.others.map((rs) => ({ rs, replicas: 0 }));
  scaleDownOldAfterDelay(ctx, draft, old, delay);
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

/** The pre-promotion gates once the preview is saturated; passing them sets the scale-up checkpoint. */
function passGates(ctx: PlanContext, draft: Draft, bg: BlueGreenStrategy): void {
  const go = analysisGate(ctx, draft, 'PrePromotion', bg) === 'go' && pauseGate(ctx, draft, bg) === 'go';
  if (go && !isAborted(ctx, draft)) {
    draft.status.blueGreen = { ...draft.status.blueGreen, scaleUpPreviewCheckPoint: true };
    delete draft.status.controllerPause;
  }
}

/** One pass over an update in flight; `fast` is the fast-rollback reason when it is one. */
interface UpdatePass {
  ctx: PlanContext;
  draft: Draft;
  bg: BlueGreenStrategy;
  roles: Roles;
  fast: string | undefined;
}

/**
 * Before the switch: preview saturated → pre-promotion analysis → pause → scale to full → switch active.
 * A fast rollback (`fast` set) skips straight to full size and switches once saturated.
 */
function planCutover({ ctx, draft, bg, roles, fast }: UpdatePass): void {
  const hash = ctx.sets.currentHash;
  const target = fast === undefined ? previewReplicas(ctx, draft, bg) : ctx.settings.replicas;
  scaleDesired(ctx, draft, roles, target, fast);
  const ready = saturated(roles.desired, target);
  const checkpoint = fast !== undefined || draft.status.blueGreen?.scaleUpPreviewCheckPoint === true;
  let active = draft.status.stableRS;
  if (ready && !checkpoint) passGates(ctx, draft, bg);
  else if (ready && target === ctx.settings.replicas) active = hash;
  if (isAborted(ctx, draft)) planAbort(ctx, draft, bg, rolesOf(ctx, draft));
  else planBlueGreenServices(ctx, draft, bg, { active, preview: hash });
}

function completedReason(draft: Draft): string {
  return draft.status.promoteFull ? 'Full promotion requested' : 'Completed blue-green update';
}

function planUpdate(pass: UpdatePass): void {
  const { ctx, draft, bg, roles, fast } = pass;
  if (roles.stable) scale(draft, roles.stable, ctx.settings.replicas);
  for (const rs of roles.others) scaleDownAfterDelay(ctx, draft, rs, 0, 0);
  if (draft.status.blueGreen?.activeSelector !== ctx.sets.currentHash) {
    planCutover(pass);
    return;
  }
  scaleDesired(ctx, draft, roles, ctx.settings.replicas, fast);
  planBlueGreenServices(ctx, draft, bg, { active: ctx.sets.currentHash, preview: ctx.sets.currentHash });
  const gate = fast === undefined ? analysisGate(ctx, draft, 'PostPromotion', bg) : 'go';
  if (isAborted(ctx, draft)) planAbort(ctx, draft, bg, rolesOf(ctx, draft));
  else if (gate === 'go') promoteStable(ctx, draft, fast ?? completedReason(draft));
}

/** The pod restarter's context: blue-green's own `maxUnavailable` (Argo: used only for restarts), default 25%. */
function restartContext(ctx: PlanContext, bg: BlueGreenStrategy): PlanContext {
  if (bg.maxUnavailable === undefined) return ctx;
  const { maxUnavailable } = resolveSurgeUnavailable(0, bg.maxUnavailable, ctx.settings.replicas);
  return { ...ctx, maxUnavailable };
}

/**
 * One pass of a blue-green Rollout (Argo `rolloutBlueGreen`), after revision bookkeeping and user intents:
 * the new ReplicaSet runs as the preview (at `previewReplicaCount` until promotion) behind `previewService`;
 * once saturated, pre-promotion analysis and the promotion pause gate the switch; it is scaled to full, then
 * `activeService` is switched; post-promotion analysis gates marking it stable; older ReplicaSets go to 0
 * after `scaleDownDelaySeconds`. An abort points the active Service back at stable before the preview is
 * scaled down (after `abortScaleDownDelaySeconds`, never when 0). The stable ReplicaSet always keeps full size.
 * Reverting to a version still inside its scale-down delay (or `rollbackWindow`) is a fast rollback: no
 * analysis, no pause. Pods carry `previewMetadata` until the new ReplicaSet is stable, `activeMetadata` after.
 * `spec.restartAt` replaces pods within `maxUnavailable` (the pass goes on, as Argo's blue-green does).
 */
export function planBlueGreen(ctx: PlanContext, draft: Draft): void {
  const bg = ctx.rollout.spec.strategy.blueGreen as BlueGreenStrategy;
  if (ctx.old.currentPodHash !== undefined && ctx.old.currentPodHash !== ctx.sets.currentHash) {
    stopPromotionRuns(ctx, draft);
    if (draft.status.blueGreen) delete draft.status.blueGreen.scaleUpPreviewCheckPoint;
  }
  const roles = rolesOf(ctx, draft);
  planEphemeral(ctx, draft, roles);
  planRestart(restartContext(ctx, bg), draft);
  if (isAborted(ctx, draft)) planAbort(ctx, draft, bg, roles);
  else if (roles.promoted) planPromoted(ctx, draft, bg, roles);
  else planUpdate({ ctx, draft, bg, roles, fast: fastRollbackReason(ctx, draft.status.stableRS) });
  if (!isAborted(ctx, draft)) planHistory(ctx, draft, rolesOf(ctx, draft));
  if (draft.status.blueGreen && Object.keys(draft.status.blueGreen).length === 0)
    delete draft.status.blueGreen;
}
