import { SCALE_DOWN_DEADLINE_ANNOTATION } from './constants.js';
import type { Draft, PlanContext } from './plan-context.js';
import type { ReplicaSetView } from './snapshot.js';

function isoAfter(ctx: PlanContext, seconds: number): string {
  return new Date(ctx.nowMs + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Argo's scale-down delay: `rs` goes down to `replicas` only once its `scale-down-deadline` annotation has
 * passed; without a deadline one is written `seconds` from now first (same replica count). The pass is
 * requeued for the deadline. Nothing to do when `rs` is already at or below `replicas`.
 */
export function scaleDownAfterDelay(
  ctx: PlanContext,
  draft: Draft,
  rs: ReplicaSetView,
  replicas: number,
  seconds: number,
): void {
  if (rs.specReplicas <= replicas) return;
  const deadline = Date.parse(rs.annotations[SCALE_DOWN_DEADLINE_ANNOTATION] ?? '');
  if (Number.isNaN(deadline)) {
    const annotations = { [SCALE_DOWN_DEADLINE_ANNOTATION]: isoAfter(ctx, seconds) };
    draft.actions.push({ kind: 'scaleReplicaSet', name: rs.name, replicas: rs.specReplicas, annotations });
    draft.requeueMs.push(seconds * 1000);
  } else if (ctx.nowMs >= deadline) {
    draft.actions.push({ kind: 'scaleReplicaSet', name: rs.name, replicas });
  } else draft.requeueMs.push(deadline - ctx.nowMs);
}

/** Empties a stale `scale-down-deadline` of a ReplicaSet that is wanted again (desired, or stable). */
export function clearScaleDownDeadline(draft: Draft, rs: ReplicaSetView, replicas: number): void {
  if (!rs.annotations[SCALE_DOWN_DEADLINE_ANNOTATION]) return;
  const annotations = { [SCALE_DOWN_DEADLINE_ANNOTATION]: '' };
  draft.actions.push({ kind: 'scaleReplicaSet', name: rs.name, replicas, annotations });
}
