import { POD_TEMPLATE_HASH_VALUES, type RolloutAnalysis, type RolloutAnalysisArg } from './analysis-ref.js';
import { type FieldPath, type Issue, invalid } from './issues.js';

/** Issues for names that are empty or repeated in a list (`names[i]` belongs at `path[i].name`). */
export function nameIssues(names: readonly string[], path: FieldPath, what: string, field = 'name'): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') issues.push(invalid([...path, i, field], `${what} ${field} must not be empty`));
    else if (seen.has(name))
      issues.push(invalid([...path, i, field], `duplicate ${what} ${field} "${name}"`));
    seen.add(name);
  });
  return issues;
}

/** Issues of one Rollout-side argument at `path`: `value` or `valueFrom`, and a valid value source. */
export function rolloutArgIssues(arg: RolloutAnalysisArg, path: FieldPath): Issue[] {
  const from = arg.valueFrom;
  if (arg.value !== undefined && from !== undefined) {
    return [invalid(path, `argument "${arg.name}" sets both value and valueFrom; set only one`)];
  }
  if (from === undefined) return [];
  const hash = from.podTemplateHashValue;
  if ((hash === undefined) === (from.fieldRef === undefined)) {
    return [invalid([...path, 'valueFrom'], 'set exactly one of podTemplateHashValue or fieldRef')];
  }
  if (hash !== undefined && !(POD_TEMPLATE_HASH_VALUES as readonly string[]).includes(hash)) {
    return [
      invalid(
        [...path, 'valueFrom', 'podTemplateHashValue'],
        `must be ${POD_TEMPLATE_HASH_VALUES.join(' or ')}, got "${hash}"`,
      ),
    ];
  }
  if (from.fieldRef?.fieldPath === '') {
    return [invalid([...path, 'valueFrom', 'fieldRef', 'fieldPath'], 'must not be empty')];
  }
  return [];
}

/**
 * Checks a Rollout-side `RolloutAnalysis` (step, background or blue-green analysis): at least one template,
 * non-empty template names, unique argument names, each argument with a valid value source.
 */
export function validateRolloutAnalysis(analysis: RolloutAnalysis, path: FieldPath): Issue[] {
  const templates = analysis.templates ?? [];
  const args = analysis.args ?? [];
  const issues: Issue[] = [];
  if (templates.length === 0) {
    issues.push(invalid([...path, 'templates'], 'at least one template (templateName) is required'));
  }
  issues.push(
    ...nameIssues(
      templates.map((t) => t.templateName),
      [...path, 'templates'],
      'template',
      'templateName',
    ),
  );
  issues.push(
    ...nameIssues(
      args.map((a) => a.name),
      [...path, 'args'],
      'argument',
    ),
  );
  args.forEach((arg, i) => {
    issues.push(...rolloutArgIssues(arg, [...path, 'args', i]));
  });
  (analysis.measurementRetention ?? []).forEach((r, i) => {
    if (r.limit < 0)
      issues.push(invalid([...path, 'measurementRetention', i, 'limit'], 'must not be negative'));
  });
  return issues;
}
