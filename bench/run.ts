import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One measured figure a benchmark reports. */
export interface BenchResult {
  name: string;
  p50: number;
  p99: number;
  unit: string;
  notes?: string;
}

/** A benchmark file default-exports a function returning its results. */
export type Benchmark = () => Promise<BenchResult[]>;

/** The p-th percentile (0–100) of `samples` by nearest rank; NaN for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

const here = dirname(fileURLToPath(import.meta.url));

function table(results: BenchResult[]): string {
  const rows = [
    ['name', 'p50', 'p99', 'unit', 'notes'],
    ...results.map((r) => [r.name, fmt(r.p50), fmt(r.p99), r.unit, r.notes ?? '']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}

/** Runs every `*.bench.ts` in bench/ (or those named on the command line), prints a table, writes JSON. */
async function main(filter: string[]): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
    .sort();
  const results: BenchResult[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
    results.push(...(await mod.default()));
  }
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  process.stdout.write(`${table(results)}\n\nmachine: ${machine}\n`);
  const out = join(here, 'results');
  mkdirSync(out, { recursive: true });
  const path = join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, JSON.stringify({ machine, results }, null, 2));
  process.stdout.write(`results: ${path}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`bench failed: ${err.message}\n`);
    process.exit(1);
  });
}
