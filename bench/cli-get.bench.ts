import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { repoRoot } from '../harness/crds.js';
import { type EnvironmentInfo, startEnvironment } from '../harness/environment.js';
import { ensurePluginBuilt, pluginPath, startNamespaceController } from '../test/integration/support/cli.js';
import { createNamespace } from '../test/integration/support/objects.js';
import { RolloutApi } from '../test/integration/support/rollouts.js';
import { type BenchOptions, type BenchResult, isQuick, percentile } from './run.js';
import { REVISIONS, tenRevisions } from './support/ten-revisions.js';

/** One timed run of a command; `check` rejects a wrong answer so a failure is never timed as a result. */
function timeOnce(command: string, args: string[], env: NodeJS.ProcessEnv, check?: (out: string) => void) {
  const t0 = performance.now();
  const r = spawnSync(command, args, { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  check?.(r.stdout);
  return { ms, stderr: r.stderr };
}

/** The phases `VIREO_CLI_TIMINGS=1` prints (ms since the process started), e.g. `{ loaded: 61.2, … }`. */
function parseTimings(stderr: string): Record<string, number> {
  const line = stderr.split('\n').find((l) => l.startsWith('timings: ')) ?? '';
  const pairs = line
    .slice('timings: '.length)
    .split(' ')
    .map((p) => p.split('='));
  return Object.fromEntries(pairs.filter((p) => p.length === 2).map(([k, v]) => [k, Number(v)]));
}

interface Samples {
  node: number[];
  nodeCpu: number[];
  kubectl: number[];
  viaKubectl: number[];
  direct: number[];
  phases: Record<string, number>[];
}

/** `node -e 0` that also prints its user + system CPU time (ms) on stderr. */
const NODE_CPU =
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(String((u.user + u.system) / 1000)); })";

const hasTenRevisions = (out: string) => {
  if (!out.includes('# revision:10')) throw new Error(`get printed no revision 10:\n${out}`);
};

/**
 * Interleaves, round by round, the two baselines (`node -e 0`, `kubectl version --client`) with
 * `kubectl vireo get` and the launcher alone, so every figure sees the same machine load; the launcher
 * runs report their phases. Two warm-up rounds are not counted.
 */
function sample(kubectl: string, env: NodeJS.ProcessEnv, ns: string, runs: number): Samples {
  const s: Samples = { node: [], nodeCpu: [], kubectl: [], viaKubectl: [], direct: [], phases: [] };
  const get = ['get', 'rollout', 'web', '-n', ns];
  const launcher = join(repoRoot, 'bin', 'kubectl-vireo');
  for (let i = 0; i < runs + 2; i++) {
    const node = timeOnce(process.execPath, ['-e', NODE_CPU], env);
    const client = timeOnce(kubectl, ['version', '--client'], env);
    const via = timeOnce(kubectl, ['vireo', ...get], env, hasTenRevisions);
    const direct = timeOnce(launcher, get, { ...env, VIREO_CLI_TIMINGS: '1' }, hasTenRevisions);
    const phases = parseTimings(direct.stderr);
    if (!('direct' in phases)) throw new Error(`get did not take the fast path: ${direct.stderr}`);
    if (i < 2) continue;
    s.node.push(node.ms);
    s.nodeCpu.push(Number(node.stderr));
    s.kubectl.push(client.ms);
    s.viaKubectl.push(via.ms);
    s.direct.push(direct.ms);
    s.phases.push(phases);
  }
  return s;
}

const ratios = (a: number[], b: number[]) => a.map((x, i) => x / (b[i] ?? Number.NaN));

function phase(s: Samples, from: string | undefined, to: string): number[] {
  return s.phases.map((p) => (p[to] ?? Number.NaN) - (from === undefined ? 0 : (p[from] ?? Number.NaN)));
}

/** Times the plugin through real kubectl plugin discovery and through the launcher alone, with baselines. */
function measure(env: EnvironmentInfo, ns: string, runs: number): BenchResult[] {
  const runEnv = { ...process.env, PATH: pluginPath(), KUBECONFIG: env.kubeconfigPath };
  const s = sample(env.kubectlPath, runEnv, ns, runs);
  const cpu = s.phases.map((p) => p.cpu ?? Number.NaN);
  const notes = `${runs} interleaved rounds, ${REVISIONS} revisions, goal < 300 ms median, load ${loadavg()[0]?.toFixed(1)}`;
  const result = (name: string, samples: number[], unit = 'ms') => ({
    name,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    unit,
    notes,
  });
  return [
    { ...result('kubectl vireo get rollout', s.viaKubectl), goal: 'p50 < 300' },
    result('kubectl-vireo get rollout (no kubectl)', s.direct),
    result('baseline: node -e 0', s.node),
    result('baseline: kubectl version --client', s.kubectl),
    result('kubectl vireo get / kubectl version --client', ratios(s.viaKubectl, s.kubectl), 'x'),
    result('kubectl-vireo get / node -e 0', ratios(s.direct, s.node), 'x'),
    result('CPU time: kubectl-vireo get (user+sys)', cpu),
    result('CPU time: node -e 0 (user+sys)', s.nodeCpu),
    result('CPU time: kubectl-vireo get / node -e 0', ratios(cpu, s.nodeCpu), 'x'),
    result('get phase: start → bundle loaded', phase(s, undefined, 'loaded')),
    result('get phase: flags parsed (commander)', phase(s, 'loaded', 'parsed')),
    result('get phase: kubeconfig read, connected', phase(s, 'parsed', 'connected')),
    result('get phase: API reads (1 GET, 3 LISTs)', phase(s, 'connected', 'read')),
    result('get phase: render and print', phase(s, 'read', 'done')),
  ];
}

/**
 * `kubectl vireo get rollout web` on a Rollout with 10 revisions (10 ReplicaSets, 3 pods) against a fresh
 * control plane with the controller running; two warm-up runs are not counted.
 */
export default async function cliGet(options?: BenchOptions): Promise<BenchResult[]> {
  const runs = Number(process.env.VIREO_BENCH_CLI_RUNS ?? (isQuick(options) ? 8 : 25));
  ensurePluginBuilt(true);
  const env = await startEnvironment();
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.info.kubeconfigPath);
    const ns = await createNamespace(kc, 'bench-cli');
    const { controller } = await startNamespaceController(kc, ns, env.dir);
    try {
      await tenRevisions(new RolloutApi(kc, ns));
      return measure(env.info, ns, runs);
    } finally {
      await controller.process.stop();
    }
  } finally {
    await env.stop();
  }
}
