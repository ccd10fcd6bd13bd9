import { join } from 'node:path';
import { build } from 'esbuild';
import type { ControllerProcess, ControllerProcessOptions } from '../../harness/controller.js';
import { repoRoot } from '../../harness/crds.js';
import { freePort } from '../../harness/ports.js';
import { getHttp } from '../../harness/probes.js';
import { ComponentStartError, ManagedProcess } from '../../harness/processes.js';
import { pollUntil } from '../../harness/wait.js';
import { CONTROLLER_NODE_FLAGS, controllerBuildOptions } from '../../scripts/controller-bundle.js';

/**
 * Where the bench bundles go: under node_modules/.cache so that their bare imports (left external) resolve to
 * the repository's node_modules, and git never sees them.
 */
const BUNDLE_DIR = join(repoRoot, 'node_modules', '.cache', 'vireo-bench');

/** The bundled controller (`src/main.ts`) and the bench preloads, plain ESM that `node` runs as is. */
export const BUNDLES = {
  controller: join(BUNDLE_DIR, 'controller.mjs'),
  requestCounter: join(BUNDLE_DIR, 'request-counter.mjs'),
  memoryProbe: join(BUNDLE_DIR, 'memory-probe.mjs'),
};

/**
 * Bundles the controller as `npm run build` does (`controllerBuildOptions`: client-node bundled and
 * tree-shaken, the other packages external and loaded from node_modules), plus the bench preloads.
 */
export async function buildControllerBundle(): Promise<typeof BUNDLES> {
  await build(
    controllerBuildOptions(BUNDLE_DIR, {
      'request-counter': join(repoRoot, 'bench', 'support', 'request-counter.ts'),
      'memory-probe': join(repoRoot, 'bench', 'support', 'memory-probe.ts'),
    }),
  );
  return BUNDLES;
}

/**
 * The node flags the bundled controller runs with: the image's (`CONTROLLER_NODE_FLAGS`), or
 * VIREO_BENCH_NODE_FLAGS (space-separated; `none` for none) to compare others.
 */
export function benchNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const custom = env.VIREO_BENCH_NODE_FLAGS;
  if (custom === undefined) return [...CONTROLLER_NODE_FLAGS];
  return custom === 'none' ? [] : custom.split(/\s+/).filter((f) => f !== '');
}

/**
 * Starts the bundled controller (see {@link buildControllerBundle}) with plain `node` and waits for /readyz;
 * the same flags and ports as the harness's `startControllerProcess`, which runs `src/main.ts`'s composition under tsx,
 * and the node flags of the image ({@link benchNodeFlags}).
 */
export async function startBundledController(options: ControllerProcessOptions): Promise<ControllerProcess> {
  const bundle = (await buildControllerBundle()).controller;
  const healthPort = await freePort();
  const metricsPort = await freePort();
  const args = [
    ...benchNodeFlags(),
    bundle,
    `--kubeconfig=${options.kubeconfigPath}`,
    `--health-addr=127.0.0.1:${healthPort}`,
    `--metrics-addr=127.0.0.1:${metricsPort}`,
    ...(options.args ?? []),
  ];
  const env = { ...process.env, ...options.env };
  const proc = new ManagedProcess('vireo-controller', process.execPath, args, options.logPath, env);
  const ready = async () => {
    if (!proc.running) throw new ComponentStartError(proc, 'exited');
    const res = await getHttp(`http://127.0.0.1:${healthPort}/readyz`).catch(() => ({ status: 0 }));
    return res.status === 200;
  };
  await pollUntil(ready, { timeoutMs: 60_000, description: 'the bundled controller to become ready' }).catch(
    async (err: Error) => {
      await proc.stop();
      throw err instanceof ComponentStartError ? err : new ComponentStartError(proc, err.message);
    },
  );
  return { process: proc, healthPort, metricsPort };
}
