import { isCompletedPhase } from '../../analysis/core/index.js';
import type { RolloutAnalysis } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL, ROLLOUT_TYPE_LABEL } from '../constants.js';
import { type AnalysisVerdict, planRunCreation } from '../plan-analysis.js';
import type { Draft, PlanContext } from '../plan-context.js';
import type { AnalysisRunView } from '../snapshot.js';

/** The two analyses of a blue-green update, named by their `rollout-type` label as Argo labels them. */
export type PromotionAnalysis = 'PrePromotion' | 'PostPromotion';

const STATUS_FIELD = {
  PrePromotion: 'prePromotionAnalysisRunStatus',
  PostPromotion: 'postPromotionAnalysisRunStatus',
} as const;
const SUFFIX = { PrePromotion: 'pre', PostPromotion: 'post' } as const;
const FAILED = ['Failed', 'Error', 'Inconclusive'];

function labelsFor(hash: string, type: PromotionAnalysis): Record<string, string> {
  return { [POD_TEMPLATE_HASH_LABEL]: hash, [ROLLOUT_TYPE_LABEL]: type };
}

function matches(run: AnalysisRunView, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([key, value]) => run.labels[key] === value);
}

function trackedRun(ctx: PlanContext, draft: Draft, type: PromotionAnalysis): AnalysisRunView | undefined {
  const runs = ctx.snapshot.analysisRuns.filter((run) => matches(run, labelsFor(ctx.sets.currentHash, type)));
  const recorded = draft.status.blueGreen?.[STATUS_FIELD[type]]?.name;
  if (recorded !== undefined) return runs.find((run) => run.name === recorded);
  const newest = runs.sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name)).at(-1);
  return newest && !FAILED.includes(newest.phase ?? '') ? newest : undefined;
}

function createRun(ctx: PlanContext, draft: Draft, type: PromotionAnalysis, analysis: RolloutAnalysis): void {
  const hash = ctx.sets.currentHash;
  const base = `${ctx.name}-${hash}-${ctx.revision}-${SUFFIX[type]}`;
  const name = planRunCreation(ctx, draft, { base, labels: labelsFor(hash, type), analysis, what: type });
  draft.status.blueGreen = { ...draft.status.blueGreen, [STATUS_FIELD[type]]: { name, status: 'Pending' } };
}

/**
 * Drives the pre- or post-promotion AnalysisRun of the desired ReplicaSet: creates it when missing (name
 * `<rollout>-<hash>-<revision>-pre|post`), records it in `status.blueGreen.<pre|post>PromotionAnalysisRunStatus`
 * and maps its phase: Successful → complete; Failed/Error → abort; Inconclusive → pause; else wait.
 */
export function promotionVerdict(
  ctx: PlanContext,
  draft: Draft,
  type: PromotionAnalysis,
  analysis: RolloutAnalysis,
): AnalysisVerdict {
  const run = trackedRun(ctx, draft, type);
  if (run === undefined) {
    createRun(ctx, draft, type, analysis);
    return { kind: 'wait' };
  }
  const phase = run.phase ?? 'Pending';
  const record = { name: run.name, status: phase, ...(run.message ? { message: run.message } : {}) };
  draft.status.blueGreen = { ...draft.status.blueGreen, [STATUS_FIELD[type]]: record };
  if (phase === 'Successful') return { kind: 'complete' };
  if (phase === 'Failed' || phase === 'Error') {
    const detail = run.message ? `: ${run.message}` : '';
    return { kind: 'abort', cause: `${type} analysis phase ${phase.toLowerCase()}${detail}` };
  }
  return phase === 'Inconclusive' ? { kind: 'inconclusive' } : { kind: 'wait' };
}

/** Terminates the recorded pre/post-promotion runs that are still running and forgets them (abort, new revision). */
export function stopPromotionRuns(ctx: PlanContext, draft: Draft): void {
  const blueGreen = draft.status.blueGreen;
  if (!blueGreen) return;
  for (const field of Object.values(STATUS_FIELD)) {
    const name = blueGreen[field]?.name;
    const run = ctx.snapshot.analysisRuns.find((candidate) => candidate.name === name);
    if (name && run && !run.terminate && !isCompletedPhase(run.phase ?? 'Pending')) {
      draft.actions.push({ kind: 'terminateAnalysisRun', name });
    }
  }
  const { prePromotionAnalysisRunStatus: _pre, postPromotionAnalysisRunStatus: _post, ...rest } = blueGreen;
  draft.status.blueGreen = rest;
}
