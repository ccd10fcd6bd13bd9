import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../harness/wait.js';
import { type BenchOptions, type BenchResult, isQuick } from './run.js';
import { type BenchEnv, startBenchEnv } from './support/bench-env.js';
import {
  createFleet,
  ensureKwokNodes,
  fleetImage,
  PODS_PER_NODE,
  waitFleetHealthy,
} from './support/fleet.js';
import { heapSummaryLines } from './support/heap-summary.js';
import { type MemorySample, memoryBreakdown, readMemorySample } from './support/memory-kinds.js';
import { waitRequestsQuiet } from './support/quiet.js';

const env = process.env;
const FULL_SIZES = (env.VIREO_BENCH_MEMORY_SIZES ?? '100,200').split(',').map(Number);
const QUICK_SIZES = [20];
const PHASE_TIMEOUT_MS = 10 * 60_000;
const SNAPSHOTS = env.VIREO_BENCH_HEAPSNAPSHOT === '1';

/** A probe sample taken after `since` (ms epoch): the probe writes one a second. */
function sampleAfter(b: BenchEnv, since: number): Promise<MemorySample> {
  return pollUntil(
    () => {
      const s = b.memoryPath ? readMemorySample(b.memoryPath) : undefined;
      return s && s.at > since ? s : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, description: 'a memory sample' },
  );
}

/** Sends SIGUSR2 (heap snapshot), waits for the file to stop growing, prints its largest groups. */
async function snapshot(b: BenchEnv, label: string): Promise<void> {
  const dir = b.heapSnapshotDir;
  const pid = b.controller.process.pid;
  if (!dir || !pid) return;
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  let size = -1;
  const file = await pollUntil(
    () => {
      const f = readdirSync(dir).find((n) => !before.has(n) && n.endsWith('.heapsnapshot'));
      if (!f || !existsSync(join(dir, f))) return undefined;
      const now = statSync(join(dir, f)).size;
      const stable = now > 0 && now === size;
      size = now;
      return stable ? join(dir, f) : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1000, description: 'the heap snapshot' },
  );
  process.stderr.write(`bench: heap at ${label} (${file}):\n  ${heapSummaryLines(file).join('\n  ')}\n`);
}

/** The rows of one measurement: RSS, live heap and the per-Rollout growth over the empty controller. */
function rows(n: number, s: MemorySample, empty: MemorySample): BenchResult[] {
  const v = (x: number) => ({ p50: Number(x.toFixed(1)), p99: Number(x.toFixed(1)) });
  const out: BenchResult[] = [
    { name: `N=${n} controller RSS (after a full GC)`, ...v(s.rssMB), unit: 'MB', notes: memoryBreakdown(s) },
    {
      name: `N=${n} live V8 heap`,
      ...v(s.heapUsedMB),
      unit: 'MB',
      notes: `committed ${s.heapTotalMB.toFixed(1)} MB`,
    },
  ];
  if (n > 0) {
    const per = (x: number, y: number) => ((x - y) * 1000) / n;
    out.push({
      name: `N=${n} growth per Rollout`,
      ...v(per(s.heapUsedMB, empty.heapUsedMB)),
      unit: 'kB',
      notes: `live heap; RSS ${per(s.rssMB, empty.rssMB).toFixed(1)} kB per Rollout over the empty controller`,
    });
  }
  return out;
}

/**
 * Memory: where the controller's memory goes. The bundled controller runs with the memory-probe preload and
 * `--expose-gc` (a full GC before each sample, so the heap figure is live objects, not garbage awaiting
 * collection). Measured with no Rollouts and with fleets of N = 100 and 200 (`--quick`: 20) settled Healthy
 * (the scale bench's fleet), each once the controller has been quiet for 3 s. VIREO_BENCH_HEAPSNAPSHOT=1 also
 * writes a heap snapshot at each size and prints its largest constructor groups.
 */
export default async function memory(options?: BenchOptions): Promise<BenchResult[]> {
  const sizes = isQuick(options) ? QUICK_SIZES : FULL_SIZES;
  const b = await startBenchEnv('memory', {
    countRequests: true,
    memoryProbe: true,
    liveHeap: true,
    heapSnapshots: SNAPSHOTS,
    bundled: true,
  });
  try {
    const counts = b.requestCountsPath as string;
    await waitRequestsQuiet(counts);
    const empty = await sampleAfter(b, Date.now());
    const out = rows(0, empty, empty);
    if (SNAPSHOTS) await snapshot(b, 'N=0');
    let from = 0;
    for (const n of sizes) {
      await ensureKwokNodes(b.kc, Math.ceil((n * 2.5) / PODS_PER_NODE) + 1);
      await createFleet(b.kc, b.namespace, { from, to: n, revision: 0 });
      const t0 = performance.now();
      const progress = await waitFleetHealthy(b.kc, b.namespace, {
        count: n,
        image: fleetImage(0),
        t0,
        timeoutMs: PHASE_TIMEOUT_MS,
      });
      if (!progress.complete) throw new Error(`only ${progress.times.length} of ${n} Rollouts got Healthy`);
      await waitRequestsQuiet(counts);
      out.push(...rows(n, await sampleAfter(b, Date.now()), empty));
      if (SNAPSHOTS) await snapshot(b, `N=${n}`);
      from = n;
    }
    for (const r of out) process.stderr.write(`bench: ${r.name}: ${r.p50} ${r.unit}; ${r.notes ?? ''}\n`);
    return out;
  } finally {
    await b.stop();
  }
}
