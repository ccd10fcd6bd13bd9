import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the test-cluster harness (this folder). */
export const clusterDir = dirname(fileURLToPath(import.meta.url));

/** The keys of versions.env, the single source for everything the harness builds or installs. */
export type VersionKey =
  | 'KUBERNETES_VERSION'
  | 'ETCD_VERSION'
  | 'KWOK_VERSION'
  | 'ISTIO_API_VERSION'
  | 'GATEWAY_API_VERSION'
  | 'TRAEFIK_VERSION'
  | 'ARGO_ROLLOUTS_VERSION'
  | 'EMISSARY_VERSION';

/** Versions pinned in versions.env ('' for a key the file lacks). */
export type PinnedVersions = Record<VersionKey, string>;

const KEYS: VersionKey[] = [
  'KUBERNETES_VERSION',
  'ETCD_VERSION',
  'KWOK_VERSION',
  'ISTIO_API_VERSION',
  'GATEWAY_API_VERSION',
  'TRAEFIK_VERSION',
  'ARGO_ROLLOUTS_VERSION',
  'EMISSARY_VERSION',
];

/** Parses versions.env (KEY=VALUE lines, `#` comments). */
export function pinnedVersions(): PinnedVersions {
  const text = readFileSync(join(clusterDir, 'versions.env'), 'utf8');
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('=', 2) as [string, string]);
  const map = Object.fromEntries(entries) as Partial<PinnedVersions>;
  return Object.fromEntries(KEYS.map((key) => [key, map[key] ?? ''])) as PinnedVersions;
}

/** Root of Vireo's cache outside the repository (binaries, upstream CRDs, environment state). */
export function cacheDir(): string {
  return process.env.VIREO_CACHE_DIR ?? join(homedir(), '.cache', 'vireo');
}
