import {
  AnalysisTemplateSchema,
  type AnalysisTemplateSpec,
  type AnyAnalysisTemplate,
  type Argument,
  ClusterAnalysisTemplateSchema,
  type Metric,
} from './analysis.js';
import { templateConsecutiveFailureIssues } from './consecutive-failures.js';
import { type FieldPath, type Issue, invalid, parseObject } from './issues.js';
import { metricNameMatches } from './metric-rules.js';
import { nameIssues } from './validate-analysis-ref.js';
import { validateMetric } from './validate-metric.js';

const SPEC: FieldPath = ['spec'];

function argIssues(arg: Argument, path: FieldPath): Issue[] {
  const from = arg.valueFrom;
  if (from === undefined) return [];
  if (arg.value !== undefined)
    return [invalid(path, `argument "${arg.name}" sets both value and valueFrom; set only one`)];
  if ((from.secretKeyRef === undefined) === (from.fieldRef === undefined)) {
    return [invalid([...path, 'valueFrom'], 'set exactly one of secretKeyRef or fieldRef')];
  }
  const ref = from.secretKeyRef;
  if (ref !== undefined && (ref.name === '' || ref.key === '')) {
    return [invalid([...path, 'valueFrom', 'secretKeyRef'], 'name and key must not be empty')];
  }
  return [];
}

function ruleIssues(
  rules: readonly { metricName: string }[],
  metrics: readonly Metric[],
  path: FieldPath,
): Issue[] {
  return rules.flatMap((rule, i) => {
    const at = [...path, i, 'metricName'];
    if (rule.metricName === '') return [invalid(at, 'must not be empty')];
    if (metrics.some((m) => metricNameMatches(rule.metricName, m.name))) return [];
    return [invalid(at, `"${rule.metricName}" matches no metric of this template (use "*" for all)`)];
  });
}

function listIssues(spec: AnalysisTemplateSpec, path: FieldPath): Issue[] {
  const names = (items: readonly { name: string }[] | undefined) => (items ?? []).map((x) => x.name);
  const templates = (spec.templates ?? []).map((t) => t.templateName);
  const issues = [
    ...nameIssues(names(spec.metrics), [...path, 'metrics'], 'metric'),
    ...nameIssues(names(spec.args), [...path, 'args'], 'argument'),
    ...nameIssues(templates, [...path, 'templates'], 'template', 'templateName'),
  ];
  (spec.args ?? []).forEach((arg, i) => {
    issues.push(...argIssues(arg, [...path, 'args', i]));
  });
  (spec.measurementRetention ?? []).forEach((r, i) => {
    if (r.limit < 0)
      issues.push(invalid([...path, 'measurementRetention', i, 'limit'], 'must not be negative'));
  });
  return issues;
}

/**
 * Checks an AnalysisTemplate/ClusterAnalysisTemplate/AnalysisRun spec: at least one metric (or composed
 * template), unique metric and argument names, valid arguments, dry-run and retention rules that match a
 * metric (when nothing is composed in), and every metric (`validateMetric`).
 */
export function validateAnalysisSpec(spec: AnalysisTemplateSpec, path: FieldPath = SPEC): Issue[] {
  const metrics = spec.metrics ?? [];
  const composed = (spec.templates ?? []).length > 0;
  const issues: Issue[] = [];
  if (metrics.length === 0 && !composed) {
    issues.push(
      invalid([...path, 'metrics'], 'at least one metric is required (or spec.templates to compose)'),
    );
  }
  issues.push(...listIssues(spec, path));
  if (!composed) {
    issues.push(...ruleIssues(spec.dryRun ?? [], metrics, [...path, 'dryRun']));
    issues.push(...ruleIssues(spec.measurementRetention ?? [], metrics, [...path, 'measurementRetention']));
  }
  metrics.forEach((metric, i) => {
    issues.push(...validateMetric(metric, [...path, 'metrics', i]));
  });
  return issues;
}

/**
 * All problems of a parsed AnalysisTemplate or ClusterAnalysisTemplate: its spec, and Vireo's
 * `vireo.dev/consecutive-failure-limit` annotation when present; empty means valid.
 */
export function validateAnalysisTemplate(template: AnyAnalysisTemplate): Issue[] {
  return [...validateAnalysisSpec(template.spec), ...templateConsecutiveFailureIssues(template)];
}

/**
 * Parses an untyped AnalysisTemplate or ClusterAnalysisTemplate (by `kind`) and validates it; schema
 * problems stop further checks.
 */
export function checkAnalysisTemplate(input: unknown): {
  template: AnyAnalysisTemplate | undefined;
  issues: Issue[];
} {
  const kind = (input as { kind?: unknown } | null)?.kind;
  const schema = kind === 'ClusterAnalysisTemplate' ? ClusterAnalysisTemplateSchema : AnalysisTemplateSchema;
  const parsed = parseObject(schema, input);
  if (!parsed.ok) return { template: undefined, issues: parsed.issues };
  return { template: parsed.value, issues: validateAnalysisTemplate(parsed.value) };
}
