import {
  type Experiment,
  type ExperimentStatus,
  experimentSettings,
  type TemplateStatus,
} from '../../api/index.js';
import { experimentConditions } from './conditions.js';
import type {
  DraftAmendment,
  ExperimentDraft,
  ExperimentEvent,
  ExperimentOutcome,
  ExperimentSnapshot,
} from './model.js';
import { passContext } from './pass-context.js';
import { planAnalysis } from './plan-analysis.js';
import { experimentPhase } from './plan-phase.js';
import { planTemplate } from './plan-template.js';
import { desiredReplicas, durationEndsAt, isTerminating, withEntry } from './rules.js';

/**
 * The first half of an Experiment pass (Argo `reconcile` before `calculateStatus`): every template
 * (`planTemplate`) then every analysis (`planAnalysis`), in spec order, with the statuses they lead to.
 * Pure: the snapshot is the only input.
 */
export function draftExperiment(snapshot: ExperimentSnapshot): ExperimentDraft {
  const ctx = passContext(snapshot);
  const status = snapshot.experiment.status;
  let templateStatuses = [...(status?.templateStatuses ?? [])];
  let analysisRuns = [...(status?.analysisRuns ?? [])];
  const actions: ExperimentDraft['actions'] = [];
  let scaleDownAt: number | undefined;
  for (const template of snapshot.experiment.spec.templates) {
    const plan = planTemplate(ctx, template);
    actions.push(...plan.actions);
    templateStatuses = withEntry(templateStatuses, plan.status);
    if (plan.scaleDownAt !== undefined)
      scaleDownAt = Math.min(scaleDownAt ?? plan.scaleDownAt, plan.scaleDownAt);
  }
  for (const analysis of snapshot.experiment.spec.analyses ?? []) {
    const plan = planAnalysis(ctx, analysis);
    actions.push(...plan.actions);
    analysisRuns = withEntry(analysisRuns, plan.status);
  }
  return { actions, templateStatuses, analysisRuns, ...(scaleDownAt === undefined ? {} : { scaleDownAt }) };
}

/** The draft with what acting changed: failed entries become Error, created runs get their real names. */
export function amendDraft(draft: ExperimentDraft, amendments: readonly DraftAmendment[]): ExperimentDraft {
  let { templateStatuses, analysisRuns } = draft;
  for (const a of amendments) {
    if (a.kind === 'template') {
      const current = templateStatuses.find((t) => t.name === a.name) ?? { name: a.name };
      templateStatuses = withEntry(templateStatuses, { ...current, status: a.status, message: a.message });
    } else if (a.kind === 'analysis') {
      const { analysisRun: _run, ...current } = analysisRuns.find((r) => r.name === a.name) ?? {
        name: a.name,
      };
      analysisRuns = withEntry(analysisRuns, { ...current, phase: a.phase, message: a.message });
    } else if (a.kind === 'runName') {
      const current = analysisRuns.find((r) => r.name === a.analysis) ?? { name: a.analysis };
      analysisRuns = withEntry(analysisRuns, { ...current, analysisRun: a.name });
    }
  }
  return { ...draft, templateStatuses, analysisRuns };
}

const WARNING_PHASES: readonly string[] = ['Failed', 'Error', 'Inconclusive'];

function event(kind: string, name: string, from: string, to: string, message?: string): ExperimentEvent {
  const subject = name === '' ? kind : `${kind} '${name}'`;
  return {
    type: WARNING_PHASES.includes(to) ? 'Warning' : 'Normal',
    reason: `${kind}${to}`,
    message: `${subject} transitioned from ${from} -> ${to}${message ? `: ${message}` : ''}`,
  };
}

