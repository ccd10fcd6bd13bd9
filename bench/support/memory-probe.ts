/**
 * A preload for the controller process in benches (`NODE_OPTIONS=--import=<this file>`): every second it
 * writes the process's `process.memoryUsage()` and V8 heap-space sizes as JSON to the file named by
 * VIREO_BENCH_MEMORY, so a bench can say where the RSS goes (V8 heap used / committed, external buffers,
 * the rest: code, the Node runtime, malloc). With `--expose-gc` also in NODE_OPTIONS it collects garbage
 * before each sample, so heapUsed is the live heap rather than live + not yet collected. It changes
 * nothing else about the process. Without the variable it does nothing.
 */
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { MEMORY_PROBE_ENV, type MemorySample } from './memory-kinds.js';

const target = process.env[MEMORY_PROBE_ENV];

function sample(): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const spaces: Record<string, { usedMB: number; committedMB: number }> = {};
  for (const s of getHeapSpaceStatistics()) {
    spaces[s.space_name] = { usedMB: s.space_used_size / 1e6, committedMB: s.physical_space_size / 1e6 };
  }
  return {
    at: Date.now(),
    rssMB: m.rss / 1e6,
    heapTotalMB: m.heapTotal / 1e6,
    heapUsedMB: m.heapUsed / 1e6,
    externalMB: m.external / 1e6,
    arrayBuffersMB: m.arrayBuffers / 1e6,
    spaces,
  };
}

function write(): void {
  if (!target) return;
  try {
    writeFileSync(target, JSON.stringify(sample()));
  } catch {
    // a bench that has gone away reads nothing more
  }
}

if (target) {
  setInterval(write, 1000).unref();
  write();
}
