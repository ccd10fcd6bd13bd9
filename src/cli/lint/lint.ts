import { LineCounter, parseAllDocuments } from 'yaml';
import { analysisTemplateIssues } from '../../analysis/core/template-issues.js';
import { checkExperiment } from '../../api/validate-experiment.js';
import { checkRollout } from '../../api/validate-rollout.js';
import { lineOfPath } from './yaml-lines.js';

/** One problem found by `lint`: where (file, 1-based line, field path) and what. */
export interface LintProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/** The outcome for one file: its problems and how many objects were checked. */
export interface LintResult {
  problems: LintProblem[];
  checked: number;
}

const CHECKS: Readonly<Record<string, (obj: unknown) => { issues: { path: string; message: string }[] }>> = {
  Rollout: checkRollout,
  AnalysisTemplate: analysisTemplateIssues,
  ClusterAnalysisTemplate: analysisTemplateIssues,
  Experiment: checkExperiment,
};

/**
 * Lints every YAML document of `text` offline with the controller's own validators (`checkRollout`,
 * `analysisTemplateIssues`, the check a Rollout's pre-flight applies to its templates: validation, then
 * conditions compiled, argument tags, web URL schemes; `checkExperiment`); objects of other kinds are skipped. YAML syntax errors are problems at path
 * `yaml`. Invariant: each problem's line is where its field path points in the source (see `lineOfPath`).
 */
export function lintText(file: string, text: string): LintResult {
  const lines = new LineCounter();
  const problems: LintProblem[] = [];
  let checked = 0;
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const line = e.linePos?.[0].line ?? 1;
        problems.push({ file, line, path: 'yaml', message: e.message.split('\n')[0] ?? e.message });
      }
      continue;
    }
    const obj: unknown = doc.toJS();
    const kind = (obj as { kind?: unknown } | null)?.kind;
    const check = typeof kind === 'string' ? CHECKS[kind] : undefined;
    if (check === undefined) continue;
    checked++;
    for (const issue of check(obj).issues) {
      problems.push({
        file,
        line: lineOfPath(doc, issue.path, lines),
        path: issue.path,
        message: issue.message,
      });
    }
  }
  return { problems, checked };
}

/** `file:line: field.path: message`, the format editors and CI annotate from. */
export function formatProblem(p: LintProblem): string {
  return `${p.file}:${p.line}: ${p.path === '' ? '(object)' : p.path}: ${p.message}`;
}
