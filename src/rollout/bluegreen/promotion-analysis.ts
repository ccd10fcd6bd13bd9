import type { RolloutAnalysis } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL, ROLLOUT_TYPE_LABEL } from '../../api/index.js';
import type { Draft, PlanContext } from '../plan/context.js';
import {
  type AnalysisVerdict,
  planRunCreation,
  runRecord,
  terminateIfRunning,
  trackedRunOf,
  verdictOf,
} from '../plan/step-analysis.js';

/** The two analyses of a blue-green update, named by their `rollout-type` label as Argo labels them. */
export type PromotionAnalysis = 'PrePromotion' | 'PostPromotion';

const STATUS_FIELD = {
  PrePromotion: 'prePromotionAnalysisRunStatus',
  PostPromotion: 'postPromotionAnalysisRunStatus',
} as const;
const SUFFIX = { PrePromotion: 'pre', PostPromotion: 'post' } as const;

function labelsFor(hash: string, type: PromotionAnalysis): Record<string, string> {
  return { [POD_TEMPLATE_HASH_LABEL]: hash, [ROLLOUT_TYPE_LABEL]: type };
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
  const recorded = draft.status.blueGreen?.[STATUS_FIELD[type]]?.name;
  const run = trackedRunOf(ctx, labelsFor(ctx.sets.currentHash, type), recorded);
  if (run === undefined) {
    createRun(ctx, draft, type, analysis);
    return { kind: 'wait' };
  }
  draft.status.blueGreen = { ...draft.status.blueGreen, [STATUS_FIELD[type]]: runRecord(run) };
  return verdictOf(run, type);
}

/** Terminates the recorded pre/post-promotion runs that are still running and forgets them (abort, new revision). */
export function stopPromotionRuns(ctx: PlanContext, draft: Draft): void {
  const blueGreen = draft.status.blueGreen;
  if (!blueGreen) return;
  for (const field of Object.values(STATUS_FIELD)) terminateIfRunning(ctx, draft, blueGreen[field]?.name);
  const { prePromotionAnalysisRunStatus: _pre, postPromotionAnalysisRunStatus: _post, ...rest } = blueGreen;
  draft.status.blueGreen = rest;
}
