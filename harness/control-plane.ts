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
import { ComponentStartError, type ManagedProcess } from './processes.js';
import { StartupScope } from './startup.js';
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
  /**
   * The start this control plane is part of (e.g. with Prometheus): any component exiting, here or there,
   * aborts both. Default: its own scope.
   */
  scope?: StartupScope;
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
    pki: await ensurePki(join(dir, 'pki')),
    audit: auditFor(options),
    ...(options.apiserverArgs ? { apiserverExtraArgs: options.apiserverArgs } : {}),
  };
}

/** What each start step needs: the layout, the binaries, the scope and this control plane's processes. */
interface Launcher {
  l: ControlPlaneLayout;
  bin: BinaryPaths;
  scope: StartupScope;
  started: ManagedProcess[];
}

function launch(x: Launcher, name: string, binary: string, args: string[]): ManagedProcess {
  const proc = x.scope.launch(name, binary, args, join(x.l.dir, 'logs', `${name}.log`));
  x.started.push(proc);
  return proc;
}

async function waitHealthy(
  proc: ManagedProcess,
  signal: AbortSignal,
  probe: () => Promise<boolean>,
): Promise<void> {
  try {
    await pollUntil(probe, {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
      description: `${proc.name} to become healthy`,
      signal,
    });
  } catch (err) {
    if (signal.aborted || err instanceof ComponentStartError) throw err;
    throw new ComponentStartError(proc, (err as Error).message);
  }
}

async function startApiServer(x: Launcher): Promise<ManagedProcess> {
  const proc = launch(x, 'kube-apiserver', x.bin['kube-apiserver'], apiserverArgs(x.l));
  const url = `https://127.0.0.1:${x.l.apiserverPort}/readyz`;
  await waitHealthy(proc, x.scope.signal, async () => (await getHttpsAsAdmin(url, x.l.pki)).status === 200);
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

async function waitForWorkloadReadiness(kc: KubeConfig, nodes: number, signal: AbortSignal): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await pollUntil(
    async () => {
      const list = await core.listNode();
      const ready = list.items.filter((n) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length >= nodes;
    },
    { timeoutMs: READY_TIMEOUT_MS, description: `${nodes} Ready nodes`, signal },
  );
  await pollUntil(
    async () =>
      (await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' })) !== undefined,
    { timeoutMs: READY_TIMEOUT_MS, description: 'the default ServiceAccount', signal },
  );
}

async function httpsOk(url: string, l: ControlPlaneLayout): Promise<boolean> {
  return getHttpsAsAdmin(url, l.pki).then(
    (res) => res.status === 200,
    () => false,
  );
}

/** Launches KCM, scheduler and kwok (each recorded at once, so a failure still stops it). */
async function startWorkloadComponents(x: Launcher): Promise<void> {
  const { l, bin } = x;
  const kcm = launch(x, 'kube-controller-manager', bin['kube-controller-manager'], controllerManagerArgs(l));
  const sched = launch(x, 'kube-scheduler', bin['kube-scheduler'], schedulerArgs(l));
  launch(x, 'kwok', bin.kwok, kwokArgs(l));
  await Promise.all([
    waitHealthy(kcm, x.scope.signal, () =>
      httpsOk(`https://127.0.0.1:${l.controllerManagerPort}/healthz`, l),
    ),
    waitHealthy(sched, x.scope.signal, () => httpsOk(`https://127.0.0.1:${l.schedulerPort}/healthz`, l)),
  ]);
}

async function startEtcd(x: Launcher): Promise<void> {
  x.scope.paths.push(x.l.etcdDataDir);
  const etcd = launch(x, 'etcd', x.bin.etcd, etcdArgs(x.l));
  await waitHealthy(etcd, x.scope.signal, () =>
    getHttp(`http://127.0.0.1:${x.l.etcdPort}/health`).then(
      (res) => res.body.includes('"health":"true"'),
      () => false,
    ),
  );
}

async function prepareWorkloads(x: Launcher, nodes: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(x.l.kubeconfigPath);
  await createNodes(kc, nodes);
  try {
    await waitForWorkloadReadiness(kc, nodes, x.scope.signal);
  } catch (err) {
    const kwok = x.started.find((p) => p.name === 'kwok');
    if (kwok && !x.scope.signal.aborted) throw new ComponentStartError(kwok, (err as Error).message);
    throw err;
  }
}

/**
 * Starts a complete control plane on free loopback ports and waits until it serves: nodes Ready,
 * the default ServiceAccount present. A component that exits during the start fails it at once
 * (see {@link StartupScope}); on any failure every started process is stopped and the error names
 * the component with its log tail.
 */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const binaries = ensureBinaries();
  const l = await layoutFor(options);
  const server = `https://127.0.0.1:${l.apiserverPort}`;
  writeFileSync(l.kubeconfigPath, adminKubeconfigYaml(l.pki, server));
  const scope = options.scope ?? new StartupScope();
  const x: Launcher = { l, bin: binaries, scope, started: [] };
  const stop = async (): Promise<void> => {
    for (const p of [...x.started].reverse()) await p.stop();
    rmSync(l.etcdDataDir, { recursive: true, force: true });
  };
  const log = (msg: string) => options.verbose && process.stderr.write(`vireo: ${msg}\n`);
  try {
    await startEtcd(x);
    log(`etcd ready on 127.0.0.1:${l.etcdPort}`);
    await startApiServer(x);
    log(`kube-apiserver ready at ${server}`);
    if (options.workloads !== false) {
      await startWorkloadComponents(x);
      await prepareWorkloads(x, options.nodes ?? 3);
      log('controller-manager, scheduler and kwok ready; nodes Ready');
    }
  } catch (err) {
    await stop();
    throw scope.signal.aborted ? scope.signal.reason : err;
  }
  if (!options.scope) scope.settle();
  const restartApiServer = async (): Promise<void> => {
    const index = x.started.findIndex((p) => p.name === 'kube-apiserver');
    await x.started[index]?.stop();
    x.started.splice(index, 1);
    await startApiServer(x);
  };
  return {
    layout: l,
    server,
    kubeconfigPath: l.kubeconfigPath,
    binaries,
    processes: x.started,
    restartApiServer,
    stop,
  };
}
