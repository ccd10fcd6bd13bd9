import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { leanClientNode, nativeUrl, REQUIRE_BANNER } from './bundle-plugins.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The runtime dependencies the controller bundle leaves external (loaded from node_modules at run time):
 * every `dependencies` entry of package.json except @kubernetes/client-node, which is bundled and
 * tree-shaken ({@link leanClientNode}): its barrel loads every generated API and model (~60 MB of RSS and
 * 1.7 s at start under plain node), of which the controller uses KubeConfig, Watch/ListWatch, the
 * request context and the Lease API.
 */
export function controllerExternals(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return Object.keys(pkg.dependencies).filter((d) => d !== '@kubernetes/client-node');
}

/**
 * The node flags the image runs the controller bundle with (the Dockerfile's ENTRYPOINT; the benches use the
 * same). Invariant: kept equal to the Dockerfile's by a unit test. `--max-semi-space-size=2` caps V8's young
 * generation at 2 MB semi-spaces (default: growing to 16 MB, ~30 MB committed at idle); at N = 100 it cut the
 * peak RSS from 207 to 170 MB and the idle RSS from 172 to 128 MB for ~10 % more CPU (docs/benchmarks.md).
 */
export const CONTROLLER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * esbuild options bundling the controller (`src/main.ts`, plus `extra` entry points) into `outdir` as ESM
 * `.mjs` files for Node 20. Invariant: the same options serve `npm run build` (dist/controller.mjs, the
 * image's entry point) and the benches, so what the benches measure is what is deployed.
 */
export function controllerBuildOptions(outdir: string, extra: Record<string, string> = {}): BuildOptions {
  return {
    entryPoints: { controller: join(root, 'src', 'main.ts'), ...extra },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: controllerExternals(),
    banner: { js: REQUIRE_BANNER },
    plugins: [nativeUrl, leanClientNode],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
}
