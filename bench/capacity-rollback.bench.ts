import {
  atSeventyFivePercent,
  CAPACITY_AWARE,
  capacityRollout,
  type RouteEvent,
  waitForRoute,
  watchRoute,
} from '../test/integration/support/capacity.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { type BenchEnv, startBenchEnv } from './support/bench-env.js';

const TRIALS = Number(process.env.VIREO_BENCH_CAPACITY_TRIALS ?? 5);
const QUICK_TRIALS = 2;
const REPLICAS = 8;
/** Seconds from a pod's start to Ready (readinessProbe.initialDelaySeconds, played by kwok). */
const READY_SECONDS = 3;

/** What one abort looked like. */
interface Trial {
  /** ms from the abort patch to the WATCH event with 100% on stable. */
  toStable: number;
  /** The distinct stable weights the route went through. */
  path: number[];
}

/** One trial on a fresh Rollout `name`: canary at 75% with the stable at 25%, then `abort`. */
async function trial(b: BenchEnv, name: string, annotations: Record<string, string>): Promise<Trial> {
  await atSeventyFivePercent(b, name, capacityRollout(name, annotations, REPLICAS, READY_SECONDS));
  const events: RouteEvent[] = [];
  const watch = await watchRoute(b.kc, b.namespace, name, events);
  try {
    const from = events.length;
    const t0 = Date.now();
    await b.api.patchStatus(name, { abort: true });
    const back = await waitForRoute(events, from, (e) => e.stable === 100, 'stable 100%');
    const path = events
      .slice(from)
      .map((e) => e.stable)
      .filter((w, i, all) => w !== all[i - 1]);
    return { toStable: back.at - t0, path };
  } finally {
    watch.abort();
  }
}

function row(name: string, trials: Trial[], notes: string): BenchResult {
  const samples = trials.map((t) => t.toStable);
  const paths = [...new Set(trials.map((t) => t.path.join('→')))].join('; ');
  return {
    name,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    unit: 'ms',
    notes: `${samples.length} trials; stable weights seen: ${paths}; ${notes}`,
  };
}

/**
 * Capacity-aware rollback (issue 24 item 3): an Istio-routed `dynamicStableScale` canary of 8 pods at 75%, so
 * the stable ReplicaSet holds 2 pods (25%), is aborted; pods take 3 s to become Ready. Each trial measures,
 * in wall-clock ms, from the abort patch to the VirtualService WATCH event with 100% on stable — with
 * `vireo.dev/capacity-aware-rollback: "true"` (the stable scaled to full at once, traffic following its
 * available pods) and without it (Argo's step-down through the setWeights, one stable scale-up per step).
 */
export default async function capacityRollback(options?: BenchOptions): Promise<BenchResult[]> {
  const trials = isQuick(options) ? Math.min(QUICK_TRIALS, TRIALS) : TRIALS;
  const b = await startBenchEnv('capacity-rollback');
  try {
    const aware: Trial[] = [];
    const argo: Trial[] = [];
    for (let i = 0; i < trials; i++) {
      aware.push(await trial(b, `aware-${i}`, CAPACITY_AWARE));
      argo.push(await trial(b, `argo-${i}`, {}));
    }
    const setting = `${REPLICAS} replicas, pods Ready ${READY_SECONDS} s after start`;
    return [
      row('abort → 100% stable, stable at 25%, capacity-aware', aware, setting),
      row('abort → 100% stable, stable at 25%, Argo step-down (no annotation)', argo, setting),
    ];
  } finally {
    await b.stop();
  }
}
