import { isWorse } from '../../analysis/core/index.js';
import type { ExperimentStatus } from '../../api/index.js';
import type { ExperimentSnapshot } from './model.js';
import {
  analysisStatusOf,
  hasRequiredAnalyses,
  isCompleted,
  isoSeconds,
  requiredAnalysesSuccessful,
  templateIsWorse,
  templateStatusOf,
} from './rules.js';

/** Argo's message when every required analysis succeeded. */
export const REQUIRED_ANALYSES_COMPLETED = 'Required AnalysisRuns completed';

type Verdict = { phase: string; message: string };

/** Argo `assessTemplates`: the worst template code as an Experiment phase (Progressing → Pending). */
function assessTemplates(snapshot: ExperimentSnapshot, status: ExperimentStatus): Verdict {
  let worst = 'Successful';
  let message = '';
  for (const template of snapshot.experiment.spec.templates) {
    const found = templateStatusOf(status, template.name);
    if (found === undefined) {
      if (templateIsWorse(worst, 'Progressing')) worst = 'Progressing';
    } else if (templateIsWorse(worst, found.status)) {
      worst = found.status ?? worst;
      message = found.message ?? '';
    }
  }
  const phase = { Progressing: 'Pending', Failed: 'Failed', Error: 'Error', Successful: 'Successful' }[worst];
  return { phase: phase ?? 'Running', message };
}

/**
 * Argo `assessAnalysisRuns`: the worst analysis phase (Successful when there are none; Pending counts as
 * Running), or Successful with "Required AnalysisRuns completed" once every required analysis succeeded and
 * nothing worse than Running happened.
 */
function assessAnalyses(snapshot: ExperimentSnapshot, status: ExperimentStatus): Verdict {
  let worst = 'Successful';
  let message = '';
  for (const analysis of snapshot.experiment.spec.analyses ?? []) {
    const found = analysisStatusOf(status, analysis.name);
    if (found?.phase !== undefined && isWorse(worst, found.phase)) {
      worst = found.phase;
      message = found.message ?? '';
    }
  }
  if (requiredAnalysesSuccessful(snapshot.experiment, status) && isWorse(worst, 'Running')) {
    return { phase: 'Successful', message: REQUIRED_ANALYSES_COMPLETED };
  }
  return { phase: worst === 'Pending' ? 'Running' : worst, message };
}

function decide(
  snapshot: ExperimentSnapshot,
  status: ExperimentStatus,
  templates: Verdict,
  analyses: Verdict,
): Verdict {
  if (isCompleted(templates.phase)) {
    const deferred = isCompleted(analyses.phase) || hasRequiredAnalyses(snapshot.experiment);
    return templates.phase === 'Successful' && deferred ? analyses : templates;
  }
  if (isCompleted(analyses.phase) && analyses.phase !== 'Successful') return analyses;
  if (requiredAnalysesSuccessful(snapshot.experiment, status)) return analyses;
  return templates;
}

/**
 * Argo `calculateStatus`: a new Experiment becomes Pending; a Pending or Running one takes its phase and
 * message from its templates and analyses — completed templates defer to completed (or required)
 * analyses when Successful, else decide; running templates yield to an analysis that failed, errored or
 * was inconclusive, or to required analyses that all succeeded; otherwise the templates decide.
 * `availableAt` is stamped (once) when the templates are all Running. A completed phase never changes.
 */
export function experimentPhase(snapshot: ExperimentSnapshot, drafted: ExperimentStatus): ExperimentStatus {
  const phase = drafted.phase ?? '';
  if (phase === '') return { ...drafted, phase: 'Pending' };
  if (phase !== 'Pending' && phase !== 'Running') return drafted;
  const templates = assessTemplates(snapshot, drafted);
  const analyses = assessAnalyses(snapshot, drafted);
  const nowIso = isoSeconds(snapshot.now);
  const availableAt = drafted.availableAt ?? (templates.phase === 'Running' ? nowIso : undefined);
  const verdict = decide(snapshot, drafted, templates, analyses);
  const { message: _old, ...rest } = drafted;
  return {
    ...rest,
    phase: verdict.phase,
    ...(verdict.message ? { message: verdict.message } : {}),
    ...(availableAt === undefined ? {} : { availableAt }),
  };
}
