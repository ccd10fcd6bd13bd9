import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { type Environment, newRunDir, startEnvironment } from '../../harness/environment.js';
import { pollUntil } from '../../harness/wait.js';
import { createNamespace } from '../../test/integration/support/objects.js';
import { RolloutApi, type RolloutObject } from '../../test/integration/support/rollouts.js';
import { AuditLog } from './audit-log.js';
import { BUNDLES, startBundledController } from './controller-bundle.js';
import { MEMORY_PROBE_ENV } from './memory-kinds.js';
import { REQUEST_COUNTS_ENV } from './request-kinds.js';

/** One controller replica and where its probes write. */
export interface BenchReplica {
  process: ControllerProcess;
  requestCountsPath?: string;
  memoryPath?: string;
}

/** A control plane, one namespace and the controller running in it as its ServiceAccount. */
export interface BenchEnv {
  env: Environment;
  kc: KubeConfig;
  namespace: string;
  api: RolloutApi;
  /** The first (or only) replica. */
  controller: ControllerProcess;
  /** Every replica (one unless `replicas` was given), with its probe files. */
  replicas: BenchReplica[];
  /** The controller's writes, when started with `audit: true`. */
  audit?: AuditLog;
  /** The file the controller's request counts go to, when started with `countRequests: true`. */
  requestCountsPath?: string;
  /** The file the memory probe writes its latest sample to, when started with `memoryProbe: true`. */
  memoryPath?: string;
  /** Where heap snapshots go (SIGUSR2 to the controller), when started with `heapSnapshots: true`. */
  heapSnapshotDir?: string;
  /**
   * With several replicas, each one that exits is started again in its slot (as a kubelet restarts a
   * container whose controller lost its Lease); one entry per restart. A replaced process is swapped into
   * `replicas[i].process`, and its request counts start again from zero.
   */
  restarts: ReplicaRestart[];
  /** Stops the controller and the environment (the run directory is kept with VIREO_KEEP_TEST_ENV=1). */
  stop(): Promise<void>;
}

/** One kubelet-like restart of a controller replica. */
export interface ReplicaRestart {
  slot: number;
  exitCode: number | null;
  at: number;
}

/** Options for {@link startBenchEnv}. */
export interface BenchEnvOptions {
  /** Turn on the API server's audit log of the controller's writes. */
  audit?: boolean;
  /** Controller log level (default `info`). */
  logLevel?: string;
  /** Count the controller's API requests by verb and resource (the request-counter preload). */
  countRequests?: boolean;
  /** Sample the controller's memory breakdown every second (the memory-probe preload). */
  memoryProbe?: boolean;
  /** With `memoryProbe`: collect garbage before each sample (`--expose-gc`), so heapUsed is the live heap. */
  liveHeap?: boolean;
  /**
   * Controller replicas (default 1, with `--no-leader-elect`); more run with leader election on a Lease in
   * the bench namespace (the controller's default periods), as a Deployment of several replicas does.
   */
  replicas?: number;
  /** Let SIGUSR2 write a heap snapshot of the controller into the run directory's `heap/`. */
  heapSnapshots?: boolean;
  /**
   * Run the controller bundled by esbuild under plain `node` (as deployed) instead of `src/main.ts` under
   * tsx, whose loader adds ~90 MB of RSS (default false).
   */
  bundled?: boolean;
}

/** Where replica `i`'s probes write, under the run directory (replica 0 keeps the historical names). */
function probePaths(dir: string, i = 0) {
  const suffix = i === 0 ? '' : `-${i}`;
  return {
    counts: join(dir, `request-counts${suffix}.json`),
    memory: join(dir, `memory${suffix}.json`),
    heapSnapshots: join(dir, 'heap'),
  };
}

/**
 * NODE_OPTIONS and files for the controller's preloads: the request counter, the memory probe (with
 * `liveHeap`, `--expose-gc`, so its heapUsed is the live heap) and heap snapshots on SIGUSR2 into the run
 * directory; none of them when none is asked for.
 */
