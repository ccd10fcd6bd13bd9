import type { Metric } from '../../api/index.js';
import type { Paint } from '../view/paint.js';
import { renderChart } from './chart.js';
import type { ReplayedMeasurement, RunVerdict } from './replay-run.js';

/** One metric of the replay, as printed and as `-o json` gives it. */
export interface MetricReport {
  readonly name: string;
  /** `range query`, `one query per measurement` or `skipped`. */
  readonly how: string;
  readonly skipped?: string;
  readonly measurements: readonly ReplayedMeasurement[];
}

/** Everything `analyze` found. */
export interface ReplayReport {
  readonly template: string;
  readonly start: Date;
  readonly end: Date;
  /** Arguments as used, secrets as `*****`. */
  readonly args: Readonly<Record<string, string>>;
  readonly metrics: readonly MetricReport[];
  readonly verdict: RunVerdict;
}

const clock = (d: Date): string => d.toISOString().slice(11, 19);
const MAX_LISTED = 10;

/** `3h2m`, `45m`, `30s`: a span for people. */
export function span(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts = [
    [Math.floor(s / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ] as const;
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, u]) => `${n}${u}`)
      .join('') || '0s'
  );
}

function describeMetric(metric: Metric | undefined, how: string): string {
  if (metric === undefined) return how;
  const parts = [
    metric.interval
      ? `every ${metric.interval}`
      : 'no interval (charted every --interval; the run takes one)',
    how,
  ];
  if (metric.successCondition) parts.push(`successCondition ${metric.successCondition}`);
  if (metric.failureCondition) parts.push(`failureCondition ${metric.failureCondition}`);
  if (metric.failureLimit !== undefined) parts.push(`failureLimit ${metric.failureLimit}`);
  if (metric.count !== undefined) parts.push(`count ${metric.count}`);
  return parts.join('; ');
}

function counts(measurements: readonly ReplayedMeasurement[]): string {
  const by = new Map<string, number>();
  for (const m of measurements) by.set(m.phase, (by.get(m.phase) ?? 0) + 1);
  const listed = [...by].map(([phase, n]) => `${n} ${phase}`).join(', ');
  return `${measurements.length} measurement${measurements.length === 1 ? '' : 's'}: ${listed || 'none'}`;
}

function notSuccessful(measurements: readonly ReplayedMeasurement[]): string[] {
  const bad = measurements.filter((m) => m.phase !== 'Successful');
  if (bad.length === 0) return [];
  const shown = bad.slice(0, MAX_LISTED).map((m) => {
    const detail = m.message ?? m.value ?? '';
    return `    ${clock(m.at)} ${m.phase}${m.inRun ? '' : ' (after the run ended)'}  ${detail}`;
  });
  const more = bad.length > MAX_LISTED ? [`    … and ${bad.length - MAX_LISTED} more`] : [];
  return [`  not successful${bad.length > MAX_LISTED ? ` (first ${MAX_LISTED})` : ''}:`, ...shown, ...more];
}

/** What the verdict means for a Rollout, in one line. */
export function outcomeLine(verdict: RunVerdict): string {
  if (verdict.aborted) return '→ the Rollout would have aborted.';
  if (verdict.paused) return '→ the Rollout would have paused (Inconclusive).';
  if (verdict.phase === 'Successful') return '→ the analysis would have passed.';
  return '→ no verdict by the end of the window: the run was still Running.';
}

function verdictLines(report: ReplayReport, paint: Paint): string[] {
  const v = report.verdict;
  const when =
    v.at === undefined
      ? ''
      : ` at ${clock(v.at)} (${span(v.at.getTime() - report.start.getTime())} after it started)`;
  const phase = v.aborted ? paint.red(v.phase) : v.paused ? paint.yellow(v.phase) : paint.green(v.phase);
  const head =
    v.phase === 'Running'
      ? 'Verdict: still Running at the end of the window'
      : `Verdict: the run would have been ${phase}${when}`;
  return [paint.bold(head), ...(v.message ? [`  ${v.message}`] : []), paint.bold(outcomeLine(v))];
}

/**
 * The human report: a heading with the window and arguments, per metric its settings, a chart
 * (`renderChart`), the phase counts and the first non-Successful measurements, then the run's verdict
 * and what the Rollout would have done.
 */
export function renderReport(
  report: ReplayReport,
  metrics: readonly Metric[],
  paint: Paint,
  width = 72,
): string[] {
  const args = Object.entries(report.args)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const lines = [
    `Replaying "${report.template}" from ${report.start.toISOString()} to ${report.end.toISOString()} (${span(report.end.getTime() - report.start.getTime())})${args ? `, args: ${args}` : ''}`,
  ];
  for (const m of report.metrics) {
    const metric = metrics.find((x) => x.name === m.name);
    lines.push('', `${paint.bold(m.name)} — ${describeMetric(metric, m.how)}`);
    if (m.skipped) {
      lines.push(`  skipped: ${m.skipped}`);
      continue;
    }
    const chart = renderChart(m.measurements, { width, height: 6, paint }, report.verdict.at);
    lines.push(
      ...chart.map((l) => `  ${l}`),
      `  ${counts(m.measurements)}`,
      ...notSuccessful(m.measurements),
    );
  }
  lines.push('', ...verdictLines(report, paint));
  return lines;
}
