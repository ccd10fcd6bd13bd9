import type { AnyAnalysisTemplate, Issue, Metric } from '../../api/index.js';
import { checkAnalysisTemplate, invalid } from '../../api/index.js';
import { compileCondition, isConditionError } from '../condition/index.js';
import { resolveMetric } from './resolve-args.js';
import { parseWebUrl } from './web-url.js';

const CONDITIONS = ['successCondition', 'failureCondition'] as const;

/** The template's declared arguments, each standing in as `0` (a number, a string, a duration count). */
function placeholderArgs(template: AnyAnalysisTemplate) {
  return (template.spec.args ?? []).map((arg) => ({ name: arg.name, value: '0', secret: false }));
}

function conditionIssues(index: number, metric: Metric): Issue[] {
  const issues: Issue[] = [];
  for (const field of CONDITIONS) {
    const source = metric[field];
    if (typeof source !== 'string' || source.trim() === '') continue;
    const compiled = compileCondition(source);
    if (isConditionError(compiled)) {
      const where = `line ${compiled.line}, column ${compiled.column}`;
      issues.push(invalid(['spec', 'metrics', index, field], `${compiled.message} (${where})`));
    }
  }
  return issues;
}

function webUrlIssues(index: number, metric: Metric): Issue[] {
  const url = metric.provider?.web?.url;
  if (typeof url !== 'string' || url.includes('{{')) return [];
  const parsed = parseWebUrl(url);
  return parsed.ok ? [] : [invalid(['spec', 'metrics', index, 'provider', 'web', 'url'], parsed.error)];
}

/**
 * What only running a metric would otherwise reveal, found offline: each `successCondition` /
 * `failureCondition` is compiled by the controller's own condition compiler (with every declared
 * `{{args.NAME}}` standing in as 0), a `{{…}}` tag naming no declared argument is reported (unless the
 * template pulls others in through `spec.templates`, whose arguments merge in), and a literal web URL must
 * be http(s). Never throws.
 */
export function analysisTemplateRunIssues(template: AnyAnalysisTemplate): Issue[] {
  const args = placeholderArgs(template);
  const mergesOthers = (template.spec.templates ?? []).length > 0;
  return (template.spec.metrics ?? []).flatMap((metric, index) => {
    const resolved = resolveMetric(metric, args);
    if (!resolved.ok) return mergesOthers ? [] : [invalid(['spec', 'metrics', index], resolved.error)];
    return [...conditionIssues(index, resolved.value), ...webUrlIssues(index, metric)];
  });
}

/**
 * The one check of an AnalysisTemplate or ClusterAnalysisTemplate (by `kind`) that `kubectl vireo lint` and
 * the Rollout's pre-flight share: the controller's schema and validation (`checkAnalysisTemplate`:
 * providers, authentication modes, judge configuration…), then, when those pass, what running its metrics
 * would reveal (`analysisTemplateRunIssues`). `template` is the parsed template whenever the schema held.
 */
export function analysisTemplateIssues(input: unknown): {
  template: AnyAnalysisTemplate | undefined;
  issues: Issue[];
} {
  const { template, issues } = checkAnalysisTemplate(input);
  if (template === undefined || issues.length > 0) return { template, issues };
  return { template, issues: analysisTemplateRunIssues(template) };
}
