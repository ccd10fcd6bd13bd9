import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the test-cluster harness (this folder). */
export const clusterDir = dirname(fileURLToPath(import.meta.url));

/** Versions pinned in versions.env, the single source for everything the harness builds. */
export interface PinnedVersions {
  KUBERNETES_VERSION: string;
  ETCD_VERSION: string;
  KWOK_VERSION: string;
  /** Argo Rollouts, built only for `npm run conformance` and the hand-over tests. */
  ARGO_ROLLOUTS_VERSION: string;
}

/** Parses versions.env (KEY=VALUE lines, `#` comments). */
export function pinnedVersions(): PinnedVersions {
  const text = readFileSync(join(clusterDir, 'versions.env'), 'utf8');
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('=', 2) as [string, string]);
  const map = Object.fromEntries(entries);
  return {
    KUBERNETES_VERSION: map.KUBERNETES_VERSION ?? '',
    ETCD_VERSION: map.ETCD_VERSION ?? '',
    KWOK_VERSION: map.KWOK_VERSION ?? '',
    ARGO_ROLLOUTS_VERSION: map.ARGO_ROLLOUTS_VERSION ?? '',
  };
}

/** Root of Vireo's cache outside the repository (binaries, environment state). */
export function cacheDir(): string {
  return process.env.VIREO_CACHE_DIR ?? join(homedir(), '.cache', 'vireo');
}
