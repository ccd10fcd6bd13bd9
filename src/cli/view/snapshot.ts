import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { AnalysisRun, Rollout } from '../../api/index.js';

/**
 * Everything `get rollout` shows, read in one pass: the Rollout, the ReplicaSets it owns, their pods and
 * the AnalysisRuns it owns, plus the time ages are measured against. Invariant: the view models are pure
 * functions of this value.
 */
export interface RolloutSnapshot {
  rollout: Rollout;
  replicaSets: readonly ReplicaSet[];
  pods: readonly Pod[];
  analysisRuns: readonly AnalysisRun[];
  now: Date;
}

/** True when `obj` names `owner` (by uid when both have one, else by kind and name) among its owners. */
export function ownedBy(
  obj: { metadata?: { ownerReferences?: readonly { kind: string; name: string; uid: string }[] } },
  owner: { kind: string; name: string; uid?: string },
): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((ref) =>
    owner.uid !== undefined && ref.uid !== ''
      ? ref.uid === owner.uid
      : ref.kind === owner.kind && ref.name === owner.name,
  );
}

/**
 * Age the way kubectl prints it: `45s`, `12m`, `3h`, `5d`; `<unknown>` without a timestamp. Under two
 * minutes in seconds, under two hours in minutes, under two days in hours. Examples: 90 s → `90s`,
 * 150 s → `2m`, 7200 s → `2h`, 200000 s → `2d`.
 */
export function age(timestamp: string | undefined, now: Date): string {
  if (timestamp === undefined) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(timestamp)) / 1000));
  if (Number.isNaN(seconds)) return '<unknown>';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
