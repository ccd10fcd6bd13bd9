import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { pollUntil } from '../harness/wait.js';
import { ClientNodeKubeClient, Resources } from '../src/kube/client.js';
import type { KubeObject } from '../src/kube/types.js';
import { canaryRollout, imagePatch } from '../test/integration/support/canary.js';
import { createServices, splitRoute, virtualService } from '../test/integration/support/traffic.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { startBenchEnv } from './support/bench-env.js';

const TRIALS = Number(process.env.VIREO_BENCH_TRAFFIC_TRIALS ?? 40);
const QUICK_TRIALS = 10;
const NAME = 'heal';
const TIMEOUT_MS = 10_000;
const STEP_WEIGHTS = [10, 20, 30, 40, 50, 60, 70, 80, 90];

interface Route {
  name?: string;
  route?: { destination: { host: string }; weight?: number }[];
}
type VirtualService = KubeObject & { spec: { http: Route[] } };

/** The canary weight of route `primary`. */
function canaryWeight(vs: VirtualService): number | undefined {
  const primary = vs.spec.http.find((r) => r.name === 'primary');
  return primary?.route?.find((d) => d.destination.host === `${NAME}-canary`)?.weight;
}

/** A WATCH on one VirtualService keeping each event's arrival time, to wait for the first one after a mark. */
class VirtualServiceWatch {
  private readonly seen: { vs: VirtualService; at: number }[] = [];
  private abort: AbortController | undefined;

  static async start(kc: KubeConfig, namespace: string): Promise<VirtualServiceWatch> {
    const watch = new VirtualServiceWatch();
    const path = `/apis/networking.istio.io/v1beta1/namespaces/${namespace}/virtualservices`;
    watch.abort = await new Watch(kc).watch(
      path,
      { fieldSelector: `metadata.name=${NAME}` },
      (_phase, vs: VirtualService) => watch.seen.push({ vs, at: performance.now() }),
      () => {},
    );
    return watch;
  }

  mark(): number {
    return this.seen.length;
  }

  /** Arrival time of the first event at or after `from` whose canary weight is `weight`. */
  async arrival(from: number, weight: number, what: string): Promise<number> {
    const hit = await pollUntil(() => this.seen.slice(from).find((e) => canaryWeight(e.vs) === weight), {
      timeoutMs: TIMEOUT_MS,
      intervalMs: 5,
      description: what,
    });
    return hit.at;
  }

  stop(): void {
    this.abort?.abort();
  }
}

function result(name: string, samples: number[], goal: string | undefined, notes: string): BenchResult {
  const row = { name, p50: percentile(samples, 50), p99: percentile(samples, 99), unit: 'ms', notes };
  return goal === undefined ? row : { ...row, goal };
}

/**
 * Traffic routing through the controller, Istio host-level split on a real API server:
 * - weight-drift heal: with the Rollout paused at 20%, each trial rewrites the route's weights by hand
 *   (JSON patch) and times, from the patch's response, the WATCH event showing 20% canary again;
 * - step start → weights applied: a Rollout walking setWeight 10…90 with a pause after each; each trial
 *   promotes (clears the pause, as the plugin does) and times the WATCH event showing the next weight.
 */
export default async function trafficHeal(options?: BenchOptions): Promise<BenchResult[]> {
  const trials = isQuick(options) ? Math.min(QUICK_TRIALS, TRIALS) : TRIALS;
  const b = await startBenchEnv('traffic-heal');
  let watch: VirtualServiceWatch | undefined;
  try {
    const client = new ClientNodeKubeClient(b.kc);
    await createServices(client, b.namespace, NAME, [`${NAME}-stable`, `${NAME}-canary`]);
    const http = [splitRoute('primary', `${NAME}-stable`, `${NAME}-canary`)];
    await client.create(Resources.virtualServices, b.namespace, virtualService(NAME, http));
    const steps = STEP_WEIGHTS.flatMap((w) => [{ setWeight: w }, { pause: {} }]);
    const canary = {
      canaryService: `${NAME}-canary`,
      stableService: `${NAME}-stable`,
      trafficRouting: { istio: { virtualService: { name: NAME, routes: ['primary'] } } },
    };
    await b.api.create(canaryRollout(NAME, 'registry.example/heal:1', { replicas: 2, steps, canary }));
    await b.api.waitFor(NAME, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    watch = await VirtualServiceWatch.start(b.kc, b.namespace);
    const stepSamples = await walkSteps(b.api, watch);
    const healSamples = await heal(client, b.namespace, watch, trials);
    return [
      result(
        'traffic drift heal',
        healSamples,
        'p99 < 1000',
        `${healSamples.length} hand edits of VirtualService weights; patch response → WATCH event with 90/10 restored`,
      ),
      result(
        'step start → weights applied',
        stepSamples,
        undefined,
        `${stepSamples.length} promotions through setWeight 20…90; status patch response → WATCH event with the new weight`,
      ),
    ];
  } finally {
    watch?.stop();
    await b.stop();
  }
}

async function walkSteps(api: Awaited<ReturnType<typeof startBenchEnv>>['api'], watch: VirtualServiceWatch) {
  await api.patchSpec(NAME, imagePatch('registry.example/heal:2'));
  await watch.arrival(0, STEP_WEIGHTS[0] ?? 10, 'the first step weight');
  const samples: number[] = [];
  for (let i = 1; i < STEP_WEIGHTS.length; i++) {
    await api.waitFor(
      NAME,
      `paused at step ${2 * i - 1}`,
      (r) => r.status?.currentStepIndex === 2 * i - 1 && r.status.phase === 'Paused',
    );
    const from = watch.mark();
    await api.patchStatus(NAME, { pauseConditions: null });
    const t0 = performance.now();
    samples.push((await watch.arrival(from, STEP_WEIGHTS[i] ?? 0, `weight ${STEP_WEIGHTS[i]}`)) - t0);
  }
  return samples;
}

async function heal(
  client: ClientNodeKubeClient,
  namespace: string,
  watch: VirtualServiceWatch,
  trials: number,
) {
  const held = STEP_WEIGHTS.at(-1) ?? 90;
  await watch.arrival(0, held, 'the last step weight');
  const samples: number[] = [];
  for (let i = 0; i < trials; i++) {
    const drifted = i % 2 === 0 ? 50 : 0;
    const ops = [
      { op: 'replace' as const, path: '/spec/http/0/route/0/weight', value: 100 - drifted },
      { op: 'replace' as const, path: '/spec/http/0/route/1/weight', value: drifted },
    ];
    const from = watch.mark();
    await client.patch(Resources.virtualServices, { namespace, name: NAME }, { type: 'json', ops });
    const t0 = performance.now();
    samples.push((await watch.arrival(from + 1, held, `weight ${held} restored`)) - t0);
  }
  return samples;
}
