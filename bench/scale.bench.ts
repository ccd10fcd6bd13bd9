import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { formatTally } from './support/audit-log.js';
import { type BenchEnv, type BenchReplica, startBenchEnv } from './support/bench-env.js';
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
import { electedReplicas, standbyCounts, standbyRows } from './support/ha.js';
import { memoryBreakdown, readMemorySample } from './support/memory-kinds.js';
import { RssSampler, readProcStats } from './support/proc-stats.js';
import { waitRequestsQuiet } from './support/quiet.js';
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

/** The bench environment, the (leading) controller's pid and probe files, and the standby replicas. */
interface Ctx {
  b: BenchEnv;
  pid: number;
  countsPath: string;
  memoryPath?: string;
  standbys: BenchReplica[];
  timeoutMs: number;
}

/** Waits (polling with a deadline) until the controller has sent no request for `QUIET_MS`. */
function waitControllerQuiet(ctx: Ctx, timeoutMs = 120_000): Promise<void> {
  return waitRequestsQuiet(ctx.countsPath, QUIET_MS, timeoutMs);
}

/**
 * With replicas: if the leader measured so far has exited (it lost its Lease), measure the new leader from
 * now on; returns a row saying so (a failover within the phase: its figures mix both leaders), else none.
 */
async function followLeader(ctx: Ctx, n: number): Promise<BenchResult[]> {
  if (ctx.standbys.length === 0 || existsSync(`/proc/${ctx.pid}`)) return [];
  const { leader, standbys } = await electedReplicas(ctx.b);
  const old = ctx.pid;
  Object.assign(ctx, {
    pid: leader.process.process.pid ?? 0,
    countsPath: leader.requestCountsPath ?? ctx.countsPath,
    memoryPath: leader.memoryPath,
    standbys: standbys.filter((s) => s.process.process.running),
  });
  const note = `the leader (pid ${old}) exited; pid ${ctx.pid} took over, so this size's figures mix both`;
  return [{ name: `N=${n} failover`, p50: 1, p99: 1, unit: 'leader changes', notes: note }];
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
  const memory = ctx.memoryPath ? readMemorySample(ctx.memoryPath) : undefined;
  return { requests, perMinute: 60_000 / windowMs, memory, ...stats };
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

/** Counts split into those on Leases and the rest. */
function splitLeases(counts: RequestCounts): [RequestCounts, RequestCounts] {
  const entries = Object.entries(counts);
  const lease = ([k]: [string, number]) => k.endsWith(' leases');
  return [Object.fromEntries(entries.filter(lease)), Object.fromEntries(entries.filter((e) => !lease(e)))];
}

/** Rows of the idle window: writes per minute (goal 0), other requests per minute, RSS at idle. */
function idleRows(n: number, idle: Awaited<ReturnType<typeof measureIdle>>): BenchResult[] {
  // Lease renewals (leader election, with replicas) are the elector's, not the controllers' writes.
  const [leases, writes] = splitLeases(filterWrites(idle.requests));
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
      notes: `${window}${totalRequests(writes) > 0 ? `: ${formatTally(writes)}` : ''}${totalRequests(leases) > 0 ? `; not counted: Lease renewals ${formatTally(leases)}` : ''}`,
    },
    {
      name: `N=${n} idle reads per minute`,
      p50: rate(reads),
      p99: rate(reads),
      unit: 'requests/min',
      notes: `${window}: ${formatTally(reads)}`,
    },
    {
      name: `N=${n} controller RSS at idle`,
      p50: fixed(idle.rssMB),
      p99: fixed(idle.rssMB),
      unit: 'MB',
      notes: idle.memory ? memoryBreakdown(idle.memory) : undefined,
    },
  ];
}

/** After an update every VirtualService must send 100 % to stable; the count that does not. */
async function weightViolations(ctx: Ctx): Promise<number> {
  const weights = await fleetWeights(ctx.b.kc, ctx.b.namespace);
  return weights.filter((w) => w.stable !== 100 || w.canary !== 0).length;
}

