import { CONDITION, POD_TEMPLATE_HASH_LABEL, REASON, VIREO_PAUSE_REASON } from '../api/index.js';
import {
  type AnalysisRunView,
  GIT_ROLLBACK_ANNOTATION,
  type RolloutView,
  type TriggeredEvent,
  type TriggerName,
} from './model.js';

type Status = NonNullable<RolloutView['status']>;

function label(rollout: RolloutView): string {
  return `${rollout.metadata?.namespace ?? ''}/${rollout.metadata?.name ?? ''}`;
}

function isAborted(status: Status): boolean {
  return status.abort === true;
}

function isPromoted(status: Status): boolean {
  return status.currentPodHash !== undefined && status.stableRS === status.currentPodHash;
}

function abortMessage(status: Status): string {
  const progressing = status.conditions?.find((c) => c.type === CONDITION.progressing);
  return progressing?.reason === REASON.aborted && progressing.message ? progressing.message : 'aborted';
}

function rolloutUpdated(r: RolloutView, hash: string): TriggeredEvent[] {
  return [
    { trigger: 'on-rollout-updated', onceKey: hash, message: `Rollout ${label(r)} updated to ${hash}` },
  ];
}

function stepEvent(r: RolloutView, hash: string, index: number, total: number): TriggeredEvent {
  return {
    trigger: 'on-rollout-step-completed',
    onceKey: `${hash}/step-${index}`,
    stepIndex: index,
    message: `Rollout ${label(r)} completed step ${index + 1}/${total}`,
  };
}

/**
 * Mid-update, the step before `currentStepIndex` is complete (a level). The last step completes in the
 * same pass that promotes, which status alone cannot tell from a first deploy or a rollback to stable
 * (both skip the steps), so that one is taken from the transition: the previous observation was
 * mid-update on the same hash and not aborted.
 */
function stepCompleted(
  r: RolloutView,
  status: Status,
  hash: string,
  previous?: RolloutView,
): TriggeredEvent[] {
  const total = r.spec?.strategy?.canary?.steps?.length ?? 0;
  const index = (status.currentStepIndex ?? 0) - 1;
  if (isAborted(status) || total === 0 || index < 0 || index >= total) return [];
  if (!isPromoted(status)) return [stepEvent(r, hash, index, total)];
  const before = previous?.status;
  const wasMidUpdate = before?.currentPodHash === hash && !isPromoted(before) && !isAborted(before);
  return wasMidUpdate && index === total - 1 ? [stepEvent(r, hash, index, total)] : [];
}

/**
 * The paused message; for Vireo's pause on a failed analysis it says the Rollout was paused and not rolled
 * back, with the status message (the failed run's metric and value).
 */
function pausedMessage(r: RolloutView, status: Status, reason: string): string {
  if (reason !== VIREO_PAUSE_REASON.failedAnalysis) return `Rollout ${label(r)} paused (${reason})`;
  const detail = status.message ? `: ${status.message}` : '';
  return `Rollout ${label(r)} paused after a failed analysis, not rolled back: traffic is back on stable and the canary is kept (promote retries the analysis, abort rolls back)${detail}`;
}

function paused(r: RolloutView, status: Status, hash: string): TriggeredEvent[] {
  const conditions = status.pauseConditions ?? [];
  const condition = conditions.find((c) => c.reason === VIREO_PAUSE_REASON.failedAnalysis) ?? conditions[0];
  if (!condition || isAborted(status)) return [];
  const reason = condition.reason ?? 'Paused';
  return [
    {
      trigger: 'on-rollout-paused',
      onceKey: `${hash}/pause-${reason}-${condition.startTime ?? ''}`,
      stepIndex: status.currentStepIndex,
      message: pausedMessage(r, status, reason),
    },
  ];
}

function aborted(r: RolloutView, status: Status, hash: string): TriggeredEvent[] {
  if (!isAborted(status)) return [];
  return [
    {
      trigger: 'on-rollout-aborted',
      onceKey: `${hash}/aborted-${status.abortedAt ?? ''}`,
      message: `Rollout ${label(r)} aborted: ${abortMessage(status)}`,
    },
  ];
}

function completed(r: RolloutView, status: Status, hash: string): TriggeredEvent[] {
  if (!isPromoted(status) || status.phase !== 'Healthy') return [];
  return [
    {
      trigger: 'on-rollout-completed',
      onceKey: hash,
      message: `Rollout ${label(r)} completed the update to ${hash}`,
    },
  ];
}

function gitRollback(r: RolloutView): TriggeredEvent[] {
  const commit = r.metadata?.annotations?.[GIT_ROLLBACK_ANNOTATION];
  if (!commit) return [];
  return [
    {
      trigger: 'on-rollout-git-rollback',
      onceKey: `git-${commit}`,
      gitCommit: commit,
      message: `Vireo committed the rollback of ${label(r)} to Git: ${commit}`,
    },
  ];
}

const RUN_TRIGGERS: Record<string, TriggerName> = {
  Running: 'on-analysis-run-running',
  Failed: 'on-analysis-run-failed',
  Error: 'on-analysis-run-error',
};

/** True when `run` is controlled by `rollout` (by uid when both have one, else by name). */
export function isOwnedBy(run: AnalysisRunView, rollout: RolloutView): boolean {
  const owner = run.metadata?.ownerReferences?.find((o) => o.kind === 'Rollout' && o.controller);
  if (!owner || run.metadata?.namespace !== rollout.metadata?.namespace) return false;
  const uid = rollout.metadata?.uid;
  return owner.uid && uid ? owner.uid === uid : owner.name === rollout.metadata?.name;
}

/** Runs of the current update only: an AnalysisRun labelled with another pod-template hash is history. */
function analysisRunEvents(r: RolloutView, runs: readonly AnalysisRunView[], hash: string): TriggeredEvent[] {
  return runs.flatMap((run): TriggeredEvent[] => {
    const phase = run.status?.phase ?? '';
    const trigger = RUN_TRIGGERS[phase];
    const name = run.metadata?.name;
    const runHash = run.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
    if (!trigger || !name || !isOwnedBy(run, r) || (runHash !== undefined && runHash !== hash)) return [];
    const detail = run.status?.message ? `: ${run.status.message}` : '';
    return [
      {
        trigger,
        onceKey: `run-${run.metadata?.uid ?? name}-${phase}`,
        analysisRun: { name, phase, message: run.status?.message },
        message: `AnalysisRun ${name} of rollout ${label(r)} is ${phase}${detail}`,
      },
    ];
  });
}

/**
 * Every trigger whose condition holds for this observation of `rollout` and its AnalysisRuns (runs owned by
 * another Rollout or to an earlier update are ignored); `previous` is the observation before it, when known. Pure: the same input
 * always yields the same events with the same `onceKey`s. Occurrences are keyed by the desired
 * pod-template hash (one per update), so a new update notifies again while a re-observation does not.
 */
export function evaluateTriggers(
  rollout: RolloutView,
  runs: readonly AnalysisRunView[],
  previous?: RolloutView,
): TriggeredEvent[] {
  const status = rollout.status ?? {};
  const hash = status.currentPodHash;
  if (!hash) return gitRollback(rollout);
  return [
    ...rolloutUpdated(rollout, hash),
    ...stepCompleted(rollout, status, hash, previous),
    ...paused(rollout, status, hash),
    ...aborted(rollout, status, hash),
    ...completed(rollout, status, hash),
    ...analysisRunEvents(rollout, runs, hash),
    ...gitRollback(rollout),
  ];
}
