import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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
 * node-fetch 2 (under client-node) requires whatwg-url at load time but uses it only when `URL` is missing,
 * which never happens on Node ≥ 10; its tr46 tables cost ~30 ms of every start. Resolve it to the global.
 */
const nativeUrl: Plugin = {
  name: 'native-whatwg-url',
  setup(b) {
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'native-url' }));
    b.onLoad({ filter: /.*/, namespace: 'native-url' }, () => ({
      contents: 'module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };',
      loader: 'js',
    }));
  },
};

/**
 * client-node's barrel re-exports exec, attach, cp, port-forward and more, whose modules (ws, tar, socks…)
 * esbuild must keep unless told they have no side effects; they do not, so only what the CLI uses is kept.
 */
const leanClientNode: Plugin = {
  name: 'lean-client-node',
  setup(b) {
    b.onResolve({ filter: /^[./]|^@kubernetes\/client-node$/ }, async (args) => {
      if (args.pluginData === 'lean' || !/@kubernetes[\\/]client-node/.test(`${args.importer} ${args.path}`))
        return;
      if (args.path.startsWith('.') && !/@kubernetes[\\/]client-node/.test(args.importer)) return;
      const { kind, importer, resolveDir } = args;
      const result = await b.resolve(args.path, { kind, importer, resolveDir, pluginData: 'lean' });
      return result.errors.length > 0 ? undefined : { ...result, sideEffects: false };
    });
  },
};

/**
 * Bundles the kubectl plugin into dist/kubectl-vireo.mjs (ESM, Node 20), with chunks for the parts only some
 * verbs load (client-node for the kubeconfig fallback and watches, lint's validators, the YAML library,
 * tables, in-place redraw); one-shot verbs on the fast path load the entry and ~4 kB of shared chunks. The banner gives bundled CommonJS
 * dependencies a `require`; the version and commit are baked in for `kubectl vireo version`.
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
    banner: {
      js: "import { createRequire as __vireoCreateRequire } from 'node:module'; const require = __vireoCreateRequire(import.meta.url);",
    },
    define: { VIREO_VERSION: JSON.stringify(pkg.version), VIREO_COMMIT: JSON.stringify(commit()) },
    logLevel: 'warning',
    plugins: [nativeUrl, leanClientNode],
    metafile: process.env.VIREO_BUILD_META === '1',
  }).then((result) => {
    if (result.metafile) writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  });
  process.stdout.write(`built ${join('dist', 'kubectl-vireo.mjs')}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`build failed: ${err.message}\n`);
  process.exit(1);
});
