import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../../api/index.js';
import { rfc3339Seconds } from '../../util/time.js';
import { revisionOf } from '../core/replicasets.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import type { Draft, PlanContext } from './context.js';

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
    const annotations = { [SCALE_DOWN_DEADLINE_ANNOTATION]: rfc3339Seconds(ctx.nowMs + seconds * 1000) };
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

/** An old ReplicaSet and the count it should go down to once its delay allows. */
export interface ScaleDownTarget {
  rs: ReplicaSetView;
  replicas: number;
}

/** `scaleDownDelayRevisionLimit` of the Rollout's strategy (blue-green or canary); `undefined`: no limit. */
export function scaleDownRevisionLimit(ctx: PlanContext): number | undefined {
  const { blueGreen, canary } = ctx.rollout.spec.strategy;
  return blueGreen?.scaleDownDelayRevisionLimit ?? canary?.scaleDownDelayRevisionLimit;
}

/**
 * `scaleDownAfterDelay` for several old ReplicaSets under `scaleDownDelayRevisionLimit` (Argo
 * `scaleDownDelayHelper`): of the ReplicaSets that still have to go down, only the `limit` newest (by revision)
 * keep running until their deadline; the older ones go down at once. Without a limit every one waits.
 * Example (limit 1, revisions 3, 2, 1 all above target): revision 3 waits for its deadline; 2 and 1 are scaled
 * down in this pass. Limit 0: all are scaled down now.
 */
export function scaleDownOldAfterDelay(
  ctx: PlanContext,
  draft: Draft,
  targets: readonly ScaleDownTarget[],
  seconds: number,
): void {
  const limit = scaleDownRevisionLimit(ctx) ?? Number.POSITIVE_INFINITY;
  const pending = targets.filter((t) => t.rs.specReplicas > t.replicas);
  const newestFirst = [...pending].sort(
    (a, b) => revisionOf(b.rs) - revisionOf(a.rs) || b.rs.name.localeCompare(a.rs.name),
  );
  const waiting = new Set(newestFirst.slice(0, limit).map((t) => t.rs));
  for (const target of pending) {
    if (waiting.has(target.rs)) scaleDownAfterDelay(ctx, draft, target.rs, target.replicas, seconds);
    else draft.actions.push({ kind: 'scaleReplicaSet', name: target.rs.name, replicas: target.replicas });
  }
}
