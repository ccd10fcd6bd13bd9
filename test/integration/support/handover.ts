import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../cluster/control-plane.js';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../cluster/controller.js';
import { installCrds } from '../../cluster/crds.js';
import { newRunDir } from '../../cluster/environment.js';
import { getHttp } from '../../cluster/probes.js';
import { recordRun } from '../../cluster/stale-runs.js';
import { pollUntil } from '../../cluster/wait.js';
import {
  type ArgoController,
  type ArgoRollouts,
  argoCrdFiles,
  argoServiceAccountKubeconfig,
  installE2eIstioCrds,
  startArgoController,
} from '../../conformance/argo-rollouts.js';

/** Argo's sharding label (pkg/apis/rollouts/v1alpha1 LabelKeyControllerInstanceID). */
export const INSTANCE_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

/** Which controller owns a Rollout: each runs with its own `--instance-id`. */
export type Owner = 'argo' | 'vireo';

/**
 * A private control plane with Argo's CRDs (as a cluster running Argo Rollouts has them) and the Istio
 * CRDs, Argo's controller (`--instance-id=argo`, its own ClusterRole) and Vireo (`--instance-id=vireo`,
 * deploy/rbac.yaml) running side by side.
 */
export interface HandoverEnv {
  kc: KubeConfig;
  namespace: string;
  argo: ArgoController;
  vireo: ControllerProcess;
  stop(): Promise<void>;
}