/** Entries of `after` whose code differs from the same-named entry of `before`, as [name, from, to, message]. */
function changed<T extends { name: string; message?: string }>(
  before: readonly T[] | undefined,
  after: readonly T[] | undefined,
  code: (entry: T) => string,
): [string, string, string, string | undefined][] {
  return (after ?? []).flatMap((entry) => {
    const previous = before?.find((p) => p.name === entry.name);
    const from = previous === undefined ? '' : code(previous);
    return code(entry) === from ? [] : [[entry.name, from, code(entry), entry.message]];
  });
}

/** Argo's Events for template, analysis and phase transitions (`Template<S>`, `AnalysisRun<P>`, `Experiment<P>`). */
function transitionEvents(before: ExperimentStatus | undefined, after: ExperimentStatus): ExperimentEvent[] {
  const templates = changed(before?.templateStatuses, after.templateStatuses, (t) => t.status ?? '');
  const runs = changed(before?.analysisRuns, after.analysisRuns, (r) => r.phase ?? '').filter(
    ([, , to]) => to !== '',
  );
  const events = [
    ...templates.map(([name, from, to, message]) => event('Template', name, from, to, message)),
    ...runs.map(([name, from, to, message]) => event('AnalysisRun', name, from, to, message)),
  ];
  const from = before?.phase ?? '';
  const to = after.phase ?? '';
  if (to !== from) events.push(event('Experiment', '', from, to));
  return events;
}

/** When each Progressing/Running template short of its wanted pods reaches its progress deadline. */
function progressDeadlines(ex: Experiment, status: ExperimentStatus): number[] {
  const deadline = experimentSettings(ex.spec).progressDeadlineSeconds * 1000;
  return ex.spec.templates.flatMap((template) => {
    const t: TemplateStatus | undefined = status.templateStatuses?.find((s) => s.name === template.name);
    if (t === undefined || (t.status !== 'Progressing' && t.status !== 'Running') || !t.lastTransitionTime)
      return [];
    if ((t.availableReplicas ?? 0) === desiredReplicas(ex, status, template)) return [];
    return [Date.parse(t.lastTransitionTime) + deadline];
  });
}

/**
 * Argo `calculateEnqueueDuration` plus the scale-down delay: the end of the duration and the progress
 * deadlines (`progressDeadlines`), unless terminating; a pending scale-down in any case. Each is 1 ms past
 * its instant, since Argo's checks are strictly "after".
 */
function requeueAfter(
  snapshot: ExperimentSnapshot,
  draft: ExperimentDraft,
  status: ExperimentStatus,
): number | undefined {
  const ex = { ...snapshot.experiment, status };
  const now = snapshot.now.getTime();
  const candidates: number[] = draft.scaleDownAt === undefined ? [] : [draft.scaleDownAt];
  if (!isTerminating(ex, status)) {
    const ends = durationEndsAt(ex, status);
    if (ends !== undefined && now <= ends) candidates.push(ends);
    candidates.push(...progressDeadlines(ex, status));
  }
  if (candidates.length === 0) return undefined;
  return Math.max(0, Math.min(...candidates) - now + 1);
}

/**
 * The second half of a pass (Argo `calculateStatus` and conditions): the next status from the (amended)
 * draft — phase and message (`experimentPhase`), `availableAt` stamped the first time every template runs,
 * conditions — the Events of every transition it records, and when to look again.
 */
export function concludeExperiment(snapshot: ExperimentSnapshot, draft: ExperimentDraft): ExperimentOutcome {
  const ex = snapshot.experiment;
  const before = ex.status;
  const drafted: ExperimentStatus = {
    ...before,
    templateStatuses: draft.templateStatuses,
    ...(draft.analysisRuns.length > 0 || before?.analysisRuns ? { analysisRuns: draft.analysisRuns } : {}),
  };
  const phased = experimentPhase(snapshot, drafted);
  const status: ExperimentStatus = { ...phased, conditions: experimentConditions(ex, phased, snapshot.now) };
  const requeueAfterMs = requeueAfter(snapshot, draft, status);
  return {
    status,
    events: transitionEvents(before, status),
    ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }),
  };
}
