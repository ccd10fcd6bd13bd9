import { startEnvironment } from '../harness/environment.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';

const RUNS = Number(process.env.VIREO_BENCH_CONTROL_PLANE_RUNS ?? 3);

/** Warm start of the whole test environment (control plane with Ready nodes, CRDs, Prometheus), and its stop. */
export default async function controlPlaneStart(options?: BenchOptions): Promise<BenchResult[]> {
  const runs = isQuick(options) ? 1 : RUNS;
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const env = await startEnvironment();
    const t1 = performance.now();
    await env.stop();
    starts.push((t1 - t0) / 1000);
    stops.push((performance.now() - t1) / 1000);
  }
  const notes = `${runs} run${runs === 1 ? '' : 's'}, binaries cached`;
  return [
    {
      name: 'environment warm start',
      p50: percentile(starts, 50),
      p99: percentile(starts, 99),
      unit: 's',
      notes,
    },
    { name: 'environment stop', p50: percentile(stops, 50), p99: percentile(stops, 99), unit: 's', notes },
  ];
}
