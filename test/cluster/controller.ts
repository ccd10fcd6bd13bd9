import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects } from './apply.js';
import { repoRoot } from './crds.js';
import { freePort } from './ports.js';
import { getHttp } from './probes.js';
import { ComponentStartError, ManagedProcess } from './processes.js';
import { clusterDir } from './versions.js';
import { pollUntil } from './wait.js';

/** Options for {@link startControllerProcess}. */
export interface ControllerProcessOptions {
  /** Kubeconfig the controller uses (e.g. from {@link serviceAccountKubeconfig}). */
  kubeconfigPath: string;
  /** Where its log goes. */
  logPath: string;
  /** Extra command-line flags. */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Port of /metrics (default a free one). */
  metricsPort?: number;
}

/** A controller running as a separate OS process, with its health and metrics ports. */
export interface ControllerProcess {
  process: ManagedProcess;
  healthPort: number;
  metricsPort: number;
}

/** Where a ServiceAccount lives, for {@link tokenKubeconfig}. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/**
 * Writes a kubeconfig (mode 0600) that authenticates to `admin`'s cluster as `account`, with a freshly
 * minted token valid for six hours; `namespace` becomes the context's namespace when given.
 */
export async function tokenKubeconfig(
  admin: KubeConfig,
  account: ServiceAccountRef,
  outPath: string,
  namespace?: string,
): Promise<string> {
  const core = admin.makeApiClient(CoreV1Api);
  const token = await core.createNamespacedServiceAccountToken({
    name: account.name,
    namespace: account.namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 * 6 } },
  });
  const cluster = admin.getCurrentCluster();
  if (!cluster || !token.status?.token) throw new Error('could not mint a ServiceAccount token');
  const ca = cluster.caFile
    ? `    certificate-authority: ${cluster.caFile}`
    : '    insecure-skip-tls-verify: true';
  const context = namespace
    ? `{ cluster: vireo, user: ${account.name}, namespace: ${namespace} }`
    : `{ cluster: vireo, user: ${account.name} }`;
  writeFileSync(
    outPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: vireo',
      '  cluster:',
      `    server: ${cluster.server}`,
      ca,
      'users:',
      `- name: ${account.name}`,
      '  user:',
      `    token: ${token.status.token}`,
      'contexts:',
      '- name: vireo',
      `  context: ${context}`,
      'current-context: vireo',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return outPath;
}

/**
 * Applies deploy/rbac.yaml (namespace vireo-system created if needed) and returns a kubeconfig
 * that authenticates as the controller's ServiceAccount with a freshly minted token, so tests
 * run the controller with exactly the permissions a real install grants.
 */
export async function serviceAccountKubeconfig(admin: KubeConfig, outPath: string): Promise<string> {
  const docs = parseAllDocuments(readFileSync(join(repoRoot, 'deploy', 'rbac.yaml'), 'utf8'))
    .map((d) => d.toJSON() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vireo-system' } };
  await applyObjects(admin, [namespace, ...docs]);
  return tokenKubeconfig(admin, { namespace: 'vireo-system', name: 'vireo-controller' }, outPath);
}

/** Starts the controller (`test-controller-main.ts`: `src/main.ts` plus test-only hooks) as its own process (several may run at once) and waits for /readyz. */
export async function startControllerProcess(options: ControllerProcessOptions): Promise<ControllerProcess> {
  const healthPort = await freePort();
  const metricsPort = options.metricsPort ?? (await freePort());
  const proc = new ManagedProcess(
    'vireo-controller',
    process.execPath,
    [
      '--import',
      'tsx',
      join(clusterDir, 'test-controller-main.ts'),
      `--kubeconfig=${options.kubeconfigPath}`,
      `--health-addr=127.0.0.1:${healthPort}`,
      `--metrics-addr=127.0.0.1:${metricsPort}`,
      ...(options.args ?? []),
    ],
    options.logPath,
    { ...process.env, ...options.env },
  );
  await pollUntil(
    async () => {
      if (!proc.running) throw new ComponentStartError(proc, 'exited');
      return (
        (await getHttp(`http://127.0.0.1:${healthPort}/readyz`).catch(() => ({ status: 0 }))).status === 200
      );
    },
    { timeoutMs: 60_000, description: 'the controller to become ready' },
  ).catch(async (err: Error) => {
    await proc.stop();
    throw err instanceof ComponentStartError ? err : new ComponentStartError(proc, err.message);
  });
  return { process: proc, healthPort, metricsPort };
}
