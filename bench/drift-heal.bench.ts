import { AppsV1Api, PatchStrategy, setHeaderOptions, type V1ReplicaSet } from '@kubernetes/client-node';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { type BenchEnv, isSettledHealthy, rolloutManifest, startBenchEnv } from './support/bench-env.js';
import { ReplicaSetWatch } from './support/replicaset-watch.js';

const TRIALS = Number(process.env.VIREO_BENCH_DRIFT_TRIALS ?? 60);
const QUICK_TRIALS = 20;
const REPLICAS = 3;
const NAME = 'drift';
const HEAL_TIMEOUT_MS = 10_000;
const SETTLE_TIMEOUT_MS = 30_000;

/** Fully converged at `replicas`: spec, observed generation and every status count agree. */
function settled(rs: V1ReplicaSet, replicas: number): boolean {
  const s = rs.status;
  return (
    rs.spec?.replicas === replicas &&
    s?.observedGeneration === rs.metadata?.generation &&
    s?.replicas === replicas &&
    s?.readyReplicas === replicas &&
    s?.availableReplicas === replicas
  );
}

async function stableReplicaSetName(b: BenchEnv): Promise<string> {
  await b.api.waitFor(NAME, 'a Healthy Rollout', (r) => isSettledHealthy(r, REPLICAS));
  const stable = (await b.api.get(NAME)).status?.stableRS;
  const sets = await b.api.replicaSets(NAME);
  const rs = sets.find((s) => s.metadata?.labels?.['rollouts-pod-template-hash'] === stable);
  if (!rs?.metadata?.name) throw new Error(`no stable ReplicaSet for ${NAME}`);
  return rs.metadata.name;
}

/**
 * One trial: wait until the ReplicaSet is converged, merge-patch `spec.replicas` to `drifted`, and
 * return the milliseconds from the patch's response to the watch event showing `REPLICAS` again
 * (a later generation than the one the hand patch produced).
 */
async function trial(apps: AppsV1Api, watch: ReplicaSetWatch, b: BenchEnv, rsName: string, drifted: number) {
  await watch.waitFor((rs) => settled(rs, REPLICAS), watch.mark() - 1, SETTLE_TIMEOUT_MS, 'a converged RS');
  const from = watch.mark();
  const patched = await apps.patchNamespacedReplicaSet(
    { namespace: b.namespace, name: rsName, body: { spec: { replicas: drifted } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  const t0 = performance.now();
  const handGeneration = patched.metadata?.generation ?? 0;
  const healed = await watch.waitFor(
    (rs) => (rs.metadata?.generation ?? 0) > handGeneration && rs.spec?.replicas === REPLICAS,
    from,
    HEAL_TIMEOUT_MS,
    `spec.replicas restored to ${REPLICAS} after a hand scale to ${drifted}`,
  );
  return healed.at - t0;
}

function result(name: string, samples: number[], notes: string): BenchResult {
  return {
    name,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    unit: 'ms',
    goal: 'p99 < 1000',
    notes,
  };
}

/**
 * Drift-heal latency: a Healthy Rollout of 3 replicas; each trial scales its stable ReplicaSet by hand
 * (alternately down to 1 and up to 5) and times, from the patch's response, the arrival of the WATCH
 * event in which the controller has put `spec.replicas` back to 3. Goal: p99 < 1 s.
 */
export default async function driftHeal(options?: BenchOptions): Promise<BenchResult[]> {
  const trials = isQuick(options) ? Math.min(QUICK_TRIALS, TRIALS) : TRIALS;
  const b = await startBenchEnv('drift-heal');
  let watch: ReplicaSetWatch | undefined;
  try {
    await b.api.create(rolloutManifest(NAME, { replicas: REPLICAS, image: 'registry.example/drift:1.0.0' }));
    const rsName = await stableReplicaSetName(b);
    watch = await ReplicaSetWatch.start(b.kc, b.namespace, rsName);
    const apps = b.kc.makeApiClient(AppsV1Api);
    const down: number[] = [];
    const up: number[] = [];
    for (let i = 0; i < trials; i++) {
      if (i % 2 === 0) down.push(await trial(apps, watch, b, rsName, 1));
      else up.push(await trial(apps, watch, b, rsName, REPLICAS + 2));
    }
    const all = [...down, ...up];
    const how = 'patch response → WATCH event with spec.replicas restored';
    return [
      result('drift heal, all trials', all, `${all.length} trials (3 → 1 and 3 → 5 alternately); ${how}`),
      result('drift heal, scaled down', down, `${down.length} trials, 3 → 1`),
      result('drift heal, scaled up', up, `${up.length} trials, 3 → 5`),
    ];
  } finally {
    watch?.stop();
    await b.stop();
  }
}