/** One size: more Rollouts created (on the current revision), all updated at once, then an idle window. */
async function runSize(ctx: Ctx, from: number, n: number, revision: number, idleMs: number) {
  const standbyBefore = standbyCounts(ctx.standbys);
  await ensureKwokNodes(ctx.b.kc, Math.ceil((n * PODS_PER_ROLLOUT) / PODS_PER_NODE) + 1);
  const create = await measurePhase(ctx, n, revision, () =>
    createFleet(ctx.b.kc, ctx.b.namespace, { from, to: n, revision }),
  );
  if (!create.progress.complete) {
    const peak = { p50: fixed(create.peakRssMB), p99: fixed(create.peakRssMB) };
    const rss = { name: `N=${n} controller peak RSS, create`, ...peak, unit: 'MB', goal: RSS_GOAL };
    return { rows: [timeRow(`N=${n} create`, create), rss], complete: false };
  }
  const failover = await followLeader(ctx, n);
  const update = await measurePhase(ctx, n, revision + 1, () =>
    updateFleet(ctx.b.kc, ctx.b.namespace, n, revision + 1),
  );
  const rows = [...updateRows(n, create, update), ...failover, ...(await followLeader(ctx, n))];
  const bad = await weightViolations(ctx);
  if (bad > 0)
    rows.push({
      name: `N=${n} VirtualServices not back at 100/0`,
      p50: bad,
      p99: bad,
      unit: 'VS',
      goal: 'p99 = 0',
    });
  if (!update.progress.complete)
    return { rows: [...rows, ...standbyRows(n, ctx.standbys, standbyBefore)], complete: false };
  rows.push(...idleRows(n, await measureIdle(ctx, idleMs)), ...standbyRows(n, ctx.standbys, standbyBefore));
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

/** With replicas: how often a replica exited and was started again (goal 0: no leader lost its Lease). */
function restartRow(b: BenchEnv): BenchResult {
  const count = b.restarts.length;
  const notes = b.restarts.map((r) => `replica ${r.slot} exit ${r.exitCode}`).join('; ');
  return {
    name: 'controller replica restarts (kubelet-like)',
    p50: count,
    p99: count,
    unit: 'restarts',
    goal: 'p99 = 0',
    notes: notes || 'none',
  };
}

/**
 * Scale: fleets of N Rollouts (2 replicas, Istio host split over two headless Services and a
 * VirtualService, steps setWeight 20 → pause 1s → 50 → pause 1s → 80) on one controller process. Per
 * size the fleet grows to N and reaches Healthy, then all N are updated at once: time to Healthy, the
 * controller's peak RSS and CPU, and its API requests per Rollout (counted in the controller process by
 * a preload); then an idle window: writes and reads per minute, RSS. Sizes grow in the same environment;
 * a size that does not finish by the deadline ends the bench with what it reached. With
 * VIREO_BENCH_SCALE_REPLICAS=2 two replicas elect a leader: the figures are the leader's, and each
 * standby's writes are reported (goal 0: only the leader acts; all Healthy: no update lost).
 */
export default async function scale(options?: BenchOptions): Promise<BenchResult[]> {
  const quick = isQuick(options);
  const sizes = quick ? QUICK_SIZES : FULL_SIZES;
  const idleMs = Number(env.VIREO_BENCH_IDLE_WINDOW_MS ?? (quick ? 20_000 : 60_000));
  const bundled = env.VIREO_BENCH_CONTROLLER !== 'tsx';
  const replicas = Number(env.VIREO_BENCH_SCALE_REPLICAS ?? 1);
  const b = await startBenchEnv('scale', { countRequests: true, memoryProbe: true, bundled, replicas });
  try {
    const { leader, standbys } = await electedReplicas(b);
    const pid = leader.process.process.pid;
    if (!pid || !leader.requestCountsPath) throw new Error('the controller has no pid or no request counts');
    const timeoutMs = quick ? QUICK_PHASE_TIMEOUT_MS : PHASE_TIMEOUT_MS;
    const { requestCountsPath: countsPath, memoryPath } = leader;
    const ctx: Ctx = { b, pid, countsPath, memoryPath, standbys, timeoutMs };
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
    if (replicas > 1) rows.push(restartRow(b));
    return rows;
  } finally {
    await b.stop();
  }
}
