import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built UI: file name (e.g. `app.js`) → its bytes and content type. */
export type Assets = ReadonlyMap<string, { body: Buffer; type: string }>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * Where `npm run build` put the UI (dist/dashboard): `VIREO_DASHBOARD_ASSETS`, else next to the running
 * bundle (dist/ or dist/chunks/), else the repository's dist/ when run from source.
 */
export function assetDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.VIREO_DASHBOARD_ASSETS) return env.VIREO_DASHBOARD_ASSETS;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'dashboard'),
    join(here, '..', 'dashboard'),
    resolve(here, '..', '..', '..', 'dist', 'dashboard'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (found === undefined) {
    throw new Error(`the dashboard UI is not built (looked in ${candidates.join(', ')}); run npm run build`);
  }
  return found;
}

/** Loads every file of the UI once (a few tens of kB), so serving never touches the disk. */
export function loadAssets(dir: string): Assets {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type !== undefined) assets.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return assets;
}
