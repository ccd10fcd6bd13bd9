import { resolveRolloutArgs } from '../../analysis/core/index.js';
import type { Argument } from '../../api/index.js';
import { EVENT_REASON, PAUSE_REASON } from '../../api/index.js';
import { experimentForStep, type StepReplicaSet } from '../../experiment/core/step.js';
import type { ExperimentWeight } from '../../traffic/desired-traffic.js';
import {
  type ExperimentStepSpec,
  experimentCompleted,
  experimentStepAt,
  experimentsToDelete,
  experimentWeightsOf,
  freeExperimentName,
  stepExperiment,
} from '../core/experiments.js';
import type { ExperimentView, ReplicaSetView } from '../core/snapshot.js';
import { pauseCondition, stepCursor } from '../core/steps.js';
import { type Draft, emit, isAborted, type PlanContext, type Roles } from './context.js';
import { markAborted } from './user-intents.js';

function experimentsOf(ctx: PlanContext): readonly ExperimentView[] {
  return ctx.snapshot.experiments ?? [];
}

/** `<rollout>-<pod hash>-<revision>-<index>`: the name of the Experiment of step `index` (Argo's). */
function baseName(ctx: PlanContext, index: number): string {
  return `${ctx.name}-${ctx.sets.currentHash}-${ctx.revision}-${index}`;
}

/** The current step of the draft when it is an `experiment` step, with its index. */
export function currentExperimentStep(
  ctx: PlanContext,
  draft: Draft,
): { index: number; step: ExperimentStepSpec } | undefined {
  const cursor = stepCursor(ctx.steps, draft.status.currentStepIndex);
  const step = cursor.step?.experiment;
  return step === undefined || cursor.index === undefined ? undefined : { index: cursor.index, step };
}

/** The Experiment step `index` follows (`stepExperiment`: the recorded one, else its newest running one). */
export function trackedExperiment(ctx: PlanContext, index: number): ExperimentView | undefined {
  return stepExperiment(experimentsOf(ctx), baseName(ctx, index), ctx.old.canary?.currentExperiment);
}

/**
 * The Experiment weights the routers carry this pass (Argo `calculateWeightDestinationsFromExperiment`):
 * those of the Experiment `status.canary.currentExperiment` names while it is Running, for the templates of
 * the latest `experiment` step at or before the current one that set a `weight`; none once fully promoted,
 * aborted, promoting fully, or past the last step.
 */
export function experimentWeightsNow(ctx: PlanContext, draft: Draft, roles: Roles): ExperimentWeight[] {
  if (!ctx.routed || roles.promoted || isAborted(ctx, draft) || draft.status.promoteFull) return [];
  const name = ctx.old.canary?.currentExperiment;
  const experiment = experimentsOf(ctx).find((candidate) => candidate.name === name);
  return experimentWeightsOf(experimentStepAt(ctx.steps, draft.status.currentStepIndex), experiment);
}

function setCurrent(draft: Draft, name: string): void {
  draft.status.canary = { ...draft.status.canary, currentExperiment: name };
}

function terminateRunning(draft: Draft, experiments: readonly ExperimentView[]): void {
  for (const experiment of experiments) {
    if (experiment.terminate || experimentCompleted(experiment)) continue;
    draft.actions.push({ kind: 'terminateExperiment', name: experiment.name });
  }
}

function source(rs: ReplicaSetView): StepReplicaSet | undefined {
  if (rs.template === undefined || rs.selector === undefined) return undefined;
  const minReady = rs.minReadySeconds ? { minReadySeconds: rs.minReadySeconds } : {};
  return { template: rs.template, selector: rs.selector, ...minReady };
}

type ArgsResult = { ok: true; value: Record<string, Argument[]> } | { ok: false; error: string };

function analysisArgs(
  ctx: PlanContext,
  step: ExperimentStepSpec,
  stableHash: string | undefined,
): ArgsResult {
  const value: Record<string, Argument[]> = {};
  const from = { rollout: ctx.rollout, stableHash, latestHash: ctx.sets.currentHash };
  for (const analysis of step.analyses ?? []) {
    const args = resolveRolloutArgs(from, analysis.args ?? []);
    if (!args.ok) return { ok: false, error: `analysis "${analysis.name}": ${args.error}` };
    value[analysis.name] = args.value;
  }
  return { ok: true, value };
}

