import type { AnalysisRun } from '../../api/index.js';
import { isCompletedPhase } from './run-metrics.js';
import { timeMs } from './time.js';

/** What history pruning needs of one AnalysisRun of a Rollout. */
export interface RunHistoryEntry {
  readonly name: string;
  readonly phase?: string;
  /** `metadata.creationTimestamp` (RFC 3339). */
  readonly createdAt?: string;
}

/** A Rollout's `spec.analysis` history limits, defaults (5 and 5) applied. */
export interface RunHistoryLimits {
  readonly successful: number;
  readonly unsuccessful: number;
}

function newestFirst(a: RunHistoryEntry, b: RunHistoryEntry): number {
  const diff = (timeMs(b.createdAt) ?? 0) - (timeMs(a.createdAt) ?? 0);
  return diff !== 0 ? diff : b.name.localeCompare(a.name);
}

/**
 * The completed runs to delete so at most `limits.successful` Successful and `limits.unsuccessful`
 * Failed/Error/Inconclusive runs remain, oldest deleted first (by creation time, then name). Runs still
 * running and the names in `keep` (the runs the Rollout's status tracks) are never returned, so a run
 * the Rollout has not reacted to yet is never pruned. Negative limits count as 0.
 */
export function runsBeyondHistory(
  entries: readonly RunHistoryEntry[],
  limits: RunHistoryLimits,
  keep: ReadonlySet<string>,
): string[] {
  const done = entries.filter((e) => isCompletedPhase(e.phase) && !keep.has(e.name)).sort(newestFirst);
  const successful = done.filter((e) => e.phase === 'Successful');
  const unsuccessful = done.filter((e) => e.phase !== 'Successful');
  return [
    ...successful.slice(Math.max(0, limits.successful)),
    ...unsuccessful.slice(Math.max(0, limits.unsuccessful)),
  ].map((e) => e.name);
}

/**
 * When a completed run may be deleted under its `spec.ttlStrategy`: `secondsAfterSuccess` for a
 * Successful run, `secondsAfterFailure` for a Failed or Error one, otherwise `secondsAfterCompletion`,
 * counted from `status.completedAt`. Undefined when the run is not completed, has no completion time or no
 * applicable TTL.
 */
export function ttlExpiry(run: Pick<AnalysisRun, 'spec' | 'status'>): Date | undefined {
  const phase = run.status?.phase;
  const completedAt = timeMs(run.status?.completedAt);
  const ttl = run.spec.ttlStrategy;
  if (!isCompletedPhase(phase) || completedAt === undefined || ttl === undefined) return undefined;
  const failed = phase === 'Failed' || phase === 'Error';
  const seconds =
    (phase === 'Successful' ? ttl.secondsAfterSuccess : undefined) ??
    (failed ? ttl.secondsAfterFailure : undefined) ??
    ttl.secondsAfterCompletion;
  return seconds === undefined ? undefined : new Date(completedAt + seconds * 1000);
}
