import type { RolloutAnalysis, RolloutStatus } from '../../api/index.js';
import { PAUSE_REASON, POD_TEMPLATE_HASH_LABEL, ROLLOUT_TYPE, ROLLOUT_TYPE_LABEL } from '../../api/index.js';
import { failedRunCause } from '../core/failure-pause.js';
import type { AnalysisRunView } from '../core/snapshot.js';
import { addPause, type Draft, isAborted, type PlanContext } from './context.js';
import { emitAnalysisRetried, reactToFailedAnalysis, resumedFromFailurePause } from './failure-pause.js';
import { planRunCreation, terminateIfRunning } from './step-analysis.js';

const UNHEALTHY_PHASES = ['Failed', 'Error', 'Inconclusive'];

/** Labels of the background AnalysisRun of pod hash `hash` (Argo's `rollout-type: Background`). */
export function backgroundRunLabels(hash: string): Record<string, string> {
  return { [POD_TEMPLATE_HASH_LABEL]: hash, [ROLLOUT_TYPE_LABEL]: ROLLOUT_TYPE.background };
}

function matches(run: AnalysisRunView, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([key, value]) => run.labels[key] === value);
}

/** The run to follow: the recorded one, else the newest healthy, unterminated run of the current hash. */
function trackedRun(ctx: PlanContext, draft: Draft): AnalysisRunView | undefined {
  const labels = backgroundRunLabels(ctx.sets.currentHash);
  const runs = ctx.snapshot.analysisRuns.filter((run) => matches(run, labels));
  const tracked = draft.status.canary?.currentBackgroundAnalysisRunStatus?.name;
  if (tracked !== undefined) return runs.find((run) => run.name === tracked);
  const healthy = runs.filter((run) => !run.terminate && !UNHEALTHY_PHASES.includes(run.phase ?? ''));
  return healthy.sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name)).at(-1);
}

type RunRecord = NonNullable<RolloutStatus['canary']>['currentBackgroundAnalysisRunStatus'];

function record(draft: Draft, value: RunRecord): void {
  const { currentBackgroundAnalysisRunStatus: _old, ...canary } = draft.status.canary ?? {};
  draft.status.canary =
    value === undefined ? canary : { ...canary, currentBackgroundAnalysisRunStatus: value };
}

function createRun(ctx: PlanContext, draft: Draft, analysis: RolloutAnalysis): void {
  const hash = ctx.sets.currentHash;
  const base = `${ctx.name}-${hash}-${ctx.revision}`;
  const labels = backgroundRunLabels(hash);
  const name = planRunCreation(ctx, draft, { base, labels, analysis, what: 'Background' });
  record(draft, { name, status: 'Pending' });
}

/**
 * Forgets the tracked background AnalysisRun, terminating it first while it still runs. Idempotent: a
 * run already terminated or completed gets no second write.
 */
export function stopBackgroundRun(ctx: PlanContext, draft: Draft): void {
  const tracked = draft.status.canary?.currentBackgroundAnalysisRunStatus?.name;
  if (tracked === undefined) return;
  terminateIfRunning(ctx, draft, tracked);
  record(draft, undefined);
}

function mustStop(ctx: PlanContext, draft: Draft): boolean {
  const status = draft.status;
  const tracked = status.canary?.currentBackgroundAnalysisRunStatus?.name;
  const run = ctx.snapshot.analysisRuns.find((candidate) => candidate.name === tracked);
  if (run && run.labels[POD_TEMPLATE_HASH_LABEL] !== ctx.sets.currentHash) return true;
  const noStable = status.stableRS === undefined;
  return (
    noStable || status.stableRS === ctx.sets.currentHash || isAborted(ctx, draft) || !!status.promoteFull
  );
}

function pauseOnce(ctx: PlanContext, draft: Draft, wasInconclusive: boolean): void {
  if (!wasInconclusive) addPause(ctx, draft, PAUSE_REASON.inconclusiveAnalysis);
}

function retry(ctx: PlanContext, draft: Draft, analysis: RolloutAnalysis): void {
  record(draft, undefined);
  createRun(ctx, draft, analysis);
  const name = draft.status.canary?.currentBackgroundAnalysisRunStatus?.name;
  if (name !== undefined) emitAnalysisRetried(draft, 'Background', name);
}

function react(ctx: PlanContext, draft: Draft, run: AnalysisRunView, analysis: RolloutAnalysis): void {
  const phase = run.phase ?? 'Pending';
  const before = draft.status.canary?.currentBackgroundAnalysisRunStatus?.status;
  record(draft, { name: run.name, status: phase, ...(run.message ? { message: run.message } : {}) });
  if (phase === 'Failed' || phase === 'Error') {
    if (resumedFromFailurePause(ctx, draft)) {
      retry(ctx, draft, analysis);
      return;
    }
    reactToFailedAnalysis(ctx, draft, failedRunCause('Background', phase, run.message));
    if (isAborted(ctx, draft)) stopBackgroundRun(ctx, draft);
  } else if (phase === 'Inconclusive') {
    pauseOnce(ctx, draft, before === 'Inconclusive');
  }
}

/**
 * Background analysis (`strategy.canary.analysis`), Argo's rules: the run is created once a stable
 * ReplicaSet exists, the rollout is not fully promoted and `currentStepIndex ≥ startingStep` (name
 * `<rollout>-<hash>-<revision>`, `.N` when taken, labels `rollout-type: Background` plus
 * `analysisRunMetadata.labels`); its phase is recorded in `status.canary.currentBackgroundAnalysisRunStatus`;
 * Failed/Error aborts the rollout, or pauses it with `vireo.dev/analysis-failure-action: pause` (decided before
 * traffic is planned, so the same pass sends traffic back to stable; the resume that follows such a pause starts
 * a new run), Inconclusive pauses once per run; the run is terminated and forgotten on
 * promotion, full promotion, abort, a new revision (then the new revision's run starts), or when the
 * analysis is removed from the spec.
 */
export function planBackgroundAnalysis(ctx: PlanContext, draft: Draft): void {
  const analysis = ctx.canary.analysis;
  if (analysis === undefined || mustStop(ctx, draft)) {
    stopBackgroundRun(ctx, draft);
    if (analysis === undefined || draft.status.stableRS === ctx.sets.currentHash) return;
  }
  if (isAborted(ctx, draft) || draft.status.promoteFull || draft.status.stableRS === undefined) return;
  const index = draft.status.currentStepIndex ?? 0;
  if (ctx.steps.length > 0 && index < (analysis.startingStep ?? 0)) return;
  const run = trackedRun(ctx, draft);
  if (run === undefined) createRun(ctx, draft, analysis);
  else react(ctx, draft, run, analysis);
}
