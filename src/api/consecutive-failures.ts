import type { AnalysisTemplateSpec, AnyAnalysisTemplate, Metric } from './analysis.js';
import { VIREO_ANNOTATION } from './argo-constants.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import { measurementRetentionFor } from './metric-rules.js';

/**
 * Vireo's consecutive-failure rule (`vireo.dev/consecutive-failure-limit`), outside Argo's API: on an
 * AnalysisTemplate or ClusterAnalysisTemplate, and (copied and expanded) on the AnalysisRuns made from it. The
 * value is a comma-separated list of `metric=N`; `*=N` stands for every metric of that template. A named
 * metric fails after N consecutive Failed measurements, instead of after `failureLimit` + 1 in total.
 */
const KEY = VIREO_ANNOTATION.consecutiveFailureLimit;

/** One parsed entry: `metric` (or `*`) fails after `limit` consecutive Failed measurements (limit ≥ 1). */
export interface ConsecutiveFailureRule {
  readonly metric: string;
  readonly limit: number;
}

/** Parsed rules, or the first problem in the value (worded for the user). */
export type ParsedRules =
  | { readonly ok: true; readonly rules: readonly ConsecutiveFailureRule[] }
  | { readonly ok: false; readonly error: string };

function parseEntry(entry: string): ConsecutiveFailureRule | string {
  const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
  if (!match) return `"${entry}" is not metric=N`;
  const [, metric = '', count = ''] = match;
  if (!/^[1-9]\d{0,8}$/.test(count)) return `"${entry}": N must be a whole number of at least 1`;
  return { metric, limit: Number(count) };
}

/**
 * Parses `metric=N[,metric=N…]` (spaces around entries, `=` and commas allowed). Examples: `"error-rate=3"` →
 * [{error-rate, 3}]; `"a=3, b=2"` → two rules; `"*=2"` → [{*, 2}]; `"a=0"`, `"a"`, `"a=3,a=2"` and `""` are errors.
 */
export function parseConsecutiveFailureLimits(text: string): ParsedRules {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) return { ok: false, error: 'is empty (expected metric=N)' };
  const rules: ConsecutiveFailureRule[] = [];
  for (const entry of entries) {
    if (entry === '') continue;
    const rule = parseEntry(entry);
    if (typeof rule === 'string') return { ok: false, error: `${rule} (expected metric=N[,metric=N…])` };
    if (rules.some((r) => r.metric === rule.metric))
      return { ok: false, error: `metric "${rule.metric}" is named twice` };
    rules.push(rule);
  }
  return { ok: true, rules };
}

/**
 * The consecutive-failure limit the annotations set for `metricName` (an explicit entry beats `*`), or
 * `undefined` when none applies or the value does not parse (validation reports that).
 */
export function consecutiveFailureLimitOf(
  annotations: Readonly<Record<string, string>> | undefined,
  metricName: string,
): number | undefined {
  const text = annotations?.[KEY];
  if (text === undefined) return undefined;
  const parsed = parseConsecutiveFailureLimits(text);
  if (!parsed.ok) return undefined;
  const rule =
    parsed.rules.find((r) => r.metric === metricName) ?? parsed.rules.find((r) => r.metric === '*');
  return rule?.limit;
}

function ruleIssues(
  rule: ConsecutiveFailureRule,
  spec: Pick<AnalysisTemplateSpec, 'measurementRetention'> & { metrics?: readonly Metric[] },
  path: FieldPath,
): Issue[] {
  const metrics = spec.metrics ?? [];
  const named = rule.metric === '*' ? metrics : metrics.filter((m) => m.name === rule.metric);
  if (named.length === 0) {
    const which =
      rule.metric === '*' ? '"*" matches no metric of' : `names "${rule.metric}", not a metric of`;
    return [invalid(path, `${which} this template (each template's rule covers its own spec.metrics)`)];
  }
  return named.flatMap((metric) => {
    const kept = measurementRetentionFor(spec, metric.name);
    if (rule.limit <= kept) return [];
    const message = `metric "${metric.name}": a limit of ${rule.limit} needs that many measurements kept, but only ${kept} are (raise spec.measurementRetention for it)`;
    return [invalid(path, message)];
  });
}

/**
 * The problems of the rule in `annotations` against `spec` (its own metrics and retention), reported at
 * `metadata.annotations["vireo.dev/consecutive-failure-limit"]`: an unparseable value, an entry naming no
 * metric of the spec, or a limit above the measurements kept for that metric (the streak is counted from the
 * kept measurements). Empty without the annotation.
 */
export function consecutiveFailureIssues(
  annotations: Readonly<Record<string, string>> | undefined,
  spec: Pick<AnalysisTemplateSpec, 'measurementRetention'> & { metrics?: readonly Metric[] },
): Issue[] {
  const text = annotations?.[KEY];
  if (text === undefined) return [];
  const path = ['metadata', 'annotations', KEY];
  const parsed = parseConsecutiveFailureLimits(text);
  if (!parsed.ok) return [invalid(path, parsed.error)];
  return parsed.rules.flatMap((rule) => ruleIssues(rule, spec, path));
}

/** `consecutiveFailureIssues` of an AnalysisTemplate or ClusterAnalysisTemplate. */
export function templateConsecutiveFailureIssues(template: AnyAnalysisTemplate): Issue[] {
  return consecutiveFailureIssues(template.metadata.annotations, template.spec);
}

/** A template as the run builder sees it: its spec and its annotations. */
export interface TemplateSource {
  readonly spec: AnalysisTemplateSpec;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The rule an AnalysisRun made from `templates` carries: every template's entries, `*` expanded to that
 * template's own `spec.metrics`, joined in template order as `metric=N,…` (an explicit entry beats `*`).
 * `undefined` when no template has the annotation; an error naming the template's entry when one does not
 * parse. Argo copies no template metadata onto a run; Vireo copies only this rule, so runs made from
 * ClusterAnalysisTemplates and from several (or composed) templates keep it.
 * Example: A {`*=3`, metrics a, b}, B {`c=2`} → "a=3,b=3,c=2".
 */
export function carriedConsecutiveFailureLimits(
  templates: readonly TemplateSource[],
): { ok: true; value: string | undefined } | { ok: false; error: string } {
  const entries: string[] = [];
  for (const [i, template] of templates.entries()) {
    const text = template.annotations?.[KEY];
    if (text === undefined) continue;
    const parsed = parseConsecutiveFailureLimits(text);
    if (!parsed.ok) return { ok: false, error: `template ${i + 1}: annotation ${KEY} ${parsed.error}` };
    const explicit = parsed.rules.filter((r) => r.metric !== '*');
    const star = parsed.rules.find((r) => r.metric === '*');
    const own = (template.spec.metrics ?? []).map((m) => m.name);
    const starred = star ? own.filter((name) => !explicit.some((r) => r.metric === name)) : [];
    for (const rule of explicit) entries.push(`${rule.metric}=${rule.limit}`);
    for (const name of starred) entries.push(`${name}=${star?.limit}`);
  }
  return { ok: true, value: entries.length > 0 ? entries.join(',') : undefined };
}
