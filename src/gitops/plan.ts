import {
  CONDITION,
  POD_TEMPLATE_HASH_LABEL,
  REASON,
  VIREO_ANNOTATION,
  VIREO_PAUSE_REASON,
} from '../api/index.js';
import { GIT_RECORD, optedIn, parseTarget, pushBranchFor, type WriteBackTarget } from './annotations.js';
import type { AbortReason, RollbackFacts } from './message.js';

/** A container name and image. */
export interface ContainerImage {
  name: string;
  image: string;
}

/** The Rollout fields the write-back decision reads. */
export interface ObservedRollout {
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string> };
  spec: { template?: { spec?: { containers?: ContainerImage[] } } };
  status?: {
    abort?: boolean;
    abortedAt?: string;
    currentPodHash?: string;
    stableRS?: string;
    pauseConditions?: { reason?: string; startTime?: string }[];
    conditions?: { type: string; reason?: string; message?: string }[];
  };
}

/** The AnalysisRun fields the reason is read from. */
export interface ObservedRun {
  metadata: {
    name: string;
    uid?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    ownerReferences?: { uid: string }[];
  };
  spec?: { metrics?: { name: string; successCondition?: string; failureCondition?: string }[] };
  status?: {
    phase?: string;
    message?: string;
    metricResults?: {
      name: string;
      phase: string;
      message?: string;
      measurements?: { phase: string; value?: string }[];
    }[];
  };
}

/** Everything one decision needs; `stableContainers` come from the stable ReplicaSet's pod template. */
export interface WriteBackSnapshot {
  rollout: ObservedRollout;
  runs: readonly ObservedRun[];
  stableContainers?: readonly ContainerImage[];
  allowFileRemotes: boolean;
}

/** A rollback commit to make (or find): where, on which branch, and what the message says. */
export interface WriteBackRequest {
  target: WriteBackTarget;
  /** The branch pushed to (the base branch, or the review branch). */
  pushBranch: string;
  facts: Omit<RollbackFacts, 'committedAt'>;
}

/**
 * `none`: nothing to do (not opted in, not aborted, a user abort, or this abort already recorded);
 * `refuse`: the opt-in cannot be acted on (message names the field); `write`: make sure the commit exists.
 */
export type WriteBackDecision =
  | { kind: 'none' }
  | { kind: 'refuse'; message: string }
  | { kind: 'write'; request: WriteBackRequest };

const ABORTED_WITH_CAUSE = /^Rollout aborted update to revision (\d+): (.+)$/s;

/**
 * The cause of an automatic abort, or undefined for a user abort. Vireo (like Argo) words the
 * `Progressing=False/RolloutAborted` message `Rollout aborted update to revision N: <cause>` when it aborts
 * by itself (failed analysis, progress deadline) and without a cause when a user set `status.abort`.
 */
export function automaticAbortCause(
  rollout: ObservedRollout,
): { revision: string; cause: string } | undefined {
  const status = rollout.status;
  if (status?.abort !== true || !status.abortedAt) return undefined;
  const progressing = status.conditions?.find((c) => c.type === CONDITION.progressing);
  if (progressing?.reason !== REASON.aborted) return undefined;
  const m = ABORTED_WITH_CAUSE.exec(progressing.message ?? '');
  return m ? { revision: m[1] ?? '', cause: m[2] ?? '' } : undefined;
}

/** What the write-back says about a Rollout paused on a failed analysis instead of aborted. */
export interface PauseNotice {
  /** `<rollout uid>@<pause startTime>`: one notice per pause. */
  id: string;
  message: string;
}

/**
 * The notice for an opted-in Rollout paused on a failed analysis (`vireo.dev/analysis-failure-action: pause`,
 * pause condition `FailedAnalysisRun`): nothing is committed while it is paused — the cluster still runs the
 * stable image for all traffic and Git's image is the canary the user may still promote. `undefined` otherwise.
 */
