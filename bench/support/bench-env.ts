import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../test/cluster/controller.js';
import { type Environment, newRunDir, startEnvironment } from '../../test/cluster/environment.js';
import { pollUntil } from '../../test/cluster/wait.js';
import { createNamespace } from '../../test/integration/support/objects.js';
import { RolloutApi, type RolloutObject } from '../../test/integration/support/rollouts.js';
import { AuditLog } from './audit-log.js';
import { BUNDLES, startBundledController } from './controller-bundle.js';
import { REQUEST_COUNTS_ENV } from './request-kinds.js';

/** A control plane, one namespace and the controller running in it as its ServiceAccount. */
export interface BenchEnv {
  env: Environment;
  kc: KubeConfig;
  namespace: string;
  api: RolloutApi;
  controller: ControllerProcess;
  /** The controller's writes, when started with `audit: true`. */
  audit?: AuditLog;
  /** The file the controller's request counts go to, when started with `countRequests: true`. */
  requestCountsPath?: string;
  /** Stops the controller and the environment (the run directory is kept with VIREO_KEEP_TEST_ENV=1). */
  stop(): Promise<void>;
}

/** Options for {@link startBenchEnv}. */
export interface BenchEnvOptions {
  /** Turn on the API server's audit log of the controller's writes. */
  audit?: boolean;
  /** Controller log level (default `info`). */
  logLevel?: string;
  /** Count the controller's API requests by verb and resource (the request-counter preload). */
  countRequests?: boolean;
  /**
   * Run the controller bundled by esbuild under plain `node` (as deployed) instead of `src/main.ts` under
   * tsx, whose loader adds ~90 MB of RSS (default false).
   */
  bundled?: boolean;
}

/** NODE_OPTIONS and the counts file that load the request-counter preload into the controller. */
function requestCounterEnv(countsPath: string, bundled: boolean): Record<string, string> {
  const preload = bundled
    ? pathToFileURL(BUNDLES.requestCounter).href
    : new URL('./request-counter.ts', import.meta.url).href;
  const tsx = bundled ? '' : `--import=${import.meta.resolve('tsx')} `;
  const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
  return { NODE_OPTIONS: `${inherited}${tsx}--import=${preload}`, [REQUEST_COUNTS_ENV]: countsPath };
}

async function startController(
  env: Environment,
  kc: KubeConfig,
  namespace: string,
  options: BenchEnvOptions,
) {
  const kubeconfig = await serviceAccountKubeconfig(kc, join(env.dir, 'controller-kubeconfig.yaml'));
  const level = options.logLevel ?? 'info';
  const bundled = options.bundled ?? false;
  const start = bundled ? startBundledController : startControllerProcess;
  const counts = join(env.dir, 'request-counts.json');
  return start({
    kubeconfigPath: kubeconfig,
    logPath: join(env.dir, 'controller.log'),
    args: [`--namespace=${namespace}`, '--no-leader-elect', `--log-level=${level}`],
    env: options.countRequests ? requestCounterEnv(counts, bundled) : undefined,
  });
}

/**
 * Starts an environment (optionally with the audit log), a namespace, and the controller process
 * scoped to it with leader election off. Whatever started is stopped again if a later step fails.
 */
export async function startBenchEnv(prefix: string, options: BenchEnvOptions = {}): Promise<BenchEnv> {
  const dir = newRunDir(prefix);
  const auditLogPath = options.audit ? join(dir, 'audit.log') : undefined;
  const env = await startEnvironment({ dir, auditLogPath });
  const keepDir = process.env.VIREO_KEEP_TEST_ENV === '1';
  let controller: ControllerProcess | undefined;
  const stop = async (): Promise<void> => {
    await controller?.process.stop();
    await env.stop({ keepDir });
    if (keepDir) process.stderr.write(`bench: run directory kept at ${dir}\n`);
  };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(env.info.kubeconfigPath);
    const namespace = await createNamespace(kc, prefix);
    controller = await startController(env, kc, namespace, options);
    const api = new RolloutApi(kc, namespace);
    const audit = auditLogPath ? new AuditLog(auditLogPath) : undefined;
    const requestCountsPath = options.countRequests ? join(env.dir, 'request-counts.json') : undefined;
    return { env, kc, namespace, api, controller, audit, requestCountsPath, stop };
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
