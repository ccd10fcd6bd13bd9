import { GoTestOutput, type TestResult, type TestStatus } from './go-test-output.js';

/** The two controllers a conformance run compares. */
export type ControllerName = 'argo' | 'vireo';

/** One suite run against one controller. */
export interface SuiteRun {
  suite: string;
  controller: ControllerName;
  results: TestResult[];
  seconds: number;
}

/** One test with its result under each controller that ran it. */
export interface Row {
  suite: string;
  test: string;
  argo?: TestResult;
  vireo?: TestResult;
}

/** Per-suite counts of a comparison. */
export interface SuiteCounts {
  suite: string;
  tests: number;
  argoPass: number;
  vireoPass: number;
  /** Tests that pass with Argo's controller and not with Vireo: the work list. */
  argoOnly: number;
}

/** Joins the runs into one row per (suite, test), in the order the tests were listed. */
export function comparisonRows(runs: readonly SuiteRun[]): Row[] {
  const rows = new Map<string, Row>();
  for (const run of runs) {
    for (const result of run.results) {
      const key = `${run.suite}/${result.test}`;
      const row = rows.get(key) ?? { suite: run.suite, test: result.test };
      row[run.controller] = result;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

const passed = (r: TestResult | undefined) => r?.status === 'pass';

/** Counts per suite, in the order the suites first appear. */
export function suiteCounts(rows: readonly Row[]): SuiteCounts[] {
  const counts = new Map<string, SuiteCounts>();
  for (const row of rows) {
    const c = counts.get(row.suite) ?? { suite: row.suite, tests: 0, argoPass: 0, vireoPass: 0, argoOnly: 0 };
    c.tests += 1;
    if (passed(row.argo)) c.argoPass += 1;
    if (passed(row.vireo)) c.vireoPass += 1;
    if (passed(row.argo) && row.vireo && !passed(row.vireo)) c.argoOnly += 1;
    counts.set(row.suite, c);
  }
  return [...counts.values()];
}

const LABEL: Record<TestStatus, string> = {
  pass: 'pass',
  fail: 'FAIL',
  skip: 'skip',
  timeout: 'TIMEOUT',
  crash: 'CRASH',
  'not-run': 'not run',
};

function cell(result: TestResult | undefined): string {
  if (!result) return '—';
  const time = result.seconds !== undefined ? ` ${Math.round(result.seconds)}s` : '';
  return `${LABEL[result.status]}${time}`;
}

function escapePipes(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The first failure to show for a row: Vireo's when Vireo did not pass, then Argo's. */
export function failureCell(row: Row): string {
  const parts: string[] = [];
  if (row.vireo && !passed(row.vireo) && row.vireo.failure) parts.push(`vireo: ${row.vireo.failure}`);
  if (row.argo && !passed(row.argo) && row.argo.failure) parts.push(`argo: ${row.argo.failure}`);
  return escapePipes(parts.join(' · '));
}

/** The comparison as a Markdown table: suite, test, Argo result, Vireo result, first failure. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Suite | Test | Argo | Vireo | First failure |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    lines.push(
      `| ${row.suite} | ${row.test} | ${cell(row.argo)} | ${cell(row.vireo)} | ${failureCell(row)} |`,
    );
  }
  return lines.join('\n');
}

/** The per-suite counts as a Markdown table with a total line. */
export function markdownCounts(counts: readonly SuiteCounts[]): string {
  const lines = [
    '| Suite | Tests | Pass with Argo | Pass with Vireo | Pass with Argo, fail with Vireo |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  const total = { tests: 0, argoPass: 0, vireoPass: 0, argoOnly: 0 };
  for (const c of counts) {
    lines.push(`| ${c.suite} | ${c.tests} | ${c.argoPass} | ${c.vireoPass} | ${c.argoOnly} |`);
    total.tests += c.tests;
    total.argoPass += c.argoPass;
    total.vireoPass += c.vireoPass;
    total.argoOnly += c.argoOnly;
  }
  lines.push(`| **all** | ${total.tests} | ${total.argoPass} | ${total.vireoPass} | ${total.argoOnly} |`);
  return lines.join('\n');
}

/**
 * `run` with its verdicts read again from the suite's log (`goTest`'s output), e.g. after the failure-line
 * rules improved; results the runner itself decided (timeout, crash, not run) are kept.
 */
export function reparsedRun(run: SuiteRun, goTest: string, log: string): SuiteRun {
  const parser = new GoTestOutput(goTest);
  parser.push(log);
  parser.end();
  const parsed = new Map(parser.results().map((r) => [r.test, r]));
  const decidedByBinary = new Set<TestStatus>(['pass', 'fail', 'skip']);
  return {
    ...run,
    results: run.results.map((r) => (decidedByBinary.has(r.status) ? (parsed.get(r.test) ?? r) : r)),
  };
}
