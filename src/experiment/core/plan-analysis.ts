import type { Argument, ExperimentAnalysis, ExperimentAnalysisRunStatus } from '../../api/index.js';
import { CONTROLLER_INSTANCE_LABEL } from '../../api/index.js';
import type { ExperimentAction } from './model.js';
import type { PassContext } from './pass-context.js';
import { analysisStatusOf, durationEndsAt, isCompleted, isoSeconds } from './rules.js';

/** One analysis's part of the draft: its actions and its next status entry. */
export interface AnalysisPlan {
  readonly actions: ExperimentAction[];
  readonly status: ExperimentAnalysisRunStatus;
}

type Resolved = { ok: true; value: string } | { ok: false; error: string };

/** The values Argo's `ResolveExperimentArgsValue` offers: template hashes and ReplicaSet names, times. */
function placeholders(ctx: PassContext): Map<string, string> {
  const values = new Map<string, string>();
  const status = ctx.experiment.status;
  const available = status?.availableAt === undefined ? Number.NaN : Date.parse(status.availableAt);
  if (!Number.isNaN(available)) {
    values.set('experiment.availableAt', isoSeconds(available));
    const ends = durationEndsAt(ctx.experiment, status);
    if (ends !== undefined) values.set('experiment.finishedAt', isoSeconds(ends));
  }
  for (const template of ctx.experiment.spec.templates) {
    const rs = ctx.snapshot.replicaSets[template.name];
    if (rs === undefined) continue;
    values.set(`templates.${template.name}.podTemplateHash`, rs.podTemplateHash ?? '');
    values.set(`templates.${template.name}.replicaset.name`, rs.name);
  }
  return values;
}

/** Replaces every `{{tag}}` (spaces trimmed) with its value; an unknown tag is an error, as in Argo. */
export function resolveExperimentArg(text: string, values: ReadonlyMap<string, string>): Resolved {
  let error: string | undefined;
  const value = text.replace(/\{\{(.*?)\}\}/g, (_all, tag: string) => {
    const found = values.get(tag.trim());
    if (found !== undefined) return found;
    error ??= `failed to resolve {{${tag}}}`;
    return '';
  });
  return error === undefined ? { ok: true, value } : { ok: false, error };
}

/** Argo `ResolveAnalysisRunArgs`: literal values resolved; arguments without a value pass on by name only. */
function runArgs(ctx: PassContext, analysis: ExperimentAnalysis): Argument[] | { error: string } {
  const values = placeholders(ctx);
  const args: Argument[] = [];
  for (const arg of analysis.args ?? []) {
    if (arg.value === undefined) {
      args.push({ name: arg.name });
      continue;
    }
    const resolved = resolveExperimentArg(arg.value, values);
    if (!resolved.ok) return { error: resolved.error };
    args.push({ name: arg.name, value: resolved.value });
  }
  return args;
}

function runMetadata(ctx: PassContext) {
  const instance = ctx.experiment.metadata.labels?.[CONTROLLER_INSTANCE_LABEL];
  const meta = ctx.experiment.spec.analysisRunMetadata;
  return {
    labels: { ...(instance ? { [CONTROLLER_INSTANCE_LABEL]: instance } : {}), ...meta?.labels },
    annotations: { ...meta?.annotations },
  };
}

function create(
  ctx: PassContext,
  analysis: ExperimentAnalysis,
  next: ExperimentAnalysisRunStatus,
): AnalysisPlan {
  const args = runArgs(ctx, analysis);
  if ('error' in args) {
    const message = `Failed to create AnalysisRun for analysis '${analysis.name}': ${args.error}`;
    return { actions: [], status: { ...next, phase: 'Error', message } };
  }
  const name = `${ctx.experiment.metadata.name ?? ''}-${analysis.name}`;
  const { dryRun, measurementRetention } = ctx.experiment.spec;
  const action: ExperimentAction = {
    kind: 'createAnalysisRun',
    analysis: analysis.name,
    name,
    templateName: analysis.templateName,
    clusterScope: analysis.clusterScope === true,
    args,
    ...(dryRun ? { dryRun } : {}),
    ...(measurementRetention ? { measurementRetention } : {}),
    metadata: runMetadata(ctx),
  };
  return { actions: [action], status: { ...next, phase: 'Pending', analysisRun: name } };
}

function verify(
  ctx: PassContext,
  analysis: ExperimentAnalysis,
  next: ExperimentAnalysisRunStatus,
): AnalysisPlan {
  const missing = ctx.snapshot.missingTemplates[analysis.name];
  if (missing === undefined) return { actions: [], status: next };
  const kind = analysis.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
  const message = `${kind} verification failed for analysis '${analysis.name}': ${missing}`;
  return { actions: [], status: { ...next, phase: 'Error', message } };
}

/**
 * Argo `reconcileAnalysisRun`, pure. Before the Experiment is available only the analysis template is
 * checked (missing → Error). Then its run is created once (`<experiment>-<analysis>`, arguments resolved
 * from `{{templates.<t>.podTemplateHash}}`, `{{templates.<t>.replicaset.name}}`,
 * `{{experiment.availableAt}}`, `{{experiment.finishedAt}}`; nothing new while terminating) and Pending;
 * afterwards the run's phase and message are mirrored until completed, a run gone is an Error, and while
 * the Experiment terminates a running run is asked to stop and its entry left as it was.
 */
export function planAnalysis(ctx: PassContext, analysis: ExperimentAnalysis): AnalysisPlan {
  const previous = analysisStatusOf(ctx.experiment.status, analysis.name) ?? { name: analysis.name };
  const next = { ...previous };
  if (ctx.experiment.status?.availableAt === undefined) return verify(ctx, analysis, next);
  if (!previous.analysisRun) {
    return ctx.terminating ? { actions: [], status: next } : create(ctx, analysis, next);
  }
  if (isCompleted(previous.phase)) return { actions: [], status: next };
  const run = ctx.snapshot.runs[previous.analysisRun];
  if (run === undefined) {
    const message = `analysisruns.argoproj.io "${previous.analysisRun}" not found`;
    return { actions: [], status: { ...next, phase: 'Error', message } };
  }
  if (ctx.terminating) {
    const stop = !isCompleted(run.phase) && !run.terminate;
    const actions: ExperimentAction[] = stop
      ? [{ kind: 'terminateAnalysisRun', analysis: analysis.name, name: run.name }]
      : [];
    return { actions, status: next };
  }
  const { message: _old, ...rest } = next;
  return {
    actions: [],
    status: {
      ...rest,
      phase: run.phase || previous.phase || 'Pending',
      ...(run.message ? { message: run.message } : {}),
    },
  };
}
