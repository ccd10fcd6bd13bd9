import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects } from '../cluster/apply.js';
import { tokenKubeconfig } from '../cluster/controller.js';
import { freePort } from '../cluster/ports.js';
import { getHttp } from '../cluster/probes.js';
import { ComponentStartError, ManagedProcess } from '../cluster/processes.js';
import { cacheDir, clusterDir, pinnedVersions } from '../cluster/versions.js';
import { pollUntil } from '../cluster/wait.js';

/** Argo Rollouts as built from its Go module: the two binaries and the module's source directory. */
export interface ArgoRollouts {
  version: string;
  /** `cmd/rollouts-controller`. */
  controller: string;
  /** `go test -c -tags e2e` of `test/e2e`. */
  e2eTest: string;
  /** The module's directory in the Go module cache (read-only): CRDs, RBAC, the e2e manifests. */
  moduleDir: string;
}

/** Where build-binaries.sh caches Argo Rollouts for the pinned version. */
export function argoCacheDir(): string {
  return join(cacheDir(), `argo-rollouts-${pinnedVersions().ARGO_ROLLOUTS_VERSION}`);
}

function cached(): ArgoRollouts | undefined {
  const dir = argoCacheDir();
  const bin = join(dir, 'bin');
  const moduleJson = join(dir, 'module.json');
  if (!existsSync(join(bin, 'rollouts-controller')) || !existsSync(join(bin, 'e2e.test'))) return undefined;
  if (!existsSync(moduleJson)) return undefined;
  const moduleDir = (JSON.parse(readFileSync(moduleJson, 'utf8')) as { Dir?: string }).Dir;
  if (!moduleDir || !existsSync(moduleDir)) return undefined;
  return {
    version: pinnedVersions().ARGO_ROLLOUTS_VERSION,
    controller: join(bin, 'rollouts-controller'),
    e2eTest: join(bin, 'e2e.test'),
    moduleDir,
  };
}

/** The cached Argo Rollouts build, or undefined when it has not been built yet. */
export function findArgoRollouts(): ArgoRollouts | undefined {
  return cached();
}

/** Returns the cached Argo Rollouts build, building it first (minutes, once per version) when missing. */
export function ensureArgoRollouts(): ArgoRollouts {
  const found = cached();
  if (found) return found;
  const result = spawnSync('nice', ['bash', join(clusterDir, 'build-binaries.sh'), 'argo-rollouts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const built = result.status === 0 ? cached() : undefined;
  if (!built) throw new Error('could not build Argo Rollouts from its Go module; see the message above');
  return built;
}

function yamlObjects(path: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJSON() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => Boolean(o?.kind));
}

/** Argo's own CRDs (`manifests/crds/*-crd.yaml` of its module), as an Argo install has them. */
export function argoCrdFiles(argo: ArgoRollouts): string[] {
  const dir = join(argo.moduleDir, 'manifests', 'crds');
  return readdirSync(dir)
    .filter((f) => f.endsWith('-crd.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** The Istio CRDs Argo's e2e suite installs (`test/e2e/crds/istio.yaml` of its module). */
export function argoE2eIstioCrdFile(argo: ArgoRollouts): string {
  return join(argo.moduleDir, 'test', 'e2e', 'crds', 'istio.yaml');
}

/**
 * Installs the Istio CRDs of Argo's e2e suite with kubectl, as Argo's own CI does, and waits until they are
 * Established: the file's multi-line quoted descriptions are indented as Go's YAML parser accepts and
 * strict YAML 1.2 (this repository's parser) does not.
 */
export function installE2eIstioCrds(argo: ArgoRollouts, kubectl: string, kubeconfigPath: string): void {
  const file = argoE2eIstioCrdFile(argo);
  const run = (args: string[]) => {
    const result = spawnSync(kubectl, [`--kubeconfig=${kubeconfigPath}`, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  };
  run(['apply', '--server-side', '--force-conflicts', '--field-manager=vireo-test', '-f', file]);
  run(['wait', '--for=condition=Established', '--timeout=120s', '-f', file]);
}

/** The namespace and ServiceAccount Argo's controller runs as (its install's names). */
export const ARGO_ACCOUNT = { namespace: 'argo-rollouts', name: 'argo-rollouts' } as const;

/**
 * Gives Argo's controller its own identity: namespace and ServiceAccount `argo-rollouts`, bound to the
 * ClusterRole of its module's `manifests/role`, and returns a kubeconfig with a fresh token for it.
 */
export async function argoServiceAccountKubeconfig(
  admin: KubeConfig,
  argo: ArgoRollouts,
  outPath: string,
): Promise<string> {
  const role = yamlObjects(join(argo.moduleDir, 'manifests', 'role', 'argo-rollouts-clusterrole.yaml'));
  const roleName = role[0]?.metadata?.name ?? 'argo-rollouts';
  await applyObjects(admin, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGO_ACCOUNT.namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...ARGO_ACCOUNT } },
    ...role,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: roleName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', ...ARGO_ACCOUNT }],
    } as KubernetesObject,
  ]);
  return tokenKubeconfig(admin, ARGO_ACCOUNT, outPath);
}

/** Options for {@link startArgoController}. */
export interface ArgoControllerOptions {
  kubeconfigPath: string;
  logPath: string;
  /** `--instance-id`; none: the controller takes only objects without the instance label. */
  instanceId?: string;
  /** Extra flags. */
  args?: string[];
  /** Port of /metrics (default a free one). */
  metricsPort?: number;
}

/** Argo's controller as a process, with its health and metrics ports. */
export interface ArgoController {
  process: ManagedProcess;
  healthPort: number;
  metricsPort: number;
}

/**
 * Starts Argo's controller against the kubeconfig's API server (no leader election, free ports for
 * /healthz and /metrics, which Argo binds on every interface) and waits until /healthz answers and its
 * informers have synced (it logs "Started controller").
 */
export async function startArgoController(
  argo: ArgoRollouts,
  options: ArgoControllerOptions,
): Promise<ArgoController> {
  const healthPort = await freePort();
  const metricsPort = options.metricsPort ?? (await freePort());
  const args = [
    `--kubeconfig=${options.kubeconfigPath}`,
    '--leader-elect=false',
    `--healthzPort=${healthPort}`,
    `--metricsPort=${metricsPort}`,
    ...(options.instanceId ? [`--instance-id=${options.instanceId}`] : []),
    ...(options.args ?? []),
  ];
  const env = { ...process.env, POD_NAMESPACE: ARGO_ACCOUNT.namespace };
  const proc = new ManagedProcess('rollouts-controller', argo.controller, args, options.logPath, env);
  await pollUntil(
    async () => {
      if (!proc.running) throw new ComponentStartError(proc, 'exited');
      const res = await getHttp(`http://127.0.0.1:${healthPort}/healthz`).catch(() => ({ status: 0 }));
      return res.status === 200 && readFileSync(options.logPath, 'utf8').includes('Started controller');
    },
    { timeoutMs: 120_000, intervalMs: 250, description: "Argo Rollouts' controller to serve /healthz" },
  ).catch(async (err: Error) => {
    await proc.stop();
    throw err instanceof ComponentStartError ? err : new ComponentStartError(proc, err.message);
  });
  return { process: proc, healthPort, metricsPort };
}
