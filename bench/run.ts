import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type BenchResult,
  formatTable,
  type MachineInfo,
  machineLine,
  type ReportRow,
  verdictOf,
  verdictSummary,
} from './support/report.js';

export type { BenchResult } from './support/report.js';

/** How a run was asked for; passed to every bench. */
export interface BenchOptions {
  /**
   * Smaller sizes and shorter windows so the whole suite finishes in a few minutes (`--quick`; also set
   * as `VIREO_BENCH_QUICK=1` in the environment). The figures are then indicative only.
   */
  quick: boolean;
}

/** A benchmark file default-exports a function returning its results; `options` may be omitted. */
export type Benchmark = (options?: BenchOptions) => Promise<BenchResult[]>;

/** True when the run is quick: from `options` when given, else from `VIREO_BENCH_QUICK=1`. */
export function isQuick(options?: BenchOptions): boolean {
  return options?.quick ?? process.env.VIREO_BENCH_QUICK === '1';
}

/** The p-th percentile (0–100) of `samples` by nearest rank; NaN for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

const here = dirname(fileURLToPath(import.meta.url));

/** What became of one bench file. */
interface BenchOutcome {
  bench: string;
  seconds: number;
  error?: string;
  results: BenchResult[];
}

/** The bench files to run: every `*.bench.ts`, or those whose name contains one of `filters`. */
function benchFiles(filters: readonly string[]): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
}

/** Runs one bench file; a failure is recorded with its message rather than ending the run. */
async function runOne(file: string, options: BenchOptions): Promise<BenchOutcome> {
  const bench = file.replace(/\.bench\.ts$/, '');
  process.stderr.write(`bench: ${bench}${options.quick ? ' (quick)' : ''}…\n`);
  const t0 = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
    const results = await mod.default(options);
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write(`bench: ${bench} done in ${seconds.toFixed(0)} s\n`);
    return { bench, seconds, results };
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`bench: ${bench} FAILED: ${error}\n`);
    return { bench, seconds: (performance.now() - t0) / 1000, error, results: [] };
  }
}

function machine(loadStart: number): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    loadStart,
    loadEnd: loadavg()[0] ?? 0,
  };
}

function writeJson(report: object): string {
  const out = join(here, 'results');
  mkdirSync(out, { recursive: true });
  const path = join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** The command line: `--quick`, `--help`, and name filters. */
function parseArgs(argv: readonly string[]): { options: BenchOptions; filters: string[]; help: boolean } {
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--quick' && a !== '--help' && a !== '-h');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')} (try --help)`);
  return {
    options: { quick: argv.includes('--quick') || process.env.VIREO_BENCH_QUICK === '1' },
    filters: argv.filter((a) => !a.startsWith('-')),
    help: argv.includes('--help') || argv.includes('-h'),
  };
}

const USAGE = `usage: npm run bench -- [--quick] [name…]
Runs every bench/*.bench.ts (or those whose file name contains a name), prints a table with each
figure's goal and verdict, and writes JSON to bench/results/. --quick: small sizes, a few minutes.
`;

/** Runs the selected benches in file order, prints the table and machine line, writes JSON; 1 if any failed. */
async function main(argv: readonly string[]): Promise<number> {
  const { options, filters, help } = parseArgs(argv);
  if (help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.quick) process.env.VIREO_BENCH_QUICK = '1';
  const loadStart = loadavg()[0] ?? 0;
  const startedAt = new Date().toISOString();
  const outcomes: BenchOutcome[] = [];
  for (const file of benchFiles(filters)) outcomes.push(await runOne(file, options));
  const rows: ReportRow[] = outcomes.flatMap((o) => o.results.map((r) => ({ bench: o.bench, ...r })));
  const failed = outcomes.filter((o) => o.error !== undefined);
  const info = machine(loadStart);
  const summary = `${outcomes.length} benches, ${failed.length} failed${failed.map((f) => ` (${f.bench})`).join('')}; ${verdictSummary(rows)}`;
  process.stdout.write(`${formatTable(rows)}\n\n${summary}\n${machineLine(info)}\n`);
  const path = writeJson({
    startedAt,
    quick: options.quick,
    machine: info,
    note: machineLine(info).split('\n')[1],
    benches: outcomes.map(({ bench, seconds, error }) => ({ bench, seconds, error })),
    results: rows.map((r) => ({ ...r, verdict: verdictOf(r) })),
  });
  process.stdout.write(`results: ${path}\n`);
  return failed.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`bench failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}
