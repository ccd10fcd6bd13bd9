import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../../api/index.js';
import type { PlanContext } from '../plan/context.js';
import { withinRollbackWindow } from '../plan/revision.js';

function createdAt(timestamp: string | undefined): number {
  return Date.parse(timestamp ?? '');
}

/**
 * Argo `isFastRollback` for blue-green: the desired ReplicaSet is older than the stable one (the template was
 * reverted) and either still inside its `scale-down-deadline` (the previous active version, not scaled down
 * yet) or inside `spec.rollbackWindow`. Such an update skips pre-promotion analysis, the promotion pause and
 * post-promotion analysis: the active Service goes back as soon as the ReplicaSet is full. Returns the
 * `RolloutCompleted` reason ("Rollback within window" / "Fast rollback"), or undefined for a normal update.
 * Pure in the snapshot and `ctx.nowMs`.
 */
export function fastRollbackReason(ctx: PlanContext, stableHash: string | undefined): string | undefined {
  const desired = ctx.sets.desired;
  const stable = ctx.snapshot.replicaSets.find((rs) => rs.podTemplateHash === stableHash);
  if (desired === undefined || stable === undefined || desired === stable) return undefined;
  if (!(createdAt(desired.creationTimestamp) < createdAt(stable.creationTimestamp))) return undefined;
  if (withinRollbackWindow(ctx, stableHash)) return 'Rollback within window';
  const deadline = createdAt(desired.annotations[SCALE_DOWN_DEADLINE_ANNOTATION]);
  return deadline > ctx.nowMs ? 'Fast rollback' : undefined;
}
