import { parseGoDuration } from './duration.js';
import { type Experiment, ExperimentSchema, type ExperimentSpec, experimentSettings } from './experiment.js';
import { type FieldPath, type Issue, invalid, parseObject } from './issues.js';
import { isEmptySelector, selectorMatches } from './selector.js';
import { nameIssues } from './validate-analysis-ref.js';

const SPEC: FieldPath = ['spec'];

function templateIssues(spec: ExperimentSpec, deadline: number): Issue[] {
  const issues = nameIssues(
    spec.templates.map((t) => t.name),
    [...SPEC, 'templates'],
    'template',
  );
  spec.templates.forEach((template, i) => {
    const path = [...SPEC, 'templates', i];
    if (isEmptySelector(template.selector)) {
      issues.push(invalid([...path, 'selector'], 'must not be empty (it would select every pod)'));
    } else if (!selectorMatches(template.selector, template.template.metadata?.labels ?? {})) {
      issues.push(invalid([...path, 'selector'], 'does not match the labels of template.metadata.labels'));
    }
    if ((template.minReadySeconds ?? 0) > deadline) {
      const message = `must not be longer than progressDeadlineSeconds (${deadline}), got ${template.minReadySeconds}`;
      issues.push(invalid([...path, 'minReadySeconds'], message));
    }
    if (template.replicas !== undefined && template.replicas < 0) {
      issues.push(invalid([...path, 'replicas'], `must not be negative, got ${template.replicas}`));
    }
  });
  return issues;
}

function timingIssues(spec: ExperimentSpec): Issue[] {
  const issues: Issue[] = [];
  if (spec.duration !== undefined && spec.duration !== '' && parseGoDuration(spec.duration) === undefined) {
    issues.push(
      invalid([...SPEC, 'duration'], `must be a duration such as 30s, 5m or 1h, got "${spec.duration}"`),
    );
  }
  for (const field of ['progressDeadlineSeconds', 'scaleDownDelaySeconds'] as const) {
    const value = spec[field];
    if (value !== undefined && value < 0)
      issues.push(invalid([...SPEC, field], `must not be negative, got ${value}`));
  }
  return issues;
}

function analysisIssues(spec: ExperimentSpec): Issue[] {
  const analyses = spec.analyses ?? [];
  const issues = nameIssues(
    analyses.map((a) => a.name),
    [...SPEC, 'analyses'],
    'analysis',
  );
  analyses.forEach((analysis, i) => {
    if (analysis.templateName === '') {
      issues.push(invalid([...SPEC, 'analyses', i, 'templateName'], 'must name an AnalysisTemplate'));
    }
  });
  return issues;
}

/**
 * All spec problems of a parsed Experiment, empty when valid: Argo's `VerifyExperimentSpec` (template names
 * present and unique, non-empty selectors, `minReadySeconds` within the progress deadline) plus what would
 * otherwise only fail later (a selector not matching its template's labels, an unparseable `duration`,
 * negative numbers, unnamed or repeated analyses).
 */
export function validateExperiment(experiment: Experiment): Issue[] {
  const spec = experiment.spec;
  const { progressDeadlineSeconds } = experimentSettings(spec);
  return [...templateIssues(spec, progressDeadlineSeconds), ...timingIssues(spec), ...analysisIssues(spec)];
}

/** Parses an untyped Experiment and validates it; schema problems stop further checks. */
export function checkExperiment(input: unknown): { experiment: Experiment | undefined; issues: Issue[] } {
  const parsed = parseObject(ExperimentSchema, input);
  if (!parsed.ok) return { experiment: undefined, issues: parsed.issues };
  return { experiment: parsed.value, issues: validateExperiment(parsed.value) };
}
