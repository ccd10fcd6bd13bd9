import { setTimeout as delay } from 'node:timers/promises';
import { pollUntil } from '../test/cluster/wait.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { formatTally } from './support/audit-log.js';
import { type BenchEnv, startBenchEnv } from './support/bench-env.js';
import {
  createFleet,
  ensureKwokNodes,
  type FleetProgress,
  fleetImage,
  fleetWeights,
  PODS_PER_NODE,
  updateFleet,
  waitFleetHealthy,
} from './support/fleet.js';
import { RssSampler, readProcStats } from './support/proc-stats.js';
import {
  countsSince,
  filterWrites,
  type RequestCounts,
  readRequestCounts,
  totalRequests,
} from './support/request-kinds.js';

const env = process.env;
const FULL_SIZES = (env.VIREO_BENCH_SCALE_SIZES ?? '100,500,1000').split(',').map(Number);
const QUICK_SIZES = (env.VIREO_BENCH_SCALE_QUICK_SIZES ?? '50').split(',').map(Number);
/** Longest wait for one phase (all created or all updated Rollouts Healthy). */
const PHASE_TIMEOUT_MS = Number(env.VIREO_BENCH_SCALE_TIMEOUT_MS ?? 20 * 60_000);
const QUICK_PHASE_TIMEOUT_MS = 4 * 60_000;
const QUIET_MS = 3000;
/** Peak pods per Rollout during an update (2 stable + up to 2 canary), with headroom for terminating ones. */
const PODS_PER_ROLLOUT = 4.5;
const RSS_GOAL = 'p99 < 250';

/** What the bench keeps of one phase of the controller's work. */
interface Phase {
  progress: FleetProgress;
  count: number;
  peakRssMB: number;
  rssMB: number;
  cpuSeconds: number;
  requests: RequestCounts;
}

/** The bench environment, the controller's pid and where its request counts go. */
interface Ctx {
  b: BenchEnv;
  pid: number;
  countsPath: string;
  timeoutMs: number;
}

/** Waits (polling with a deadline) until the controller has sent no request for `QUIET_MS`. */
async function waitControllerQuiet(ctx: Ctx, timeoutMs = 120_000): Promise<void> {
  let total = -1;
  let changedAt = performance.now();
  await pollUntil(
    () => {
      const now = totalRequests(readRequestCounts(ctx.countsPath));
      if (now !== total) [total, changedAt] = [now, performance.now()];
      return performance.now() - changedAt >= QUIET_MS;
    },
    { timeoutMs, intervalMs: 250, description: `${QUIET_MS} ms without controller requests` },
  );
}

/** Runs `act`, then waits until `count` Rollouts are Healthy on `revision`, sampling the controller throughout. */
async function measurePhase(ctx: Ctx, count: number, revision: number, act: () => Promise<void>) {
  const sampler = new RssSampler(ctx.pid);
  const before = readRequestCounts(ctx.countsPath);
  sampler.start();
  const t0 = performance.now();
  await act();
  const image = fleetImage(revision);
  const progress = await waitFleetHealthy(ctx.b.kc, ctx.b.namespace, {
    count,
    image,
    t0,
    timeoutMs: ctx.timeoutMs,
  });
  const stats = sampler.stop();
  await waitControllerQuiet(ctx).catch(() => undefined);
  const requests = countsSince(before, readRequestCounts(ctx.countsPath));
  return { progress, count, requests, ...stats } satisfies Phase;
}

/** Writes and other requests per minute, and the RSS, over an idle window with every Rollout Healthy. */
async function measureIdle(ctx: Ctx, windowMs: number) {
  await waitControllerQuiet(ctx).catch(() => undefined);
  const sampler = new RssSampler(ctx.pid);
  const before = readRequestCounts(ctx.countsPath);
  sampler.start();
  await delay(windowMs); // the measurement window itself, not a wait for a condition
  const stats = sampler.stop();
  const requests = countsSince(before, readRequestCounts(ctx.countsPath));
  return { requests, perMinute: 60_000 / windowMs, ...stats };
}

