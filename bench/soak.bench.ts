import { setTimeout as delay } from 'node:timers/promises';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { type BenchEnv, rolloutManifest, startBenchEnv, waitAllHealthy } from './support/bench-env.js';
import { mapLimit } from './support/fleet.js';
import { readProcStats } from './support/proc-stats.js';
import type { BenchResult } from './support/report.js';

const ROLLOUTS = Number(process.env.VIREO_BENCH_SOAK_ROLLOUTS ?? 100);
const REPLICAS = 1;
const SAMPLE_EVERY_MS = 5_000;
const DRIFT_EVERY_MS = 15_000;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Least-squares slope of `ys` over `xs` (units of y per unit of x); NaN for fewer than two points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Drift: scales one Rollout's ReplicaSets by hand to 3 (the controller puts them back to 1). */
async function drift(b: BenchEnv, apps: AppsV1Api, i: number): Promise<void> {
  const name = `soak-${String(i % ROLLOUTS).padStart(3, '0')}`;
  for (const rs of await b.api.replicaSets(name)) {
    await apps.patchNamespacedReplicaSet(
      { namespace: b.namespace, name: rs.metadata?.name ?? '', body: { spec: { replicas: 3 } } },
      mergePatch,
    );
  }
}

/** The soak loop: RSS samples (minutes since start, MB) and the number of drifts made. */
async function soak(
  b: BenchEnv,
  durationMs: number,
): Promise<{ t: number[]; rss: number[]; drifts: number }> {
  const pid = b.controller.process.pid ?? 0;
  const apps = b.kc.makeApiClient(AppsV1Api);
  const t: number[] = [];
  const rss: number[] = [];
  const started = performance.now();
  let nextDrift = DRIFT_EVERY_MS;
  let drifts = 0;
  for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - started) {
    t.push(elapsed / 60_000);
    rss.push(readProcStats(pid).rssMB);
    if (elapsed >= nextDrift) {
      await drift(b, apps, drifts++);
      nextDrift += DRIFT_EVERY_MS;
    }
    await delay(SAMPLE_EVERY_MS);
  }
  return { t, rss, drifts };
}

/**
 * Steady-state soak: 100 Healthy Rollouts (one replica each) under the bundled controller, then 10 minutes
 * (`--quick`: 1) of idling with a hand-made ReplicaSet drift every 15 s that the controller heals. Reports the
 * controller's RSS slope by linear regression (MB/min; goal < 1, i.e. no growth beyond noise) and its API
 * writes per minute during the soak (from the API server's audit log).
 */
export default async function soakBench(options?: { quick?: boolean }): Promise<BenchResult[]> {
  const quick = options?.quick ?? process.env.VIREO_BENCH_QUICK === '1';
  const durationMs = quick ? 60_000 : 600_000;
  const b = await startBenchEnv('soak', { audit: true, bundled: true });
  try {
    const names = Array.from({ length: ROLLOUTS }, (_, i) => `soak-${String(i).padStart(3, '0')}`);
    await mapLimit(names, 10, (name) =>
      b.api.create(rolloutManifest(name, { replicas: REPLICAS, image: 'registry.example/soak:1.0.0' })),
    );
    await waitAllHealthy(b, ROLLOUTS, REPLICAS, 300_000);
    const mark = b.audit?.mark() ?? 0;
    const { t, rss, drifts } = await soak(b, durationMs);
    const minutes = (t.at(-1) ?? 0) || durationMs / 60_000;
    const writes = (b.audit?.since(mark).length ?? 0) / minutes;
    const perMin = slope(t, rss);
    const span = `${rss.length} samples over ${minutes.toFixed(1)} min, ${ROLLOUTS} Rollouts, ${drifts} drifts`;
    return [
      { name: 'soak RSS slope', p50: perMin, p99: perMin, unit: 'MB/min', goal: 'p50 < 1', notes: span },
      {
        name: 'soak RSS',
        p50: rss[0] ?? Number.NaN,
        p99: rss.at(-1) ?? Number.NaN,
        unit: 'MB',
        notes: 'p50 = first sample, p99 = last sample',
      },
      {
        name: 'soak API writes',
        p50: writes,
        p99: writes,
        unit: 'writes/min',
        notes: `drift every ${DRIFT_EVERY_MS / 1000} s`,
      },
    ];
  } finally {
    await b.stop();
  }
}
