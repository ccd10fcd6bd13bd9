import type { AnalysisTemplateSpec } from './analysis.js';
import { METRIC_DEFAULTS } from './defaults.js';

/** True when the dry-run/retention rule `pattern` (`*` or a regular expression) selects metric `name`. */
export function metricNameMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}

/**
 * How many measurements are kept for metric `metricName`: the limit of the last matching
 * `measurementRetention` rule when it is positive, else 10 (a limit of 0 means the default, as in Argo).
 * Example: rules [{metricName: '*', limit: 20}, {metricName: 'lat', limit: 0}] → 'lat' 10, 'errors' 20.
 */
export function measurementRetentionFor(
  spec: Pick<AnalysisTemplateSpec, 'measurementRetention'>,
  metricName: string,
): number {
  const rules = (spec.measurementRetention ?? []).filter((r) => metricNameMatches(r.metricName, metricName));
  const limit = rules.at(-1)?.limit ?? 0;
  return limit > 0 ? limit : METRIC_DEFAULTS.measurementRetention;
}
