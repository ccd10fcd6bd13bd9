import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { type BinaryPaths, ensureBinaries } from './binaries.js';
import {
  type AuditedResource,
  type AuditLayout,
  apiserverArgs,
  auditPolicyYaml,
  type ControlPlaneLayout,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  schedulerArgs,
} from './component-args.js';
import { adminKubeconfigYaml, ensurePki } from './pki.js';
import { freePort } from './ports.js';
import { getHttp, getHttpsAsAdmin } from './probes.js';
import { ComponentStartError, ManagedProcess } from './processes.js';
import { clusterDir } from './versions.js';
import { pollUntil } from './wait.js';

/** Options for {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** Working directory for PKI, logs, kubeconfig and etcd data; created if missing. */
  dir: string;
  /** Number of fake kwok Nodes (default 3). */
  nodes?: number;
  /** Start kube-controller-manager, kube-scheduler and kwok (default true); false = apiserver + etcd only. */
  workloads?: boolean;
  /** Log progress lines to stderr. */
  verbose?: boolean;
  /**
   * Opt-in kube-apiserver audit log (JSON lines) at this path: writes by `auditUsers` at level
   * Metadata, nothing else. Default off.
   */
  auditLogPath?: string;
  /** Users whose writes the audit log records (default the controller's ServiceAccount). */
  auditUsers?: string[];
  /** Requests on resources the audit log records whoever makes them (default none). */
  auditResources?: AuditedResource[];
  /** Extra kube-apiserver flags, also used when it is restarted (e.g. to disable a watch cache). */
  apiserverArgs?: string[];
}

