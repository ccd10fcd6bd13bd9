import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { pollUntil } from '../harness/wait.js';
import {
  createRoutedApp,
  createTemplate,
  promMetric,
  routedRollout,
  runsOf,
} from '../test/integration/support/analysis.js';
import { imagePatch } from '../test/integration/support/canary.js';
import { type RouteEvent, waitForRoute, watchRoute } from '../test/integration/support/route-watch.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { type BenchEnv, startBenchEnv } from './support/bench-env.js';

const TRIALS = Number(process.env.VIREO_BENCH_ABORT_TRIALS ?? 20);
const QUICK_TRIALS = 6;
const TIMEOUT_MS = 60_000;

/** Wall-clock time of the measurement that failed the newest run (`finishedAt` of its last measurement). */
async function crossingTime(b: BenchEnv, name: string): Promise<number> {
  const run = await pollUntil(
    async () => {
      const newest = (await runsOf(b, name)).at(-1);
      return newest?.status?.phase === 'Failed' && newest;
    },
    { timeoutMs: TIMEOUT_MS, description: 'the failed AnalysisRun' },
  );
  const finished = run.status?.metricResults?.[0]?.measurements?.at(-1)?.finishedAt;
  if (finished === undefined) throw new Error(`run ${run.metadata.name} has no finished measurement`);
  return Date.parse(finished);
}

/** One trial on a fresh Rollout `name`: canary at 25%, the run fails on its first measurement. */
async function trial(b: BenchEnv, name: string): Promise<number> {
  await createRoutedApp(b, name);
  const steps = [
    { setWeight: 25 },
    { analysis: { templates: [{ templateName: 'error-rate' }] } },
    { setWeight: 100 },
  ];
  await b.api.create(routedRollout(name, 'registry.example/abort:1', steps));
  await b.api.waitFor(name, 'a Healthy first deploy', (r) => r.status?.phase === 'Healthy');
  const events: RouteEvent[] = [];
  const watch = await watchRoute(b.kc, b.namespace, name, events);
  try {
    await b.api.patchSpec(name, imagePatch('registry.example/abort:2'));
    const weighted = await waitForRoute(events, 0, (e) => e.canary > 0, 'canary weight', TIMEOUT_MS);
    const back = await waitForRoute(
      events,
      events.indexOf(weighted),
      (e) => e.stable === 100,
      'stable 100%',
      TIMEOUT_MS,
    );
    return back.at - (await crossingTime(b, name));
  } finally {
    watch.abort();
  }
}

/**
 * Abort latency: an Istio-routed canary at 25% whose analysis fails on its first measurement
 * (`vector(0.08)` against `result[0] < 0.05`). Each trial measures, in wall-clock ms, from the `finishedAt`
 * of the failing measurement to the arrival of the WATCH event in which the VirtualService sends 100% to
 * stable. Every trial is an update of its own fresh Rollout. Goal: p99 < 1 s.
 */
export default async function abortLatency(options?: BenchOptions): Promise<BenchResult[]> {
  const trials = isQuick(options) ? Math.min(QUICK_TRIALS, TRIALS) : TRIALS;
  const b = await startBenchEnv('abort-latency');
  try {
    const metric = promMetric(
      'error-rate',
      'vector(0.08)',
      { interval: undefined },
      b.env.info.prometheusUrl,
    );
    await createTemplate(b, 'error-rate', { metrics: [metric] });
    const samples: number[] = [];
    for (let i = 0; i < trials; i++) samples.push(await trial(b, `abort-${i}`));
    const notes = `${samples.length} trials; failing measurement finishedAt → VirtualService WATCH event with stable 100%`;
    const [p50, p99] = [percentile(samples, 50), percentile(samples, 99)];
    return [{ name: 'abort latency', p50, p99, unit: 'ms', goal: 'p99 < 1000', notes }];
  } finally {
    await b.stop();
  }
}
