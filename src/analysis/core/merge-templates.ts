import type { AnalysisRunSpec, AnalysisTemplateSpec, Argument, Metric } from '../../api/index.js';
import { mergeArgs } from './resolve-args.js';
import type { Result } from './types.js';

type DryRun = NonNullable<AnalysisRunSpec['dryRun']>[number];
type Retention = NonNullable<AnalysisRunSpec['measurementRetention']>[number];

/** What one AnalysisRun is built from: template specs (nested `templates[]` already expanded) and options. */
export interface RunSpecSources {
  /** AnalysisTemplate specs first, then ClusterAnalysisTemplate specs, as Argo orders them. */
  readonly templates: readonly AnalysisTemplateSpec[];
  /** The caller's arguments, already resolved to `value` (or a template-style `valueFrom`). */
  readonly args?: readonly Argument[];
  readonly dryRun?: readonly DryRun[];
  readonly measurementRetention?: readonly Retention[];
}

function flattenMetrics(templates: readonly AnalysisTemplateSpec[]): Result<Metric[]> {
  const metrics = templates.flatMap((t) => t.metrics ?? []);
  const seen = new Set<string>();
  for (const metric of metrics) {
    if (seen.has(metric.name)) return { ok: false, error: `two metrics have the same name '${metric.name}'` };
    seen.add(metric.name);
  }
  return { ok: true, value: metrics };
}

function uniqueRules<T extends { metricName: string }>(rules: readonly T[], what: string): Result<T[]> {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.metricName)) {
      return { ok: false, error: `two ${what} metric rules have the same name '${rule.metricName}'` };
    }
    seen.add(rule.metricName);
  }
  return { ok: true, value: [...rules] };
}

function flattenArgs(templates: readonly AnalysisTemplateSpec[]): Result<Argument[]> {
  const combined: Argument[] = [];
  for (const arg of templates.flatMap((t) => t.args ?? [])) {
    const i = combined.findIndex((prev) => prev.name === arg.name);
    const prev = combined[i];
    if (prev === undefined) {
      combined.push(arg);
    } else if (prev.value !== undefined && arg.value !== undefined && prev.value !== arg.value) {
      const error = `Argument \`${arg.name}\` specified multiple times with different values: '${prev.value}', '${arg.value}'`;
      return { ok: false, error };
    } else if (prev.value === undefined) {
      combined[i] = arg;
    }
  }
  return { ok: true, value: combined };
}

/**
 * Argo's `NewAnalysisRunFromTemplates` without metadata: the metrics of all templates in order (a metric
 * name used twice is an error), template arguments merged (equal duplicates collapse, different values are
 * an error, a valued one beats a valueless one) and then overridden by `sources.args` (`mergeArgs`), and
 * the caller's dry-run and retention rules followed by the templates' (a rule name used twice is an error).
 * Empty lists are omitted from the spec.
 */
export function mergeTemplates(sources: RunSpecSources): Result<AnalysisRunSpec> {
  const metrics = flattenMetrics(sources.templates);
  if (!metrics.ok) return metrics;
  const templates = sources.templates;
  const dryRun = uniqueRules(
    [...(sources.dryRun ?? []), ...templates.flatMap((t) => t.dryRun ?? [])],
    'Dry-Run',
  );
  if (!dryRun.ok) return dryRun;
  const retention = uniqueRules(
    [...(sources.measurementRetention ?? []), ...templates.flatMap((t) => t.measurementRetention ?? [])],
    'Measurement Retention',
  );
  if (!retention.ok) return retention;
  const templateArgs = flattenArgs(templates);
  if (!templateArgs.ok) return templateArgs;
  const args = mergeArgs(sources.args, templateArgs.value);
  if (!args.ok) return args;
  const spec: AnalysisRunSpec = { metrics: metrics.value };
  if (args.value.length > 0) spec.args = args.value;
  if (dryRun.value.length > 0) spec.dryRun = dryRun.value;
  if (retention.value.length > 0) spec.measurementRetention = retention.value;
  return { ok: true, value: spec };
}