/** A running control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok. */
export interface ControlPlane {
  layout: ControlPlaneLayout;
  server: string;
  kubeconfigPath: string;
  binaries: BinaryPaths;
  processes: ManagedProcess[];
  /** Stops kube-apiserver and starts it again on the same port (etcd keeps the data). */
  restartApiServer(): Promise<void>;
  /** Stops every process it started and removes etcd's data; idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

function auditFor(options: ControlPlaneOptions): AuditLayout | undefined {
  if (!options.auditLogPath) return undefined;
  const policyPath = join(options.dir, 'audit-policy.yaml');
  writeFileSync(policyPath, auditPolicyYaml(options.auditUsers, options.auditResources));
  return { policyPath, logPath: options.auditLogPath };
}

async function layoutFor(options: ControlPlaneOptions): Promise<ControlPlaneLayout> {
  const dir = options.dir;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const shm = existsSync('/dev/shm') ? '/dev/shm' : dir;
  return {
    dir,
    etcdDataDir: join(shm, `vireo-etcd-${process.pid}-${Date.now().toString(36)}`),
    etcdPort: await freePort(),
    etcdPeerPort: await freePort(),
    apiserverPort: await freePort(),
    controllerManagerPort: await freePort(),
    schedulerPort: await freePort(),
    kwokPort: await freePort(),
    kubeconfigPath: join(dir, 'kubeconfig.yaml'),
    kwokConfigPath: join(clusterDir, 'kwok-stages.yaml'),
    pki: ensurePki(join(dir, 'pki')),
    audit: auditFor(options),
    ...(options.apiserverArgs ? { apiserverExtraArgs: options.apiserverArgs } : {}),
  };
}

function launch(l: ControlPlaneLayout, name: string, binary: string, args: string[]): ManagedProcess {
  return new ManagedProcess(name, binary, args, join(l.dir, 'logs', `${name}.log`));
}

async function waitHealthy(proc: ManagedProcess, probe: () => Promise<boolean>): Promise<void> {
  try {
    await pollUntil(
      async () => {
        if (!proc.running) throw new ComponentStartError(proc, 'exited');
        return probe();
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, description: `${proc.name} to become healthy` },
    );
  } catch (err) {
    if (err instanceof ComponentStartError) throw err;
    throw new ComponentStartError(proc, (err as Error).message);
  }
}

async function startApiServer(
  l: ControlPlaneLayout,
  bin: BinaryPaths,
  started: ManagedProcess[],
): Promise<ManagedProcess> {
  const proc = launch(l, 'kube-apiserver', bin['kube-apiserver'], apiserverArgs(l));
  started.push(proc);
  const url = `https://127.0.0.1:${l.apiserverPort}/readyz`;
  await waitHealthy(proc, async () => (await getHttpsAsAdmin(url, l.pki)).status === 200);
  return proc;
}

async function createNodes(kc: KubeConfig, count: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  for (let i = 0; i < count; i++) {
    const name = `kwok-node-${i}`;
    await core
      .createNode({
        body: {
          metadata: {
            name,
            labels: { type: 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
            annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
          },
          status: { allocatable: { cpu: '32', memory: '256Gi', pods: '110' } },
        },
      })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err;
      });
  }
}

async function waitForWorkloadReadiness(kc: KubeConfig, nodes: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await pollUntil(
    async () => {
      const list = await core.listNode();
      const ready = list.items.filter((n) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length >= nodes;
    },
    { timeoutMs: READY_TIMEOUT_MS, description: `${nodes} Ready nodes` },
  );
  await pollUntil(
    async () =>
      (await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' })) !== undefined,
    {
      timeoutMs: READY_TIMEOUT_MS,
      description: 'the default ServiceAccount',
    },
  );
}

async function httpsOk(url: string, l: ControlPlaneLayout): Promise<boolean> {
  return getHttpsAsAdmin(url, l.pki).then(
    (res) => res.status === 200,
    () => false,
  );
}

/** Launches KCM, scheduler and kwok, adding each to `started` at once so a failure still stops it. */
async function startWorkloadComponents(
  l: ControlPlaneLayout,
  bin: BinaryPaths,
  started: ManagedProcess[],
): Promise<void> {
  const kcm = launch(l, 'kube-controller-manager', bin['kube-controller-manager'], controllerManagerArgs(l));
  const sched = launch(l, 'kube-scheduler', bin['kube-scheduler'], schedulerArgs(l));
  const kwok = launch(l, 'kwok', bin.kwok, kwokArgs(l));
  started.push(kcm, sched, kwok);
  await Promise.all([
    waitHealthy(kcm, () => httpsOk(`https://127.0.0.1:${l.controllerManagerPort}/healthz`, l)),
    waitHealthy(sched, () => httpsOk(`https://127.0.0.1:${l.schedulerPort}/healthz`, l)),
  ]);
}

async function startEtcd(l: ControlPlaneLayout, bin: BinaryPaths, started: ManagedProcess[]): Promise<void> {
  const etcd = launch(l, 'etcd', bin.etcd, etcdArgs(l));
  started.push(etcd);
  await waitHealthy(etcd, () =>
    getHttp(`http://127.0.0.1:${l.etcdPort}/health`).then(
      (res) => res.body.includes('"health":"true"'),
      () => false,
    ),
  );
}

async function prepareWorkloads(
  l: ControlPlaneLayout,
  nodes: number,
  kwok: ManagedProcess | undefined,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(l.kubeconfigPath);
  await createNodes(kc, nodes);
  try {
    await waitForWorkloadReadiness(kc, nodes);
  } catch (err) {
    if (kwok) throw new ComponentStartError(kwok, (err as Error).message);
    throw err;
  }
}

/**
 * Starts a complete control plane on free loopback ports and waits until it serves: nodes Ready,
 * the default ServiceAccount present. On any failure every started process is stopped and the
 * error names the component with its log tail.
 */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const binaries = ensureBinaries();
  const l = await layoutFor(options);
  const server = `https://127.0.0.1:${l.apiserverPort}`;
  writeFileSync(l.kubeconfigPath, adminKubeconfigYaml(l.pki, server));
  const processes: ManagedProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const p of [...processes].reverse()) await p.stop();
    rmSync(l.etcdDataDir, { recursive: true, force: true });
  };
  const log = (msg: string) => options.verbose && process.stderr.write(`vireo: ${msg}\n`);
  try {
    await startEtcd(l, binaries, processes);
    log(`etcd ready on 127.0.0.1:${l.etcdPort}`);
    await startApiServer(l, binaries, processes);
    log(`kube-apiserver ready at ${server}`);
    if (options.workloads !== false) {
      await startWorkloadComponents(l, binaries, processes);
      await prepareWorkloads(
        l,
        options.nodes ?? 3,
        processes.find((p) => p.name === 'kwok'),
      );
      log('controller-manager, scheduler and kwok ready; nodes Ready');
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const restartApiServer = async (): Promise<void> => {
    const index = processes.findIndex((p) => p.name === 'kube-apiserver');
    await processes[index]?.stop();
    processes.splice(index, 1);
    await startApiServer(l, binaries, processes);
  };
  return { layout: l, server, kubeconfigPath: l.kubeconfigPath, binaries, processes, restartApiServer, stop };
}