const fixed = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Per-Rollout times of a phase; the notes say when the last got there, or how many had by the deadline. */
function timeRow(label: string, phase: Phase): BenchResult {
  const { times, complete } = phase.progress;
  const last = Math.max(0, ...times);
  const end = complete
    ? `all ${phase.count} Healthy at ${last.toFixed(1)} s`
    : `only ${times.length} of ${phase.count} Healthy by the deadline`;
  return {
    name: `${label} → Healthy, per Rollout`,
    p50: fixed(percentile(times, 50)),
    p99: fixed(percentile(times, 99)),
    unit: 's',
    goal: 'all Healthy',
    goalMet: complete,
    notes: `${end}; from the first request of the phase (1 s list polling)`,
  };
}

function perRollout(counts: RequestCounts, n: number): string {
  const per = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n]));
  return formatTally(per, 2);
}

/** Rows of one size: times, controller peak RSS, CPU and requests per Rollout while updating. */
function updateRows(n: number, create: Phase, update: Phase): BenchResult[] {
  const label = `N=${n}`;
  const total = totalRequests(update.requests);
  const peak = Math.max(create.peakRssMB, update.peakRssMB);
  const value = (v: number) => ({ p50: fixed(v), p99: fixed(v) });
  return [
    timeRow(`${label} create`, create),
    timeRow(`${label} update`, update),
    {
      name: `${label} controller peak RSS`,
      ...value(peak),
      unit: 'MB',
      goal: RSS_GOAL,
      notes: `creating ${create.peakRssMB.toFixed(0)} MB, updating ${update.peakRssMB.toFixed(0)} MB (VmHWM, reset per phase)`,
    },
    {
      name: `${label} controller CPU, update`,
      ...value(update.cpuSeconds),
      unit: 's',
      notes: `${((update.cpuSeconds * 1000) / n).toFixed(1)} ms per Rollout; creating took ${create.cpuSeconds.toFixed(1)} s`,
    },
    {
      name: `${label} API requests per Rollout, update`,
      ...value(total / n),
      unit: 'requests',
      notes: `mean; by kind: ${perRollout(update.requests, n)}`,
    },
  ];
}

/** Rows of the idle window: writes per minute (goal 0), other requests per minute, RSS at idle. */
function idleRows(n: number, idle: Awaited<ReturnType<typeof measureIdle>>): BenchResult[] {
  const writes = filterWrites(idle.requests);
  const reads = filterWrites(idle.requests, false);
  const rate = (c: RequestCounts) => fixed(totalRequests(c) * idle.perMinute);
  const window = `${(60 / idle.perMinute).toFixed(0)} s window, ${n} Healthy Rollouts`;
  return [
    {
      name: `N=${n} idle writes per minute`,
      p50: rate(writes),
      p99: rate(writes),
      unit: 'writes/min',
      goal: 'p99 = 0',
      notes: `${window}${totalRequests(writes) > 0 ? `: ${formatTally(writes)}` : ''}`,
    },
    {
      name: `N=${n} idle reads per minute`,
      p50: rate(reads),
      p99: rate(reads),
      unit: 'requests/min',
      notes: `${window}: ${formatTally(reads)}`,
    },
    { name: `N=${n} controller RSS at idle`, p50: fixed(idle.rssMB), p99: fixed(idle.rssMB), unit: 'MB' },
  ];
}

/** After an update every VirtualService must send 100 % to stable; the count that does not. */
async function weightViolations(ctx: Ctx): Promise<number> {
  const weights = await fleetWeights(ctx.b.kc, ctx.b.namespace);
  return weights.filter((w) => w.stable !== 100 || w.canary !== 0).length;
}

