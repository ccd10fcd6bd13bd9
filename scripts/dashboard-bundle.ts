import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ui = join(root, 'src', 'dashboard', 'ui');

/**
 * Builds the dashboard's browser UI into `outdir` (dist/dashboard): index.html, app.js (Preact + the
 * views, minified, no source map so nothing but the UI ships) and app.css. Everything the page loads
 * comes from these files: no CDN, no font or script from elsewhere, so it works offline and under the
 * server's `default-src 'none'` Content-Security-Policy. Returns the bytes of app.js.
 */
export async function buildDashboardUi(outdir: string): Promise<number> {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(ui, 'main.tsx') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  await build({
    entryPoints: { app: join(ui, 'styles.css') },
    outdir,
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(join(ui, 'index.html'), join(outdir, 'index.html'));
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}
