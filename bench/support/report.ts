/** One measured figure a benchmark reports. */
export interface BenchResult {
  name: string;
  p50: number;
  p99: number;
  unit: string;
  notes?: string;
  /**
   * The target, in `unit`: `p99 < 1000`, `p50 = 0`… (`p50|p99`, then `<`, `<=`, `=`, `>=` or `>`, then a
   * number), judged by {@link verdictOf}; any other text is shown as is and judged only through `goalMet`.
   */
  goal?: string;
  /** An explicit verdict, for goals that are not a threshold on p50 or p99 (wins over parsing `goal`). */
  goalMet?: boolean;
}

/** How a figure compares with its goal: `pass`, `miss`, `?` (a goal that cannot be judged) or `` (no goal). */
export type Verdict = 'pass' | 'miss' | '?' | '';

const GOAL = /^\s*(p50|p99)\s*(<=|>=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*$/;

function compare(value: number, op: string, target: number): boolean {
  if (op === '<') return value < target;
  if (op === '<=') return value <= target;
  if (op === '>') return value > target;
  if (op === '>=') return value >= target;
  return value === target;
}

/** The verdict of one figure: `goalMet` when given, else the parsed threshold; NaN figures miss. */
export function verdictOf(r: BenchResult): Verdict {
  if (r.goalMet !== undefined) return r.goalMet ? 'pass' : 'miss';
  if (!r.goal) return '';
  const m = GOAL.exec(r.goal);
  if (!m) return '?';
  const value = m[1] === 'p50' ? r.p50 : r.p99;
  if (Number.isNaN(value)) return 'miss';
  return compare(value, m[2] ?? '=', Number(m[3])) ? 'pass' : 'miss';
}

/** A figure for the table: integers as is, others to 4 significant digits, NaN as `–`. */
export function formatFigure(n: number): string {
  if (Number.isNaN(n)) return '–';
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}

/** One row of the report: a result and the bench file it came from. */
export interface ReportRow extends BenchResult {
  bench: string;
}

/** A plain-text table (columns padded to the widest cell) with the goal and verdict of every figure. */
export function formatTable(rows: readonly ReportRow[]): string {
  const cells = [
    ['bench', 'figure', 'p50', 'p99', 'unit', 'goal', 'verdict', 'notes'],
    ...rows.map((r) => [
      r.bench,
      r.name,
      formatFigure(r.p50),
      formatFigure(r.p99),
      r.unit,
      r.goal ?? '',
      verdictOf(r),
      r.notes ?? '',
    ]),
  ];
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length))) ?? [];
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The machine a run happened on. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  /** 1-minute load average at the start and the end of the run. */
  loadStart: number;
  loadEnd: number;
}

/** The machine line of the report, with the caveat that the control plane shares the same cores. */
export function machineLine(m: MachineInfo): string {
  return (
    `machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}; ` +
    `load average ${m.loadStart.toFixed(1)} at start, ${m.loadEnd.toFixed(1)} at end.\n` +
    'note: the control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok), Prometheus, ' +
    'the controller and the bench client all share these cores, with whatever else the machine was running.'
  );
}

/** Counts of figures by verdict, e.g. `3 pass, 1 miss`; `no goals` when none has one. */
export function verdictSummary(rows: readonly BenchResult[]): string {
  const counts = new Map<Verdict, number>();
  for (const r of rows) counts.set(verdictOf(r), (counts.get(verdictOf(r)) ?? 0) + 1);
  const parts = (['pass', 'miss', '?'] as const)
    .filter((v) => counts.has(v))
    .map((v) => `${counts.get(v)} ${v}`);
  return parts.length === 0 ? 'no goals' : `goals: ${parts.join(', ')}`;
}
