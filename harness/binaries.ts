import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, clusterDir, pinnedVersions } from './versions.js';

/** The executables the harness runs. */
export type BinaryName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'kwok';

/** Absolute paths of every binary the control plane needs. */
export type BinaryPaths = Record<BinaryName, string>;

const ALL: BinaryName[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
];

function cachedPath(name: BinaryName): string {
  const v = pinnedVersions();
  if (name === 'etcd') return join(cacheDir(), `etcd-${v.ETCD_VERSION}`, 'bin', name);
  if (name === 'kwok') return join(cacheDir(), `kwok-${v.KWOK_VERSION}`, 'bin', name);
  return join(cacheDir(), `k8s-${v.KUBERNETES_VERSION}`, 'bin', name);
}

function componentOf(name: BinaryName): 'etcd' | 'kwok' | 'kubernetes' {
  return name === 'etcd' || name === 'kwok' ? name : 'kubernetes';
}

/** `TEST_ASSET_KUBE_APISERVER` for `kube-apiserver`: envtest's naming rule. */
export function testAssetVariable(name: BinaryName): string {
  return `TEST_ASSET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Finds a binary the way envtest does, then Vireo's cache:
 * TEST_ASSET_<NAME> → $KUBEBUILDER_ASSETS/<name> → /usr/local/kubebuilder/bin/<name>
 * → the setup-envtest store → ~/.cache/vireo/<component>-<version>/bin/<name>.
 * Returns undefined when none exists.
 */
export function findBinary(name: BinaryName): string | undefined {
  const v = pinnedVersions();
  const envtestStore = join(
    process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'),
    'kubebuilder-envtest',
    'k8s',
    `${v.KUBERNETES_VERSION.replace(/^v/, '')}-linux-amd64`,
  );
  const candidates = [
    process.env[testAssetVariable(name)],
    process.env.KUBEBUILDER_ASSETS && join(process.env.KUBEBUILDER_ASSETS, name),
    join('/usr/local/kubebuilder/bin', name),
    join(envtestStore, name),
    cachedPath(name),
  ];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path as string));
}

/**
 * Resolves every binary, building the missing ones with build-binaries.sh (cached by version).
 * Throws one clear message when a build step fails or Go is missing.
 */
export function ensureBinaries(): BinaryPaths {
  return ensureSomeBinaries(ALL) as BinaryPaths;
}

/** Like {@link ensureBinaries} for `names` only (e.g. kwok alone builds in minutes, Kubernetes takes longer). */
export function ensureSomeBinaries(names: BinaryName[]): Partial<BinaryPaths> {
  const missing = names.filter((name) => !findBinary(name));
  const components = new Set(missing.map(componentOf));
  for (const component of components) {
    const result = spawnSync('bash', [join(clusterDir, 'build-binaries.sh'), component], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) {
      throw new Error(
        `could not build the test control plane (${missing.join(', ')} missing); see the message above`,
      );
    }
  }
  const paths: Partial<BinaryPaths> = {};
  for (const name of names) {
    const path = findBinary(name);
    if (!path) throw new Error(`binary ${name} not found after building; expected ${cachedPath(name)}`);
    paths[name] = path;
  }
  return paths;
}
