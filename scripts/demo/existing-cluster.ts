import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { applyObjects } from '../../harness/apply.js';
import { type ControllerProcess, startControllerProcess } from '../../harness/controller.js';
import { assertCrdFilesPresent, ownCrdFiles } from '../../harness/crd-files.js';
import { envDir, isAlive, readEnvState } from '../../harness/env-state.js';
import { KubeHttpError, kubeRequest } from '../../harness/kube-http.js';
import { startPrometheus } from '../../harness/prometheus.js';
import { upstreamCrdFiles } from '../../harness/upstream-crds.js';
import { pollUntil } from '../../harness/wait.js';
import {
  type ClusterEvidence,
  DEMO_NAMESPACE_LABEL,
  otherRolloutControllers,
  refusalMessage,
} from './ownership.js';

/** How to play the demo on a cluster the user already has. */
export interface ExistingClusterOptions {
  /** A kubeconfig file; undefined = $KUBECONFIG or ~/.kube/config. Its current context is used. */
  kubeconfigPath?: string;
  instanceId?: string;
  prometheusUrl?: string;
  prometheusTargetsDir?: string;
}

/** The demo's Prometheus: its URL, the file_sd folder it scrapes, and how to stop it (if the demo started it). */
export interface DemoPrometheus {
  url: string;
  targetsDir: string;
  origin: string;
  stop(): Promise<void>;
}

/** The admin connection to the user's cluster, written to the demo's folder so kwok and the controller share it. */
export function loadUserKubeconfig(
  options: ExistingClusterOptions,
  workDir: string,
): { kc: KubeConfig; path: string } {
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig has no current context with a cluster');
  const path = join(workDir, 'kubeconfig.yaml');
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return { kc, path };
}

/** Lists a collection across all namespaces as plain JSON items. */
async function listAll<T>(kc: KubeConfig, path: string): Promise<T[]> {
  return (await kubeRequest<{ items: T[] }>(kc, 'GET', path)).items;
}

async function readCrd(kc: KubeConfig, name: string): Promise<KubernetesObject | undefined> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
  return kubeRequest<KubernetesObject>(kc, 'GET', path).catch((err: unknown) => {
    if (err instanceof KubeHttpError && err.status === 404) return undefined;
    throw err;
  });
}

type Meta = { metadata: { namespace: string; name: string; labels?: Record<string, string> } };
type LeaseItem = Meta & {
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
};
type DeploymentItem = Meta & {
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
};

/** Reads what {@link otherRolloutControllers} judges: the Rollout CRD, controller Leases and Deployments. */
export async function readEvidence(kc: KubeConfig): Promise<ClusterEvidence> {
  const crd = await readCrd(kc, 'rollouts.argoproj.io');
  const namespaces = await listAll<Meta>(kc, `/api/v1/namespaces?labelSelector=${DEMO_NAMESPACE_LABEL}`);
  const leases = await listAll<LeaseItem>(kc, '/apis/coordination.k8s.io/v1/leases');
  const deployments = await listAll<DeploymentItem>(kc, '/apis/apps/v1/deployments');
  const managers = (crd?.metadata?.managedFields ?? []).map((f) => f.manager ?? '').filter(Boolean);
  return {
    rolloutCrd: crd && { labels: crd.metadata?.labels, annotations: crd.metadata?.annotations, managers },
    leases: leases.map((l) => ({
      namespace: l.metadata.namespace,
      name: l.metadata.name,
      holder: l.spec?.holderIdentity,
      renewTime: l.spec?.renewTime,
      leaseDurationSeconds: l.spec?.leaseDurationSeconds,
    })),
    deployments: deployments.map((d) => ({
      namespace: d.metadata.namespace,
      name: d.metadata.name,
      replicas: d.spec?.replicas ?? 1,
      images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    })),
    demoNamespaces: new Set(namespaces.map((n) => n.metadata.name)),
    nowMs: Date.now(),
  };
}

/** Throws {@link refusalMessage} when the Rollouts have another controller and no instance id was given. */
export async function checkOwnership(kc: KubeConfig, instanceId: string | undefined): Promise<string[]> {
  const reasons = otherRolloutControllers(await readEvidence(kc));
  if (reasons.length > 0 && !instanceId) throw new Error(refusalMessage(reasons));
  return reasons;
}