export function pauseNotice(rollout: ObservedRollout): PauseNotice | undefined {
  if (!optedIn(rollout.metadata.annotations) || rollout.status?.abort === true) return undefined;
  const pause = rollout.status?.pauseConditions?.find((c) => c.reason === VIREO_PAUSE_REASON.failedAnalysis);
  if (pause === undefined) return undefined;
  const message = `Rollout paused after a failed analysis (${VIREO_ANNOTATION.analysisFailureAction}: pause), not rolled back: nothing is committed to Git while it is paused; an abort commits the rollback, a promote retries the analysis`;
  return { id: `${rollout.metadata.uid}@${pause.startTime ?? ''}`, message };
}

/** Cheap pre-check before observing more: opted in and aborted automatically (recorded or not). */
export function writeBackDue(rollout: ObservedRollout): boolean {
  return optedIn(rollout.metadata.annotations) && automaticAbortCause(rollout) !== undefined;
}

/** Newest first: creation time, then (runs created in one second) the `.N` retry suffixes, as names sort. */
function newestFirst(a: ObservedRun, b: ObservedRun): number {
  const created = (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
  return (
    created ||
    b.metadata.name.length - a.metadata.name.length ||
    b.metadata.name.localeCompare(a.metadata.name)
  );
}

function failedRun(rollout: ObservedRollout, runs: readonly ObservedRun[]): ObservedRun | undefined {
  const { uid } = rollout.metadata;
  const { currentPodHash, abortedAt = '' } = rollout.status ?? {};
  return runs
    .filter((run) => run.metadata.ownerReferences?.some((o) => o.uid === uid) ?? true)
    .filter((run) => run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === currentPodHash)
    .filter((run) => run.status?.phase === 'Failed' || run.status?.phase === 'Error')
    .filter((run) => (run.metadata.creationTimestamp ?? '') <= abortedAt)
    .sort(newestFirst)[0];
}

/**
 * The identity of the Rollout's current automatic abort, `<rollout uid>@<abortedAt>/<revision>/<run>`: `<run>`
 * is the uid of the failed AnalysisRun that caused it, `-` when there is none (progress deadline) or it is
 * gone. `abortedAt` has one-second resolution; the revision tells apart aborts of two updates in one
 * second, the run two aborts of one update (abort, retry, abort). Computed from status and the runs alone,
 * so a restarted controller computes the same identity. Undefined when the Rollout is not aborted
 * automatically.
 */
export function abortIdentity(rollout: ObservedRollout, runs: readonly ObservedRun[]): string | undefined {
  const automatic = automaticAbortCause(rollout);
  if (automatic === undefined) return undefined;
  const run = /analysis/i.test(automatic.cause) ? failedRun(rollout, runs) : undefined;
  return `${rollout.metadata.uid}@${rollout.status?.abortedAt}/${automatic.revision}/${run?.metadata.uid ?? '-'}`;
}

/**
 * True when the Rollout's record (`vireo.dev/git-rollback-id`) is for the abort `id`. An identity whose run
 * is gone (`…/-`) matches a record made while the run existed; a record written before identities
 * existed matches on `vireo.dev/git-rollback-aborted-at` alone.
 */
export function abortRecorded(rollout: ObservedRollout, id: string): boolean {
  const annotations = rollout.metadata.annotations ?? {};
  const recorded = annotations[GIT_RECORD.id];
  if (recorded === undefined) return annotations[GIT_RECORD.abortedAt] === rollout.status?.abortedAt;
  return recorded === id || (id.endsWith('/-') && recorded.startsWith(id.slice(0, -1)));
}

/** Metric, measured value, condition and message of the first failed metric of `run`. */
export function analysisReason(run: ObservedRun, summary: string): AbortReason {
  const reason: AbortReason = { kind: 'analysis', summary, analysisRun: run.metadata.name };
  if (run.status?.phase) reason.phase = run.status.phase;
  const results = run.status?.metricResults ?? [];
  const metric = results.find((r) => r.phase === 'Failed' || r.phase === 'Error') ?? results[0];
  const detail = metric?.message ?? run.status?.message;
  if (detail) reason.detail = detail;
  if (!metric) return reason;
  reason.metric = metric.name;
  const measurements = metric.measurements ?? [];
  const failing = [...measurements].reverse().find((m) => m.phase === metric.phase) ?? measurements.at(-1);
  if (failing?.value !== undefined) reason.measured = failing.value;
  const spec = run.spec?.metrics?.find((m) => m.name === metric.name);
  if (spec?.failureCondition) reason.condition = `failureCondition "${spec.failureCondition}"`;
  else if (spec?.successCondition) reason.condition = `successCondition "${spec.successCondition}"`;
  return reason;
}

function abortReason(snapshot: WriteBackSnapshot, cause: string): AbortReason {
  if (cause.includes('timed out progressing')) return { kind: 'deadline', summary: cause };
  const run = /analysis/i.test(cause) ? failedRun(snapshot.rollout, snapshot.runs) : undefined;
  if (run) return analysisReason(run, cause);
  return { kind: /analysis/i.test(cause) ? 'analysis' : 'other', summary: cause };
}

function rolledBackContainer(
  target: WriteBackTarget,
  current: readonly ContainerImage[],
  stable: readonly ContainerImage[],
): { from: string; to: string } | string {
  const stableOf = (name: string) => stable.find((c) => c.name === name)?.image;
  const named = target.container ? current.filter((c) => c.name === target.container) : current;
  if (named.length === 0) return `container "${target.container}" is not in the pod template`;
  const changed = named.find((c) => stableOf(c.name) !== undefined && stableOf(c.name) !== c.image);
  if (!changed) return 'the aborted template has the stable image already; nothing to roll back';
  return { from: changed.image, to: stableOf(changed.name) ?? '' };
}

/**
 * Decides whether an automatic abort must be written back, from the observed Rollout, its AnalysisRuns and
 * the stable pod template only (no I/O, no clock). A user abort, an abort already recorded (see
 * `abortRecorded`) or a Rollout without the opt-in gives `none`, so repeating the decision after a restart
 * never asks for a second commit; two aborts have two identities even within one second.
 */
export function planWriteBack(snapshot: WriteBackSnapshot): WriteBackDecision {
  const { rollout } = snapshot;
  const automatic = automaticAbortCause(rollout);
  const abortId = abortIdentity(rollout, snapshot.runs);
  if (!writeBackDue(rollout) || !automatic || !abortId || abortRecorded(rollout, abortId))
    return { kind: 'none' };
  const parsed = parseTarget(rollout.metadata.annotations ?? {}, snapshot.allowFileRemotes);
  if (!parsed.ok) return { kind: 'refuse', message: parsed.message };
  if (!snapshot.stableContainers) return { kind: 'refuse', message: 'the stable ReplicaSet was not found' };
  const containers = rollout.spec.template?.spec?.containers ?? [];
  const images = rolledBackContainer(parsed.target, containers, snapshot.stableContainers);
  if (typeof images === 'string') return { kind: 'refuse', message: images };
  const abortedAt = rollout.status?.abortedAt ?? '';
  const facts: WriteBackRequest['facts'] = {
    namespace: rollout.metadata.namespace,
    rollout: rollout.metadata.name,
    uid: rollout.metadata.uid,
    abortId,
    revision: automatic.revision,
    fromImage: images.from,
    toImage: images.to,
    abortedAt,
    path: parsed.target.path,
    reason: abortReason(snapshot, automatic.cause),
  };
  return {
    kind: 'write',
    request: {
      target: parsed.target,
      pushBranch: pushBranchFor(parsed.target, abortedAt, automatic.revision),
      facts,
    },
  };
}
