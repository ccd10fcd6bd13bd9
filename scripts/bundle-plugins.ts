import type { Plugin } from 'esbuild';

/**
 * node-fetch 2 (under client-node) requires whatwg-url at load time but uses it only when `URL` is missing,
 * which never happens on Node ≥ 10; its tr46 tables cost ~30 ms of every start. Resolve it to the global.
 * Invariant: only the bare specifier `whatwg-url` is redirected.
 */
export const nativeUrl: Plugin = {
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
 * client-node's barrel re-exports exec, attach, cp, port-forward, every generated API and model and more,
 * whose modules (ws, tar, socks…) esbuild must keep unless told they have no side effects; they do not, so
 * only what the importing code uses is kept. Invariant: only client-node's own modules are marked.
 */
export const leanClientNode: Plugin = {
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

/** Gives bundled CommonJS dependencies a `require` in an ESM bundle (prepend as the `js` banner). */
export const REQUIRE_BANNER =
  "import { createRequire as __vireoCreateRequire } from 'node:module'; const require = __vireoCreateRequire(import.meta.url);";
