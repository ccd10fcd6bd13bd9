import { join } from 'node:path';
import { build } from 'esbuild';
import type { ControllerProcess, ControllerProcessOptions } from '../../test/cluster/controller.js';
import { repoRoot } from '../../test/cluster/crds.js';
import { freePort } from '../../test/cluster/ports.js';
import { getHttp } from '../../test/cluster/probes.js';
import { ComponentStartError, ManagedProcess } from '../../test/cluster/processes.js';
import { pollUntil } from '../../test/cluster/wait.js';

/**
 * Where the bench bundles go: under node_modules/.cache so that their bare imports (left external) resolve to
 * the repository's node_modules, and git never sees them.
 */
const BUNDLE_DIR = join(repoRoot, 'node_modules', '.cache', 'vireo-bench');

/** The bundled controller (`src/main.ts`) and request-counter preload, plain ESM that `node` runs as is. */
export const BUNDLES = {
  controller: join(BUNDLE_DIR, 'controller.mjs'),
  requestCounter: join(BUNDLE_DIR, 'request-counter.mjs'),
};

/**
 * Bundles `src/main.ts` and the request-counter preload (the project's own code only; packages stay external
 * and load from node_modules), so the controller runs as a deployed one would: without tsx's loader.
 */
export async function buildControllerBundle(): Promise<typeof BUNDLES> {
  await build({
    entryPoints: {
      controller: join(repoRoot, 'src', 'main.ts'),
      'request-counter': join(repoRoot, 'bench', 'support', 'request-counter.ts'),
    },
    outdir: BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return BUNDLES;
}

/**
 * Starts the bundled controller (see {@link buildControllerBundle}) with plain `node` and waits for /readyz;
 * the same flags and ports as the harness's `startControllerProcess`, which runs `src/main.ts` under tsx.
 */
export async function startBundledController(options: ControllerProcessOptions): Promise<ControllerProcess> {
  const bundle = (await buildControllerBundle()).controller;
  const healthPort = await freePort();
  const metricsPort = await freePort();
  const args = [
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
