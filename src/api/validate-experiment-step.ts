import type { CanaryStep } from './canary-steps.js';
import { parseGoDuration } from './duration.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import { routersWith } from './router-capabilities.js';
import { nameIssues, rolloutArgIssues } from './validate-analysis-ref.js';

type ExperimentStep = NonNullable<CanaryStep['experiment']>;

/** What checking an `experiment` step needs besides the step: the routing and the canary weight there. */
export interface ExperimentStepContext {
  hasTrafficRouting: boolean;
  /** The configured routers that cannot route experiment weights (`ROUTER_CAPABILITIES`), as configured. */
  routersWithoutExperimentWeights: readonly string[];
  maxTrafficWeight: number;
  /** The canary weight in force at this step: the last `setWeight` at or before it (0 when none). */
  canaryWeight: number;
}

/** `specRef` values Argo's `GetExperimentFromTemplate` knows. */
const SPEC_REFS = ['stable', 'canary'];

function weightIssues(step: ExperimentStep, ctx: ExperimentStepContext, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  step.templates.forEach((template, i) => {
    const at = [...path, 'templates', i, 'weight'];
    if (template.weight === undefined) return;
    if (!ctx.hasTrafficRouting) {
      issues.push(invalid(at, 'Experiment template weight cannot be set unless TrafficRouting is enabled'));
    } else if (ctx.routersWithoutExperimentWeights.length > 0) {
      const without = ctx.routersWithoutExperimentWeights.join(', ');
      const message = `needs traffic routers that route experiment weights (${routersWith('experimentWeights')}); ${without} cannot`;
      issues.push(invalid(at, message));
    } else if (template.weight < 0) {
      issues.push(invalid(at, `must not be negative, got ${template.weight}`));
    }
  });
  const total = step.templates.reduce((sum, t) => sum + Math.max(0, t.weight ?? 0), 0);
  if (issues.length === 0 && total + ctx.canaryWeight > ctx.maxTrafficWeight) {
    const message = `the template weights (${total}) and the canary weight in force at this step (${ctx.canaryWeight}) exceed ${ctx.maxTrafficWeight}, leaving the stable a negative share`;
    issues.push(invalid([...path, 'templates'], message));
  }
  return issues;
}

function templateIssues(step: ExperimentStep, path: FieldPath): Issue[] {
  const issues = nameIssues(
    step.templates.map((t) => t.name),
    [...path, 'templates'],
    'template',
  );
  step.templates.forEach((template, i) => {
    const at = [...path, 'templates', i];
    if (!SPEC_REFS.includes(template.specRef)) {
      issues.push(invalid([...at, 'specRef'], `must be "stable" or "canary", got "${template.specRef}"`));
    }
    if (template.replicas !== undefined && template.replicas < 0) {
      issues.push(invalid([...at, 'replicas'], `must not be negative, got ${template.replicas}`));
    }
  });
  return issues;
}

function analysisIssues(step: ExperimentStep, path: FieldPath): Issue[] {
  const analyses = step.analyses ?? [];
  const issues = nameIssues(
    analyses.map((a) => a.name),
    [...path, 'analyses'],
    'analysis',
  );
  analyses.forEach((analysis, i) => {
    const at = [...path, 'analyses', i];
    if (analysis.templateName === '') issues.push(invalid([...at, 'templateName'], 'must name a template'));
    (analysis.args ?? []).forEach((arg, j) => {
      issues.push(...rolloutArgIssues(arg, [...at, 'args', j]));
    });
  });
  return issues;
}

function timingIssues(step: ExperimentStep, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  const duration = step.duration;
  if (duration !== undefined && duration !== '' && (parseGoDuration(duration) ?? -1) < 0) {
    issues.push(
      invalid([...path, 'duration'], `must be a duration such as 30s, 5m or 1h, got "${duration}"`),
    );
  }
  const delay = step.scaleDownDelaySeconds;
  if (delay !== undefined && delay < 0) {
    issues.push(invalid([...path, 'scaleDownDelaySeconds'], `must not be negative, got ${delay}`));
  }
  return issues;
}

/**
 * Checks an `experiment` step at `path` (`…steps[i].experiment`): unique, non-empty template names with
 * `specRef` stable or canary (Argo fails at creation otherwise); template `weight`s only with traffic routing
 * (Argo's `InvalidCanaryExperimentTemplateWeightWithoutTrafficRouting`) whose every router routes them, and,
 * with the canary weight in force, at most `maxTrafficWeight` (the stable keeps a share ≥ 0); analyses named
 * uniquely, each naming a template, with valid arguments; a parseable duration.
 */
export function experimentStepIssues(
  step: ExperimentStep,
  ctx: ExperimentStepContext,
  path: FieldPath,
): Issue[] {
  return [
    ...templateIssues(step, path),
    ...weightIssues(step, ctx, path),
    ...analysisIssues(step, path),
    ...timingIssues(step, path),
  ];
}
