import { isCompletedPhase } from '../../analysis/core/index.js';
import type { RolloutAnalysis } from '../../api/index.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  ROLLOUT_TYPE,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
  VIREO_EVENT_REASON,
} from '../../api/index.js';
import { failedRunCause } from '../core/failure-pause.js';
import type { AnalysisRunView } from '../core/snapshot.js';
import { type Draft, emit, type PlanContext } from './context.js';

const FAILED_PHASES = ['Failed', 'Error', 'Inconclusive'];

/** What the current `analysis` step's run says: keep waiting, advance, abort, or pause (Inconclusive). */
export type AnalysisVerdict =
  | { kind: 'wait' }
  | { kind: 'complete' }
  | { kind: 'abort'; cause: string }
  | { kind: 'inconclusive' };

/** Labels of the AnalysisRun of step `index` for pod hash `hash`. */
export function stepRunLabels(hash: string, index: number): Record<string, string> {
  return {
    [POD_TEMPLATE_HASH_LABEL]: hash,
    [ROLLOUT_TYPE_LABEL]: ROLLOUT_TYPE.step,
    [STEP_INDEX_LABEL]: String(index),
  };
}

/**
 * The run an analysis follows among those carrying all `labels`: the `recorded` one (by name) when the status
 * names one, else the newest (longest, then last name: `.N` suffixes sort last) unless it already ended badly.
 */
export function trackedRunOf(
  ctx: PlanContext,
  labels: Record<string, string>,
  recorded: string | undefined,
): AnalysisRunView | undefined {
  const runs = ctx.snapshot.analysisRuns.filter((run) =>
    Object.entries(labels).every(([key, value]) => run.labels[key] === value),
  );
  if (recorded !== undefined) return runs.find((run) => run.name === recorded);
  const newest = runs.sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name)).at(-1);
  return newest && !FAILED_PHASES.includes(newest.phase ?? '') ? newest : undefined;
}

/** `{name, status, message}` of a run, as the Rollout status records the runs it follows. */
export function runRecord(run: AnalysisRunView): { name: string; status: string; message?: string } {
  return { name: run.name, status: run.phase ?? 'Pending', ...(run.message ? { message: run.message } : {}) };
}

/**
 * The verdict of a run's phase: Successful → complete; Failed/Error → abort with the cause
 * "`<what>` analysis phase failed|error: <message>"; Inconclusive → inconclusive; anything else → wait.
 */
export function verdictOf(run: AnalysisRunView, what: string): AnalysisVerdict {
  const phase = run.phase ?? 'Pending';
  if (phase === 'Successful') return { kind: 'complete' };
  if (phase === 'Failed' || phase === 'Error')
    return { kind: 'abort', cause: failedRunCause(what, phase, run.message) };
  return phase === 'Inconclusive' ? { kind: 'inconclusive' } : { kind: 'wait' };
}

/**
 * Plans the creation of an AnalysisRun of the desired ReplicaSet: named `base` (`.N` appended while the name
 * is taken), labelled `labels` plus `analysisRunMetadata.labels`, with an `AnalysisRunCreated` event naming
 * `what` (e.g. "Step"). Returns the name.
 */
export function planRunCreation(
  ctx: PlanContext,
  draft: Draft,
  run: {
    base: string;
    labels: Record<string, string>;
    analysis: RolloutAnalysis;
    what: string;
    stepIndex?: number;
  },
): string {
  const taken = new Set(ctx.snapshot.analysisRuns.map((existing) => existing.name));
  let name = run.base;
  for (let n = 1; taken.has(name); n++) name = `${run.base}.${n}`;
  draft.actions.push({
    kind: 'createAnalysisRun',
    name,
    podTemplateHash: ctx.sets.currentHash,
    revision: ctx.revision,
    ...(run.stepIndex === undefined ? {} : { stepIndex: run.stepIndex }),
    labels: { ...run.labels, ...run.analysis.analysisRunMetadata?.labels },
    analysis: run.analysis,
  });
  emit(draft, 'Normal', VIREO_EVENT_REASON.analysisRunCreated, `${run.what} analysis run "${name}" created`);
  return name;
}

function createRun(ctx: PlanContext, draft: Draft, index: number, analysis: RolloutAnalysis): void {
  const hash = ctx.sets.currentHash;
  const base = `${ctx.name}-${hash}-${ctx.revision}-${index}`;
  const labels = stepRunLabels(hash, index);
  const name = planRunCreation(ctx, draft, { base, labels, analysis, what: 'Step', stepIndex: index });
  draft.status.canary = { ...draft.status.canary, currentStepAnalysisRunStatus: { name, status: 'Pending' } };
}

/**
 * Drives the AnalysisRun of `analysis` step `index`: creates it when missing (name
 * `<rollout>-<hash>-<revision>-<index>`, `.N` appended when taken), records its phase in
 * `status.canary.currentStepAnalysisRunStatus`, and maps the phase: Successful → complete; Failed/Error →
 * abort; Inconclusive → pause; anything else → wait.
 */
export function analysisVerdict(
  ctx: PlanContext,
  draft: Draft,
  index: number,
  analysis: RolloutAnalysis,
): AnalysisVerdict {
  const labels = stepRunLabels(ctx.sets.currentHash, index);
  const run = trackedRunOf(ctx, labels, draft.status.canary?.currentStepAnalysisRunStatus?.name);
  if (run === undefined) {
    createRun(ctx, draft, index, analysis);
    return { kind: 'wait' };
  }
  draft.status.canary = { ...draft.status.canary, currentStepAnalysisRunStatus: runRecord(run) };
  return verdictOf(run, 'Step-based');
}

/**
 * Plans `spec.terminate` for the AnalysisRun `name` while it still runs: never for a run already asked to
 * stop, completed, or not in the snapshot, so stopping twice writes once.
 */
export function terminateIfRunning(ctx: PlanContext, draft: Draft, name: string | undefined): void {
  const run = ctx.snapshot.analysisRuns.find((candidate) => candidate.name === name);
  if (name !== undefined && run && !run.terminate && !isCompletedPhase(run.phase ?? 'Pending')) {
    draft.actions.push({ kind: 'terminateAnalysisRun', name });
  }
}

/**
 * Forgets the tracked step AnalysisRun; terminates it first when it is still running. Called whenever the
 * step moves on, the rollout aborts, promotes fully or resets.
 */
export function stopTrackedRun(ctx: PlanContext, draft: Draft): void {
  const tracked = draft.status.canary?.currentStepAnalysisRunStatus?.name;
  if (tracked === undefined) return;
  terminateIfRunning(ctx, draft, tracked);
  const { currentStepAnalysisRunStatus: _dropped, ...canary } = draft.status.canary ?? {};
  draft.status.canary = canary;
}