function preloadEnv(
  dir: string,
  options: BenchEnvOptions,
  bundled: boolean,
  i: number,
): Record<string, string> {
  const paths = probePaths(dir, i);
  const preload = (bundle: string, source: string) =>
    bundled ? pathToFileURL(bundle).href : new URL(source, import.meta.url).href;
  const flags: string[] = bundled ? [] : [`--import=${import.meta.resolve('tsx')}`];
  const env: Record<string, string> = {};
  if (options.countRequests) {
    flags.push(`--import=${preload(BUNDLES.requestCounter, './request-counter.ts')}`);
    env[REQUEST_COUNTS_ENV] = paths.counts;
  }
  if (options.memoryProbe) {
    if (options.liveHeap) flags.push('--expose-gc');
    flags.push(`--import=${preload(BUNDLES.memoryProbe, './memory-probe.ts')}`);
    env[MEMORY_PROBE_ENV] = paths.memory;
  }
  if (options.heapSnapshots) {
    mkdirSync(paths.heapSnapshots, { recursive: true });
    flags.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${paths.heapSnapshots}`);
  }
  if (Object.keys(env).length === 0 && !options.heapSnapshots) return {};
  const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
  return { NODE_OPTIONS: `${inherited}${flags.join(' ')}`, ...env };
}

/** Leader election of replicas (several controllers): a Lease in the bench namespace, default periods. */
function leaderArgs(options: BenchEnvOptions, namespace: string): string[] {
  if ((options.replicas ?? 1) <= 1) return ['--no-leader-elect'];
  return [`--leader-election-namespace=${namespace}`];
}

/** Starts replica `i` of the controller (log `controller.log`, `controller-<i>.log` for i > 0). */
async function startController(
  env: Environment,
  kubeconfigPath: string,
  namespace: string,
  options: BenchEnvOptions,
  i: number,
): Promise<ControllerProcess> {
  const level = options.logLevel ?? 'info';
  const bundled = options.bundled ?? false;
  const args = [`--namespace=${namespace}`, ...leaderArgs(options, namespace), `--log-level=${level}`];
  const processOptions = {
    kubeconfigPath,
    logPath: join(env.dir, i === 0 ? 'controller.log' : `controller-${i}.log`),
    args,
    env: preloadEnv(env.dir, options, bundled, i),
  };
  return bundled ? startBundledController(processOptions) : startControllerProcess(processOptions);
}

/** Starts every replica, one after the other (replica 0 first, so it usually becomes the leader). */
async function startReplicas(
  env: Environment,
  kc: KubeConfig,
  namespace: string,
  options: BenchEnvOptions,
  started: ControllerProcess[],
): Promise<void> {
  const kubeconfig = await serviceAccountKubeconfig(kc, join(env.dir, 'controller-kubeconfig.yaml'));
  for (let i = 0; i < (options.replicas ?? 1); i++) {
    started.push(await startController(env, kubeconfig, namespace, options, i));
  }
}

/**
 * Restarts replica `slot` each time it exits until `stopping()` (kubelet's restartPolicy Always, no
 * back-off): the new process replaces the old one in `replica` and `controllers`.
 */
function superviseReplica(
  start: () => Promise<ControllerProcess>,
  slot: number,
  replica: BenchReplica,
  controllers: ControllerProcess[],
  hooks: { stopping: () => boolean; restarts: ReplicaRestart[] },
): void {
  void replica.process.process.exited().then(async (exitCode) => {
    if (hooks.stopping()) return;
    hooks.restarts.push({ slot, exitCode, at: Date.now() });
    process.stderr.write(`bench: controller replica ${slot} exited (${exitCode}); restarting it\n`);
    const next = await start().catch(() => undefined);
    if (next === undefined || hooks.stopping()) return void next?.process.stop();
    replica.process = next;
    controllers[slot] = next;
    superviseReplica(start, slot, replica, controllers, hooks);
  });
}

/** Each started replica with the probe files it writes (those asked for in `options`). */
function benchReplicas(
  dir: string,
  options: BenchEnvOptions,
  controllers: ControllerProcess[],
): BenchReplica[] {
  return controllers.map((process, i) => {
    const paths = probePaths(dir, i);
    const requestCountsPath = options.countRequests ? paths.counts : undefined;
    return { process, requestCountsPath, memoryPath: options.memoryProbe ? paths.memory : undefined };
  });
}

/**
 * Starts an environment (optionally with the audit log), a namespace, and the controller process
 * scoped to it with leader election off (or `replicas` processes electing a leader). Whatever started is stopped again if a later step fails.
 */
export async function startBenchEnv(prefix: string, options: BenchEnvOptions = {}): Promise<BenchEnv> {
  const dir = newRunDir(prefix);
  const auditLogPath = options.audit ? join(dir, 'audit.log') : undefined;
  const env = await startEnvironment({ dir, auditLogPath });
  const keepDir = process.env.VIREO_KEEP_TEST_ENV === '1';
  const controllers: ControllerProcess[] = [];
  const restarts: ReplicaRestart[] = [];
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await Promise.all(controllers.map((c) => c.process.stop()));
    await env.stop({ keepDir });
    if (keepDir) process.stderr.write(`bench: run directory kept at ${dir}\n`);
  };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.info.kubeconfigPath);
    const namespace = await createNamespace(kc, prefix);
    await startReplicas(env, kc, namespace, options, controllers);
    const api = new RolloutApi(kc, namespace);
    const audit = auditLogPath ? new AuditLog(auditLogPath) : undefined;
    const replicas = benchReplicas(env.dir, options, controllers);
    if (replicas.length > 1) {
      const kubeconfig = join(env.dir, 'controller-kubeconfig.yaml');
      const hooks = { stopping: () => stopping, restarts };
      replicas.forEach((replica, i) => {
        const start = () => startController(env, kubeconfig, namespace, options, i);
        superviseReplica(start, i, replica, controllers, hooks);
      });
    }
    const { requestCountsPath, memoryPath } = replicas[0] as BenchReplica;
    const heapSnapshotDir = options.heapSnapshots ? probePaths(env.dir).heapSnapshots : undefined;
    const controller = controllers[0] as ControllerProcess;
    return {
      env,
      kc,
      namespace,
      api,
      controller,
      replicas,
      audit,
      requestCountsPath,
      memoryPath,
      heapSnapshotDir,
      restarts,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Options for {@link rolloutManifest}. */
export interface RolloutShape {
  replicas: number;
  image: string;
  steps?: object[];
}

/** A canary Rollout with one container and the given steps (none by default). */
export function rolloutManifest(name: string, shape: RolloutShape): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas: shape.replicas,
      revisionHistoryLimit: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: shape.image }] },
      },
      strategy: { canary: { steps: shape.steps ?? [] } },
    },
  };
}

/** True when the Rollout is Healthy on one fully available stable revision of `replicas` pods. */
export function isSettledHealthy(r: RolloutObject, replicas: number): boolean {
  const s = r.status;
  return (
    s?.phase === 'Healthy' &&
    s.stableRS !== undefined &&
    s.stableRS === s.currentPodHash &&
    s.availableReplicas === replicas &&
    s.observedGeneration === String(r.metadata.generation)
  );
}

/** Polls (with a deadline) until `count` Rollouts of the namespace are settled Healthy with `replicas`. */
export async function waitAllHealthy(
  b: BenchEnv,
  count: number,
  replicas: number,
  timeoutMs: number,
): Promise<void> {
  const custom = b.kc.makeApiClient(CustomObjectsApi);
  await pollUntil(
    async () => {
      const list = (await custom.listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: b.namespace,
        plural: 'rollouts',
      })) as { items: RolloutObject[] };
      return list.items.filter((r) => isSettledHealthy(r, replicas)).length >= count;
    },
    { timeoutMs, intervalMs: 500, description: `${count} Healthy Rollouts` },
  );
}
