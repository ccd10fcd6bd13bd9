import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { repoRoot } from '../test/cluster/crds.js';
import { type EnvironmentInfo, startEnvironment } from '../test/cluster/environment.js';
import {
  ensurePluginBuilt,
  pluginPath,
  startNamespaceController,
  webRollout,
} from '../test/integration/support/cli.js';
import { createNamespace } from '../test/integration/support/objects.js';
import { RolloutApi } from '../test/integration/support/rollouts.js';
import { type BenchResult, percentile } from './run.js';

const RUNS = Number(process.env.VIREO_BENCH_CLI_RUNS ?? 25);
const REVISIONS = 10;

const rollout = (image: string) => webRollout(image, [], { replicas: 3, revisionHistoryLimit: REVISIONS });

/** Creates `web` and updates its image until it has 10 revisions, each fully promoted. */
async function tenRevisions(api: RolloutApi): Promise<void> {
  await api.create(rollout('registry.example/web:0'));
  for (let i = 1; i <= REVISIONS; i++) {
    if (i > 1) {
      await api.patchSpec('web', {
        template: { spec: { containers: [{ name: 'app', image: `registry.example/web:${i}` }] } },
      });
    }
    await api.waitFor(
      'web',
      `revision ${i} Healthy`,
      (r, sets) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        sets.length === Math.max(1, i),
    );
  }
}

function timeRuns(command: string, args: string[], env: NodeJS.ProcessEnv): number[] {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    const r = spawnSync(command, args, { env, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0 || !r.stdout.includes('# revision:10')) throw new Error(`get failed: ${r.stderr}`);
    if (i >= 2) samples.push(ms);
  }
  return samples;
}

/** Times the plugin through real kubectl plugin discovery and through the launcher alone. */
function measure(env: EnvironmentInfo, ns: string): BenchResult[] {
  const runEnv = { ...process.env, PATH: pluginPath(), KUBECONFIG: env.kubeconfigPath };
  const viaKubectl = timeRuns(env.kubectlPath, ['vireo', 'get', 'rollout', 'web', '-n', ns], runEnv);
  const direct = timeRuns(
    join(repoRoot, 'bin', 'kubectl-vireo'),
    ['get', 'rollout', 'web', '-n', ns],
    runEnv,
  );
  const notes = `${RUNS} runs, ${REVISIONS} revisions, goal < 300 ms median, load ${loadavg()[0]?.toFixed(1)}`;
  const result = (name: string, samples: number[]) => ({
    name,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    unit: 'ms',
    notes,
  });
  return [
    result('kubectl vireo get rollout', viaKubectl),
    result('kubectl-vireo get rollout (no kubectl)', direct),
  ];
}

/**
 * `kubectl vireo get rollout web` on a Rollout with 10 revisions (10 ReplicaSets, 3 pods) against a fresh
 * control plane with the controller running; two warm-up runs are not counted.
 */
export default async function cliGet(): Promise<BenchResult[]> {
  ensurePluginBuilt();
  const env = await startEnvironment();
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.info.kubeconfigPath);
    const ns = await createNamespace(kc, 'bench-cli');
    const { controller } = await startNamespaceController(kc, ns, env.dir);
    try {
      await tenRevisions(new RolloutApi(kc, ns));
      return measure(env.info, ns);
    } finally {
      await controller.process.stop();
    }
  } finally {
    await env.stop();
  }
}
