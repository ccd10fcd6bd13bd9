import { existsSync, readFileSync } from 'node:fs';

/** The environment variable naming the file the memory-probe preload writes its latest sample to. */
export const MEMORY_PROBE_ENV = 'VIREO_BENCH_MEMORY';

/** One sample of the controller's memory (MB), as the memory-probe preload writes it. */
export interface MemorySample {
  at: number;
  rssMB: number;
  heapTotalMB: number;
  heapUsedMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  /** V8 heap spaces (`old_space`, `new_space`, `code_space`…): used and committed (physical) MB. */
  spaces: Record<string, { usedMB: number; committedMB: number }>;
}

/** The latest sample in `path`, or undefined when there is none (yet) or it cannot be parsed. */
export function readMemorySample(path: string): MemorySample | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as MemorySample;
  } catch {
    return undefined;
  }
}

/**
 * A one-line breakdown of a sample: RSS = V8 heap committed + the rest (code outside the heap, the Node
 * runtime, malloc'd buffers); heap used (live, when the probe collects garbage first) and the largest spaces.
 * Invariant: pure; every figure is printed in MB with one decimal.
 */
export function memoryBreakdown(s: MemorySample): string {
  const f = (n: number) => n.toFixed(1);
  const spaces = Object.entries(s.spaces)
    .filter(([, v]) => v.committedMB >= 1)
    .sort((a, b) => b[1].committedMB - a[1].committedMB)
    .map(([k, v]) => `${k} ${f(v.usedMB)}/${f(v.committedMB)}`)
    .join(', ');
  const rest = s.rssMB - s.heapTotalMB;
  return (
    `RSS ${f(s.rssMB)} = V8 heap ${f(s.heapTotalMB)} (used ${f(s.heapUsedMB)}) + other ${f(rest)}; ` +
    `external ${f(s.externalMB)} (array buffers ${f(s.arrayBuffersMB)}); spaces used/committed: ${spaces}`
  );
}
