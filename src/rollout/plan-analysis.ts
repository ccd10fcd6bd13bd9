import { isCompletedPhase } from '../analysis/core/index.js';
import type { RolloutAnalysis } from '../api/index.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
  STEP_ROLLOUT_TYPE,
} from './constants.js';
import { type Draft, emit, type PlanContext } from './plan-context.js';
import type { AnalysisRunView } from './snapshot.js';

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
    [ROLLOUT_TYPE_LABEL]: STEP_ROLLOUT_TYPE,
    [STEP_INDEX_LABEL]: String(index),
  };
}

function isStepRun(run: AnalysisRunView, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([key, value]) => run.labels[key] === value);
}

function trackedRun(ctx: PlanContext, draft: Draft, index: number): AnalysisRunView | undefined {
  const labels = stepRunLabels(ctx.sets.currentHash, index);
  const runs = ctx.snapshot.analysisRuns.filter((run) => isStepRun(run, labels));
  const tracked = draft.status.canary?.currentStepAnalysisRunStatus?.name;
  if (tracked !== undefined) return runs.find((run) => run.name === tracked);
  const newest = runs.sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name)).at(-1);
  return newest && !FAILED_PHASES.includes(newest.phase ?? '') ? newest : undefined;
}

function freeName(ctx: PlanContext, base: string): string {
  const taken = new Set(ctx.snapshot.analysisRuns.map((run) => run.name));
  let name = base;
  for (let n = 1; taken.has(name); n++) name = `${base}.${n}`;
  return name;
}

function createRun(ctx: PlanContext, draft: Draft, index: number, analysis: RolloutAnalysis): void {
  const hash = ctx.sets.currentHash;
  const name = freeName(ctx, `${ctx.name}-${hash}-${ctx.revision}-${index}`);
  const labels = { ...stepRunLabels(hash, index), ...analysis.analysisRunMetadata?.labels };
  draft.actions.push({
    kind: 'createAnalysisRun',
    name,
    podTemplateHash: hash,
    revision: ctx.revision,
    stepIndex: index,
    labels,
    analysis,
  });
  draft.status.canary = { ...draft.status.canary, currentStepAnalysisRunStatus: { name, status: 'Pending' } };
  emit(draft, 'Normal', 'AnalysisRunCreated', `Step analysis run "${name}" created`);
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
  const run = trackedRun(ctx, draft, index);
  if (run === undefined) {
    createRun(ctx, draft, index, analysis);
    return { kind: 'wait' };
  }
  const phase = run.phase ?? 'Pending';
  const record = { name: run.name, status: phase, ...(run.message ? { message: run.message } : {}) };
  draft.status.canary = { ...draft.status.canary, currentStepAnalysisRunStatus: record };
  if (phase === 'Successful') return { kind: 'complete' };
  if (phase === 'Failed' || phase === 'Error') {
    const detail = run.message ? `: ${run.message}` : '';
    return { kind: 'abort', cause: `Step-based analysis phase ${phase.toLowerCase()}${detail}` };
  }
  return phase === 'Inconclusive' ? { kind: 'inconclusive' } : { kind: 'wait' };
}

/**
 * Forgets the tracked step AnalysisRun; terminates it first when it is still running. Called whenever the
 * step moves on, the rollout aborts, promotes fully or resets.
 */
export function stopTrackedRun(ctx: PlanContext, draft: Draft): void {
  const tracked = draft.status.canary?.currentStepAnalysisRunStatus?.name;
  if (tracked === undefined) return;
  const run = ctx.snapshot.analysisRuns.find((candidate) => candidate.name === tracked);
  if (run && !run.terminate && !isCompletedPhase(run.phase ?? 'Pending')) {
    draft.actions.push({ kind: 'terminateAnalysisRun', name: tracked });
  }
  const { currentStepAnalysisRunStatus: _dropped, ...canary } = draft.status.canary ?? {};
  draft.status.canary = canary;
}
