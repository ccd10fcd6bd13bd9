import type { Rollout } from '../../api/index.js';
import { VIREO_EVENT_REASON } from '../../api/index.js';
import type { PodView } from '../core/snapshot.js';
import { type Draft, emit, type PlanContext } from './context.js';

/** How often a restart that waits for availability looks again when no watch event arrives first. */
export const RESTART_RECHECK_MS = 30_000;

/**
 * True while `spec.restartAt` is set and not yet echoed in `status.restartedAt`: the reconciler must observe
 * the pods of the owned ReplicaSets (and only then, so an idle Rollout costs no pod list).
 */
export function needsPods(rollout: Rollout): boolean {
  const at = rollout.spec.restartAt;
  return at !== undefined && at !== '' && at !== rollout.status?.restartedAt;
}

function unavailable(ctx: PlanContext, pods: readonly PodView[]): number {
  const live = ctx.snapshot.replicaSets.filter((rs) => rs.specReplicas > 0);
  const byStatus = live.reduce((sum, rs) => sum + Math.max(0, rs.specReplicas - rs.availableReplicas), 0);
  const wanted = live.reduce((sum, rs) => sum + rs.specReplicas, 0);
  const serving = pods.filter((pod) => pod.ready && !pod.terminating).length;
  return Math.max(byStatus, wanted - serving);
}

/**
 * The pods `spec.restartAt` still has to replace: pods of ReplicaSets with replicas, created strictly before
 * `restartAt`, not already terminating; oldest first (ties by name).
 */
export function podsToRestart(ctx: PlanContext, pods: readonly PodView[], atMs: number): PodView[] {
  const live = new Set(ctx.snapshot.replicaSets.filter((rs) => rs.specReplicas > 0).map((rs) => rs.name));
  return pods
    .filter((pod) => live.has(pod.replicaSet) && !pod.terminating && Date.parse(pod.creationTimestamp) < atMs)
    .sort((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp) || a.name.localeCompare(b.name));
}

/**
 * The pod restarter (Argo `RolloutPodRestarter`, with deletes instead of evictions): while `needsPods`,
 * once `now ≥ restartAt`, deletes the oldest pods created before it, at most
 * `max(maxUnavailable, 1) − unavailable` per pass, where `unavailable` counts both missing availability in
 * ReplicaSet status and pods not Ready (so a replacement must be Ready before the next delete). With nothing
 * left to restart, `status.restartedAt = restartAt`. Returns true when pods were deleted this pass (the caller
 * then scales nothing, as Argo stops the pass after an eviction).
 */
export function planRestart(ctx: PlanContext, draft: Draft): boolean {
  const at = ctx.rollout.spec.restartAt;
  const pods = ctx.snapshot.pods;
  if (!needsPods(ctx.rollout) || at === undefined || pods === undefined) return false;
  const atMs = Date.parse(at);
  if (!Number.isFinite(atMs)) return false;
  if (atMs > ctx.nowMs) {
    draft.requeueMs.push(atMs - ctx.nowMs);
    return false;
  }
  const stale = podsToRestart(ctx, pods, atMs);
  if (stale.length === 0) {
    draft.status.restartedAt = at;
    emit(draft, 'Normal', VIREO_EVENT_REASON.rolloutRestarted, `Restarted all pods created before ${at}`);
    return false;
  }
  draft.requeueMs.push(RESTART_RECHECK_MS);
  const budget = Math.max(ctx.maxUnavailable, 1) - unavailable(ctx, pods);
  const chosen = stale.slice(0, Math.max(0, budget));
  for (const pod of chosen) {
    draft.actions.push({ kind: 'deletePod', name: pod.name, uid: pod.uid });
    emit(
      draft,
      'Normal',
      VIREO_EVENT_REASON.restartingPod,
      `Restarting pod ${pod.name} (created before ${at})`,
    );
  }
  return chosen.length > 0;
}