/**
 * Plans the creation of step `index`'s Experiment (`experimentForStep`) under the first free name
 * (`<base>`, `<base>-1`, …), with an `ExperimentCreated` event, and records it as current. Waits while the
 * stable or the canary ReplicaSet is missing (Argo waits for the stable). An argument that cannot be resolved
 * aborts the rollout with the reason (Argo would retry the reconcile forever).
 */
function createExperiment(
  ctx: PlanContext,
  draft: Draft,
  roles: Roles,
  index: number,
  step: ExperimentStepSpec,
) {
  const stable = roles.stable && source(roles.stable);
  const canary = roles.desired && source(roles.desired);
  if (stable === undefined || canary === undefined) return;
  const args = analysisArgs(ctx, step, roles.stable?.podTemplateHash);
  if (!args.ok) {
    markAborted(ctx, draft, `the Experiment of step ${index} cannot be created: ${args.error}`);
    return;
  }
  const experiment = experimentForStep({
    rollout: ctx.rollout,
    step,
    stepIndex: index,
    podTemplateHash: ctx.sets.currentHash,
    revision: String(ctx.revision),
    stable,
    canary,
    analysisArgs: args.value,
  });
  const name = freeExperimentName(experimentsOf(ctx), baseName(ctx, index));
  experiment.metadata = { ...experiment.metadata, name };
  draft.actions.push({ kind: 'createExperiment', experiment });
  emit(draft, 'Normal', EVENT_REASON.experimentCreated, `Created Experiment '${name}'`);
  setCurrent(draft, name);
}

function heldByInconclusive(draft: Draft): boolean {
  const status = draft.status;
  return [PAUSE_REASON.inconclusiveAnalysis, PAUSE_REASON.inconclusiveExperiment].some(
    (reason) => pauseCondition(status, reason) !== undefined,
  );
}

/**
 * Argo `reconcileExperiments`, after traffic: `status.canary.currentExperiment` is recorded afresh each pass.
 * Aborted or promoting fully → every running Experiment is terminated. Held by an inconclusive pause →
 * nothing (Argo holds for an inconclusive analysis only; Vireo also for an inconclusive Experiment, where
 * Argo would start the step's Experiment again at once, paused). On an `experiment` step: its Experiment
 * is created when missing, and recorded as current while it has not completed. Every other Experiment still
 * running is terminated, and those beyond the AnalysisRun history limits, or whose ReplicaSet is gone, are
 * deleted (`experimentsToDelete`).
 */
export function planExperiments(ctx: PlanContext, draft: Draft, roles: Roles): void {
  const { currentExperiment: _recorded, ...canary } = draft.status.canary ?? {};
  draft.status.canary = canary;
  const all = experimentsOf(ctx);
  if (isAborted(ctx, draft) || draft.status.promoteFull) {
    terminateRunning(draft, all);
    return;
  }
  if (heldByInconclusive(draft)) return;
  const current = currentExperimentStep(ctx, draft);
  const tracked = current && trackedExperiment(ctx, current.index);
  if (current && tracked === undefined) createExperiment(ctx, draft, roles, current.index, current.step);
  else if (tracked && !experimentCompleted(tracked)) setCurrent(draft, tracked.name);
  const others = all.filter((experiment) => experiment !== tracked);
  terminateRunning(draft, others);
  const limits = {
    successful: ctx.settings.successfulRunHistoryLimit,
    unsuccessful: ctx.settings.unsuccessfulRunHistoryLimit,
  };
  for (const experiment of experimentsToDelete(others, ctx.snapshot.replicaSets, limits)) {
    draft.actions.push({ kind: 'deleteExperiment', name: experiment.name });
  }
}

/** What the current `experiment` step's Experiment says: keep waiting, advance, abort, or pause. */
export type ExperimentVerdict =
  | { kind: 'wait' }
  | { kind: 'complete' }
  | { kind: 'abort'; cause: string | undefined }
  | { kind: 'inconclusive' };

/**
 * The verdict of step `index`'s Experiment (Argo): Successful → complete; Failed/Error → abort with the
 * Experiment's `status.message` as the cause (Argo's `AddAbort(message)`: "Rollout aborted update to
 * revision N: <message>"); Inconclusive → pause; anything else (or not created yet) → wait.
 */
export function experimentVerdict(ctx: PlanContext, index: number): ExperimentVerdict {
  const experiment = trackedExperiment(ctx, index);
  const phase = experiment?.phase;
  if (phase === 'Successful') return { kind: 'complete' };
  if (phase === 'Failed' || phase === 'Error') return { kind: 'abort', cause: experiment?.message };
  return phase === 'Inconclusive' ? { kind: 'inconclusive' } : { kind: 'wait' };
}