/** The CRDs the demo needs: Vireo's own and Istio's VirtualService (from the cache bootstrap fills). */
function demoCrds(): KubernetesObject[] {
  const files = [...ownCrdFiles(), ...upstreamCrdFiles().filter((f) => f.includes('virtualservices.'))];
  assertCrdFilesPresent(files);
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((doc) => doc.toJSON() as KubernetesObject | null)
      .filter((o): o is KubernetesObject => o?.kind === 'CustomResourceDefinition'),
  );
}

/**
 * Server-side applies (field manager vireo-demo) the CRDs the demo needs that the cluster lacks and waits
 * until they are Established. CRDs the cluster already has are left exactly as they are (they may belong to
 * Istio or Argo Rollouts there). Returns the names installed.
 */
export async function installMissingCrds(kc: KubeConfig): Promise<string[]> {
  const missing: KubernetesObject[] = [];
  for (const crd of demoCrds()) if (!(await readCrd(kc, crd.metadata?.name ?? ''))) missing.push(crd);
  await applyObjects(kc, missing, 'vireo-demo');
  for (const crd of missing) {
    const name = crd.metadata?.name ?? '';
    await pollUntil(
      async () => {
        const stored = (await readCrd(kc, name)) as {
          status?: { conditions?: { type: string; status: string }[] };
        };
        return stored?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      },
      { timeoutMs: 60_000, description: `CRD ${name} to be Established` },
    );
  }
  return missing.map((crd) => crd.metadata?.name ?? '');
}

/**
 * `--prometheus-url` (with the folder it reads file_sd targets from), else the Prometheus of a running
 * `npm run env:up`, else one the demo starts on loopback for its duration.
 */
export async function demoPrometheus(
  options: ExistingClusterOptions,
  workDir: string,
): Promise<DemoPrometheus> {
  const none = async () => {};
  if (options.prometheusUrl) {
    if (!options.prometheusTargetsDir) {
      throw new Error(
        '--prometheus-url needs --prometheus-targets-dir: the demo runs its two versions on 127.0.0.1 and that Prometheus must scrape the file_sd targets the demo writes there',
      );
    }
    mkdirSync(options.prometheusTargetsDir, { recursive: true });
    const origin = `--prometheus-url ${options.prometheusUrl}`;
    return { url: options.prometheusUrl, targetsDir: options.prometheusTargetsDir, origin, stop: none };
  }
  const env = readEnvState();
  if (env?.ready && env.info && isAlive(env.daemonPid)) {
    const { prometheusUrl: url, prometheusTargetsDir: targetsDir } = env.info;
    return { url, targetsDir, origin: `the Prometheus of npm run env:up (${url})`, stop: none };
  }
  const server = await startPrometheus(join(workDir, 'prometheus'));
  const origin = `a Prometheus started for the demo (${server.url})`;
  return { url: server.url, targetsDir: server.targetsDir, origin, stop: () => server.stop() };
}

/** The demo's controller: local, the user's credentials, only the demo namespace, its Lease there too. */
export function startDemoController(
  kubeconfigPath: string,
  namespace: string,
  workDir: string,
  options: { prometheusUrl: string; instanceId?: string },
): Promise<ControllerProcess> {
  return startControllerProcess({
    kubeconfigPath,
    logPath: join(workDir, 'controller.log'),
    args: [
      `--namespace=${namespace}`,
      `--leader-election-namespace=${namespace}`,
      '--allow-file-git-remotes',
      ...(options.instanceId ? [`--instance-id=${options.instanceId}`] : []),
    ],
    env: { ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: options.prometheusUrl },
  });
}

/** Deletes the demo namespace and waits (with a deadline) until it is gone. */
export async function deleteDemoNamespace(kc: KubeConfig, namespace: string): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}`;
  await kubeRequest(kc, 'DELETE', path).catch(() => undefined);
  await pollUntil(
    () =>
      kubeRequest(kc, 'GET', path).then(
        () => false,
        (err: unknown) => err instanceof KubeHttpError && err.status === 404,
      ),
    { timeoutMs: 120_000, intervalMs: 500, description: `namespace ${namespace} to be deleted` },
  );
}

/** The folder of one demo run on an existing cluster (under the cache, outside the repository). */
export function demoWorkDir(namespace: string): string {
  const dir = join(envDir(), 'demo', namespace);
  mkdirSync(dir, { recursive: true });
  return dir;
}