/** Starts the hand-over environment in a fresh run directory; stops whatever started if a step fails. */
export async function startHandoverEnv(build: ArgoRollouts): Promise<HandoverEnv> {
  const dir = newRunDir('handover');
  let controlPlane: ControlPlane | undefined;
  let argo: ArgoController | undefined;
  let vireo: ControllerProcess | undefined;
  const stop = async () => {
    await vireo?.process.stop();
    await argo?.process.stop();
    await controlPlane?.stop();
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  };
  try {
    controlPlane = await startControlPlane({ dir: join(dir, 'cluster') });
    recordRun(dir, process.pid, controlPlane.processes, [controlPlane.layout.etcdDataDir]);
    const kc = new KubeConfig();
    kc.loadFromFile(controlPlane.kubeconfigPath);
    await installCrds(kc, argoCrdFiles(build));
    installE2eIstioCrds(build, controlPlane.binaries.kubectl, controlPlane.kubeconfigPath);
    const namespace = 'shop';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    argo = await startArgoController(build, {
      kubeconfigPath: await argoServiceAccountKubeconfig(kc, build, join(dir, 'argo.kubeconfig')),
      logPath: join(dir, 'argo-rollouts.log'),
      instanceId: 'argo',
    });
    vireo = await startControllerProcess({
      kubeconfigPath: await serviceAccountKubeconfig(kc, join(dir, 'vireo.kubeconfig')),
      logPath: join(dir, 'vireo.log'),
      args: ['--instance-id=vireo', '--no-leader-elect'],
    });
    return { kc, namespace, argo, vireo, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function metricValue(port: number, series: RegExp): Promise<number | undefined> {
  const { body } = await getHttp(`http://127.0.0.1:${port}/metrics`);
  const line = body.split('\n').find((l) => series.test(l));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** How many passes the owner has finished over Rollout `name` (Argo: per Rollout; Vireo: all Rollouts). */
async function reconciles(env: HandoverEnv, owner: Owner, name: string): Promise<number> {
  const value =
    owner === 'argo'
      ? await metricValue(
          env.argo.metricsPort,
          new RegExp(`^rollout_reconcile_count\\{name="${name}",namespace="${env.namespace}"\\}`),
        )
      : await metricValue(
          env.vireo.metricsPort,
          /^vireo_reconcile_duration_seconds_count\{controller="rollouts"\}/,
        );
  return value ?? 0;
}

/** Whether `owner`'s informer holds Rollout `name` (Argo's `rollout_info` series, which both export). */
async function holds(env: HandoverEnv, owner: Owner, name: string): Promise<boolean> {
  const port = owner === 'argo' ? env.argo.metricsPort : env.vireo.metricsPort;
  const { body } = await getHttp(`http://127.0.0.1:${port}/metrics`);
  return body
    .split('\n')
    .some(
      (l) =>
        l.startsWith('rollout_info{') &&
        l.includes(`name="${name}"`) &&
        l.includes(`namespace="${env.namespace}"`),
    );
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * Moves Rollout `name` to `to` by relabelling it, and waits until the previous owner has let it go and the
 * new one has finished a reconcile pass over it.
 */
export async function handOver(env: HandoverEnv, name: string, to: Owner): Promise<void> {
  const from: Owner = to === 'argo' ? 'vireo' : 'argo';
  const before = await reconciles(env, to, name);
  await env.kc.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject(
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'rollouts',
      namespace: env.namespace,
      name,
      body: { metadata: { labels: { [INSTANCE_LABEL]: to } } },
    },
    mergePatch,
  );
  await pollUntil(
    async () =>
      !(await holds(env, from, name)) &&
      (await holds(env, to, name)) &&
      (await reconciles(env, to, name)) > before,
    { timeoutMs: 90_000, intervalMs: 250, description: `${to} to take over Rollout ${name} from ${from}` },
  );
}

/** What must not change when a Rollout changes hands. */
export interface Snapshot {
  /** `name uid` of each running pod of the namespace. */
  pods: string[];
  /** `name uid replicas owner` of each ReplicaSet. */
  replicaSets: string[];
  /** Each Service's selector and Vireo/Argo ownership annotation. */
  services: Record<string, unknown>;
  /** Each VirtualService's `spec.http`. */
  routes: Record<string, unknown>;
}

/** Reads the pods, ReplicaSets, Services and VirtualServices of the namespace. */
export async function snapshot(env: HandoverEnv): Promise<Snapshot> {
  const core = env.kc.makeApiClient(CoreV1Api);
  const apps = env.kc.makeApiClient(AppsV1Api);
  const custom = env.kc.makeApiClient(CustomObjectsApi);
  const namespace = env.namespace;
  const pods = (await core.listNamespacedPod({ namespace })).items
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => `${p.metadata?.name} ${p.metadata?.uid}`)
    .sort();
  const replicaSets = (await apps.listNamespacedReplicaSet({ namespace })).items
    .map(
      (rs) =>
        `${rs.metadata?.name} ${rs.metadata?.uid} ${rs.spec?.replicas} ${rs.metadata?.ownerReferences?.[0]?.uid}`,
    )
    .sort();
  const services = Object.fromEntries(
    (await core.listNamespacedService({ namespace })).items.map((s) => [
      s.metadata?.name,
      {
        selector: s.spec?.selector,
        managedBy: s.metadata?.annotations?.['argo-rollouts.argoproj.io/managed-by-rollouts'],
      },
    ]),
  );
  const vsList = (await custom.listNamespacedCustomObject({
    group: 'networking.istio.io',
    version: 'v1beta1',
    plural: 'virtualservices',
    namespace,
  })) as { items: { metadata: { name: string }; spec: { http?: unknown } }[] };
  const routes = Object.fromEntries(vsList.items.map((vs) => [vs.metadata.name, vs.spec.http]));
  return { pods, replicaSets, services, routes };
}

/** The field manager that created ReplicaSet `name`: the one owning its `metadata.ownerReferences`. */
export async function creatorOf(env: HandoverEnv, name: string): Promise<string | undefined> {
  const rs = await env.kc
    .makeApiClient(AppsV1Api)
    .readNamespacedReplicaSet({ namespace: env.namespace, name });
  const owns = (f: { fieldsV1?: object }) => JSON.stringify(f.fieldsV1 ?? {}).includes('"f:ownerReferences"');
  return rs.metadata?.managedFields?.find(owns)?.manager;
}
