import {
  EXPERIMENT_DEFAULTS,
  type Experiment,
  type ExperimentAnalysisRunStatus,
  type ExperimentStatus,
  type ExperimentTemplate,
  parseGoDuration,
  type TemplateStatus,
} from '../../api/index.js';

/** A time as Kubernetes writes it: RFC 3339 UTC with second precision, e.g. `2026-01-01T00:00:05Z`. */
export function isoSeconds(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Argo's template status codes, best to worst (`templateStatusOrder`). */
export const TEMPLATE_STATUS_ORDER = ['Successful', 'Running', 'Progressing', 'Error', 'Failed'] as const;
export type TemplateStatusCode = (typeof TEMPLATE_STATUS_ORDER)[number];

/** The analysis phases that end an Experiment early (Argo `IsTerminating`). */
const STOPPING_RUN_PHASES: readonly string[] = ['Failed', 'Error', 'Inconclusive'];
const COMPLETED_PHASES: readonly string[] = ['Successful', 'Failed', 'Error', 'Inconclusive'];

/** True for the phases after which an Experiment (or AnalysisRun) never changes again. */
export function isCompleted(phase: string | undefined): boolean {
  return COMPLETED_PHASES.includes(phase ?? '');
}

/** True for the template codes that never change again (Successful, Failed, Error). */
export function isTemplateCompleted(code: string | undefined): boolean {
  return code === 'Successful' || code === 'Failed' || code === 'Error';
}

/** Argo `TemplateIsWorse`: unknown codes rank as the best. */
export function templateIsWorse(current: string | undefined, candidate: string | undefined): boolean {
  const rank = (code: string | undefined) =>
    Math.max(0, TEMPLATE_STATUS_ORDER.indexOf((code ?? '') as TemplateStatusCode));
  return rank(candidate) > rank(current);
}

/** The status entry of template `name`, if any. */
export function templateStatusOf(
  status: ExperimentStatus | undefined,
  name: string,
): TemplateStatus | undefined {
  return status?.templateStatuses?.find((t) => t.name === name);
}

/** The status entry of analysis `name`, if any. */
export function analysisStatusOf(
  status: ExperimentStatus | undefined,
  name: string,
): ExperimentAnalysisRunStatus | undefined {
  return status?.analysisRuns?.find((a) => a.name === name);
}

/** Argo `RequiredAnalysisRunsSuccessful`: at least one analysis is `requiredForCompletion` and all of them are Successful. */
export function requiredAnalysesSuccessful(
  experiment: Experiment,
  status: ExperimentStatus | undefined,
): boolean {
  const required = (experiment.spec.analyses ?? []).filter((a) => a.requiredForCompletion);
  return (
    required.length > 0 && required.every((a) => analysisStatusOf(status, a.name)?.phase === 'Successful')
  );
}

/** Argo `HasRequiredAnalysisRuns`. */
export function hasRequiredAnalyses(experiment: Experiment): boolean {
  return (experiment.spec.analyses ?? []).some((a) => a.requiredForCompletion);
}

/**
 * Argo `IsTerminating` on `status`: `spec.terminate`, a completed phase, a Failed/Error template, a
 * Failed/Error/Inconclusive analysis, or every required analysis Successful.
 */
export function isTerminating(experiment: Experiment, status: ExperimentStatus | undefined): boolean {
  if (experiment.spec.terminate === true || isCompleted(status?.phase)) return true;
  if ((status?.templateStatuses ?? []).some((t) => t.status === 'Failed' || t.status === 'Error'))
    return true;
  if ((status?.analysisRuns ?? []).some((a) => STOPPING_RUN_PHASES.includes(a.phase ?? ''))) return true;
  return requiredAnalysesSuccessful(experiment, status);
}

/**
 * When `spec.duration` ends (`status.availableAt + duration`, in ms since the epoch), or `undefined` without
 * a duration, an `availableAt`, or with an unparseable duration (Argo then runs until terminated).
 */
export function durationEndsAt(
  experiment: Experiment,
  status: ExperimentStatus | undefined,
): number | undefined {
  const duration = experiment.spec.duration;
  const available = status?.availableAt === undefined ? Number.NaN : Date.parse(status.availableAt);
  if (!duration || Number.isNaN(available)) return undefined;
  const ms = parseGoDuration(duration);
  return ms === undefined ? undefined : available + ms;
}

/** Argo `PassedDurations`: the duration has ended strictly before `now`. */
export function passedDuration(
  experiment: Experiment,
  status: ExperimentStatus | undefined,
  now: Date,
): boolean {
  const ends = durationEndsAt(experiment, status);
  return ends !== undefined && now.getTime() > ends;
}

/**
 * Argo `CalculateTemplateReplicasCount` on `status`: 0 once the Experiment finished or terminates, or the
 * template's status is completed; otherwise `replicas` (default 1).
 */
export function desiredReplicas(
  experiment: Experiment,
  status: ExperimentStatus | undefined,
  template: ExperimentTemplate,
): number {
  if (isTerminating(experiment, status)) return 0;
  if (isTemplateCompleted(templateStatusOf(status, template.name)?.status)) return 0;
  return template.replicas ?? EXPERIMENT_DEFAULTS.replicas;
}

/** `list` with the entry named like `entry` replaced in place, or appended (Argo `Set*Status`). */
export function withEntry<T extends { name: string }>(list: readonly T[] | undefined, entry: T): T[] {
  const all = [...(list ?? [])];
  const i = all.findIndex((e) => e.name === entry.name);
  if (i < 0) all.push(entry);
  else all[i] = entry;
  return all;
}