/** One size: more Rollouts created (on the current revision), all updated at once, then an idle window. */
async function runSize(ctx: Ctx, from: number, n: number, revision: number, idleMs: number) {
  await ensureKwokNodes(ctx.b.kc, Math.ceil((n * PODS_PER_ROLLOUT) / PODS_PER_NODE) + 1);
  const create = await measurePhase(ctx, n, revision, () =>
    createFleet(ctx.b.kc, ctx.b.namespace, { from, to: n, revision }),
  );
  if (!create.progress.complete) {
    const peak = { p50: fixed(create.peakRssMB), p99: fixed(create.peakRssMB) };
    const rss = { name: `N=${n} controller peak RSS, create`, ...peak, unit: 'MB', goal: RSS_GOAL };
    return { rows: [timeRow(`N=${n} create`, create), rss], complete: false };
  }
  const update = await measurePhase(ctx, n, revision + 1, () =>
    updateFleet(ctx.b.kc, ctx.b.namespace, n, revision + 1),
  );
  const rows = updateRows(n, create, update);
  const bad = await weightViolations(ctx);
  if (bad > 0)
    rows.push({
      name: `N=${n} VirtualServices not back at 100/0`,
      p50: bad,
      p99: bad,
      unit: 'VS',
      goal: 'p99 = 0',
    });
  if (!update.progress.complete) return { rows, complete: false };
  rows.push(...idleRows(n, await measureIdle(ctx, idleMs)));
  return { rows, complete: true };
}

/** The controller's RSS once started and quiet, before any Rollout exists: the floor the fleet adds to. */
async function baselineRow(ctx: Ctx, bundled: boolean): Promise<BenchResult> {
  await waitControllerQuiet(ctx).catch(() => undefined);
  const rss = fixed(readProcStats(ctx.pid).rssMB);
  const how = bundled
    ? 'controller bundled by esbuild, run by plain node (VIREO_BENCH_CONTROLLER=tsx: src/main.ts under tsx)'
    : 'src/main.ts under tsx, whose loader adds ~90 MB (default: the esbuild bundle under plain node)';
  return { name: 'controller RSS, no Rollouts yet', p50: rss, p99: rss, unit: 'MB', notes: how };
}

/**
 * Scale: fleets of N Rollouts (2 replicas, Istio host split over two headless Services and a
 * VirtualService, steps setWeight 20 → pause 1s → 50 → pause 1s → 80) on one controller process. Per
 * size the fleet grows to N and reaches Healthy, then all N are updated at once: time to Healthy, the
 * controller's peak RSS and CPU, and its API requests per Rollout (counted in the controller process by
 * a preload); then an idle window: writes and reads per minute, RSS. Sizes grow in the same environment;
 * a size that does not finish by the deadline ends the bench with what it reached.
 */
export default async function scale(options?: BenchOptions): Promise<BenchResult[]> {
  const quick = isQuick(options);
  const sizes = quick ? QUICK_SIZES : FULL_SIZES;
  const idleMs = Number(env.VIREO_BENCH_IDLE_WINDOW_MS ?? (quick ? 20_000 : 60_000));
  const bundled = env.VIREO_BENCH_CONTROLLER !== 'tsx';
  const b = await startBenchEnv('scale', { countRequests: true, bundled });
  try {
    const pid = b.controller.process.pid;
    if (!pid || !b.requestCountsPath) throw new Error('the controller has no pid or no request counts');
    const timeoutMs = quick ? QUICK_PHASE_TIMEOUT_MS : PHASE_TIMEOUT_MS;
    const ctx: Ctx = { b, pid, countsPath: b.requestCountsPath, timeoutMs };
    const rows: BenchResult[] = [await baselineRow(ctx, bundled)];
    let [from, revision] = [0, 0];
    for (const n of sizes) {
      const done = await runSize(ctx, from, n, revision, idleMs);
      rows.push(...done.rows);
      for (const r of done.rows)
        process.stderr.write(`bench: ${r.name}: p50 ${r.p50}, p99 ${r.p99} ${r.unit}\n`);
      if (!done.complete) break;
      [from, revision] = [n, revision + 1];
    }
    return rows;
  } finally {
    await b.stop();
  }
}
