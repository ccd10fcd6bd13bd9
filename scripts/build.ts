import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { leanClientNode, nativeUrl, REQUIRE_BANNER } from './bundle-plugins.js';
import { controllerBuildOptions } from './controller-bundle.js';
import { buildDashboardUi } from './dashboard-bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Bundles the kubectl plugin into dist/kubectl-vireo.mjs (ESM, Node 20), with chunks for the parts only some
 * verbs load (client-node for the kubeconfig fallback and watches, lint's validators, the YAML library,
 * tables, in-place redraw); one-shot verbs on the fast path load the entry and ~4 kB of shared chunks. The banner gives bundled CommonJS
 * dependencies a `require`; the version and commit are baked in for `kubectl vireo version`. Then the
 * controller into dist/controller.mjs (`controllerBuildOptions`), the image's entry point; then the dashboard's
 * browser UI into dist/dashboard/ (`buildDashboardUi`).
 */
async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { 'kubectl-vireo': join(root, 'src', 'cli', 'main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    banner: { js: REQUIRE_BANNER },
    define: { VIREO_VERSION: JSON.stringify(pkg.version), VIREO_COMMIT: JSON.stringify(commit()) },
    logLevel: 'warning',
    plugins: [nativeUrl, leanClientNode],
    metafile: process.env.VIREO_BUILD_META === '1',
  }).then((result) => {
    if (result.metafile) writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  });
  process.stdout.write(`built ${join('dist', 'kubectl-vireo.mjs')}\n`);
  await build(controllerBuildOptions(outdir));
  process.stdout.write(`built ${join('dist', 'controller.mjs')}\n`);
  const uiBytes = await buildDashboardUi(join(outdir, 'dashboard'));
  process.stdout.write(`built ${join('dist', 'dashboard')} (app.js ${Math.round(uiBytes / 1024)} kB)\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`build failed: ${err.message}\n`);
  process.exit(1);
});
