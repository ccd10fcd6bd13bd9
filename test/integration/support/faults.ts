import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../../harness/controller.js';
import { getHttp } from '../../../harness/probes.js';
import { pollUntil } from '../../../harness/wait.js';
import { adminKubeConfig } from './cluster.js';
import { createNamespace, deleteNamespace } from './objects.js';
import { type EngineEnv, RolloutApi, type RolloutObject } from './rollouts.js';

/** An {@link EngineEnv} whose controller can be killed (SIGKILL) and started again on the same namespace. */
export interface CrashableEngine extends EngineEnv {
  /** The directory holding the kubeconfig and `controller.log` (appended across restarts). */
  dir: string;
  /** Kills the running controller with SIGKILL and waits for the process to be gone. */
  crash(): Promise<void>;
  /** Starts a fresh controller process (as the same ServiceAccount) and waits for /readyz. */
  restart(): Promise<void>;
}

/**
 * Like `startEngine`, but the controller can crash and come back: one namespace, the deploy/ RBAC
 * ServiceAccount, `extraArgs` appended to the controller's flags. `env.controller` is always the live one.
 */
export async function startCrashableEngine(
  prefix: string,
  extraArgs: string[] = [],
): Promise<CrashableEngine> {
  const kc = adminKubeConfig();
  const namespace = await createNamespace(kc, prefix);
  const dir = mkdtempSync(join(tmpdir(), `vireo-${prefix}-`));
  const kubeconfigPath = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
  const launch = () =>
    startControllerProcess({
      kubeconfigPath,
      logPath: join(dir, 'controller.log'),
      args: [`--namespace=${namespace}`, '--no-leader-elect', '--log-level=debug', ...extraArgs],
    });
  const env: CrashableEngine = {
    kc,
    namespace,
    dir,
    api: new RolloutApi(kc, namespace),
    controller: await launch(),
    crash: async () => {
      env.controller.process.kill('SIGKILL');
      await env.controller.process.exited();
    },
    restart: async () => {
      env.controller = await launch();
    },
    stop: async () => {
      await env.controller.process.stop();
      await deleteNamespace(kc, namespace);
      if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/**
 * How a fake Prometheus behaves: `ok` answers a vector `[0.01]` (with `value: 1` at the top, for the web
 * provider); the faults never answer, answer non-JSON, answer JSON of the wrong shape, or answer 500 with
 * the request's headers echoed in the body (a server that leaks what it was sent).
 */
export type MetricsFault = 'ok' | 'slow' | 'garbage' | 'wrong-shape' | 'echo-500';

const OK_BODY = JSON.stringify({
  status: 'success',
  value: 1,
  data: { resultType: 'vector', result: [{ metric: {}, value: [0, '0.01'] }] },
});

/** A loopback HTTP server standing in for a faulty Prometheus; `close()` also drops the held requests. */
export interface MetricsStub {
  url: string;
  requests(): number;
  /** The `authorization` headers and URLs of every request received, for proving a secret was sent. */
  seen(): string[];
  close(): Promise<void>;
}

function answer(fault: MetricsFault, res: ServerResponse, held: Set<ServerResponse>): void {
  if (fault === 'slow') {
    held.add(res);
    return;
  }
  if (fault === 'ok') {
    res.setHeader('content-type', 'application/json');
    res.end(OK_BODY);
    return;
  }
  if (fault === 'echo-500') {
    res.statusCode = 500;
    res.end(`upstream failure; you sent ${JSON.stringify(res.req.headers)} to ${res.req.url}`);
    return;
  }
  if (fault === 'garbage') {
    res.setHeader('content-type', 'text/html');
    res.end('<html>\u0000\u202e not prometheus {{{');
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: 'success', data: { resultType: 'banana', result: { nested: [[[]]] } } }));
}

/** Starts a fake Prometheus on 127.0.0.1 that answers every request according to `fault`. */
export async function startMetricsStub(fault: MetricsFault): Promise<MetricsStub> {
  const held = new Set<ServerResponse>();
  let count = 0;
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    count++;
    seen.push(`${req.headers.authorization ?? ''} ${req.url ?? ''}`);
    answer(fault, res, held);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    seen: () => [...seen],
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What an API write answered: created, or refused with the API server's message. */
export type WriteOutcome = { ok: true } | { ok: false; code: number; message: string };

/** Creates a namespaced Argo object (`plural` of argoproj.io/v1alpha1), returning the API's refusal as data. */
export async function createArgoObject(
  kc: KubeConfig,
  namespace: string,
  plural: string,
  body: object,
): Promise<WriteOutcome> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  try {
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural,
      body,
    });
    return { ok: true };
  } catch (err) {
    const e = err as { code?: number; body?: unknown; message?: string };
    const text = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? e.message ?? String(err));
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {}
    return { ok: false, code: e.code ?? 0, message };
  }
}

/**
 * Everything that carries a stable Rollout's traffic: its VirtualService's spec, the selectors of its
 * Services, and its ReplicaSets' names and sizes. Equal snapshots mean nothing moved its traffic.
 */
export async function stableTraffic(env: EngineEnv, name: string): Promise<unknown> {
  const core = env.kc.makeApiClient(CoreV1Api);
  const vs = (await env.kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
    group: 'networking.istio.io',
    version: 'v1beta1',
    namespace: env.namespace,
    plural: 'virtualservices',
    name,
  })) as { spec: unknown };
  const selectors: Record<string, unknown> = {};
  for (const service of [`${name}-stable`, `${name}-canary`]) {
    selectors[service] = (
      await core.readNamespacedService({ name: service, namespace: env.namespace })
    ).spec?.selector;
  }
  const sets = (await env.api.replicaSets(name)).map((rs) => [rs.metadata?.name, rs.spec?.replicas]);
  return { vs: vs.spec, selectors, sets };
}

/** Asserts the controller process is the same one (`pid`), still running and answering /healthz with 200. */
export async function expectControllerAlive(
  controller: ControllerProcess,
  pid: number | undefined,
): Promise<void> {
  expect(controller.process.running, controller.process.logTail()).toBe(true);
  expect(controller.process.pid).toBe(pid);
  const health = await getHttp(`http://127.0.0.1:${controller.healthPort}/healthz`);
  expect(health.status).toBe(200);
}

/** The `InvalidSpec` condition message of a Rollout, once the controller has written one. */
export async function invalidSpecMessage(api: RolloutApi, name: string): Promise<string> {
  const r: RolloutObject = await api.waitFor(
    name,
    `InvalidSpec on ${name}`,
    (x) => x.status?.conditions?.some((c) => c.type === 'InvalidSpec' && c.status === 'True') ?? false,
    undefined,
    60_000,
  );
  return r.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message ?? '';
}

/** The parts of a completed AnalysisRun's status the fault tests read. */
export interface RunOutcome {
  phase: string;
  message?: string;
  metricResults?: {
    name: string;
    phase: string;
    error?: number;
    consecutiveError?: number;
    measurements?: { phase: string; message?: string }[];
  }[];
}

/** Polls an AnalysisRun until it has completed (Successful, Failed, Error or Inconclusive); returns its status. */
export async function completedRun(
  kc: KubeConfig,
  namespace: string,
  name: string,
  timeoutMs = 60_000,
): Promise<RunOutcome> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return pollUntil<RunOutcome>(
    async () => {
      const run = (await custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace,
        plural: 'analysisruns',
        name,
      })) as { status?: { phase?: string; message?: string } };
      const phase = run.status?.phase ?? '';
      return ['Successful', 'Failed', 'Error', 'Inconclusive'].includes(phase)
        ? (run.status as RunOutcome)
        : false;
    },
    { timeoutMs, intervalMs: 250, description: `AnalysisRun ${name} to complete` },
  );
}

/** The JSON (pino) lines of a controller's log, oldest first, across restarts; other lines are skipped. */
export function controllerLog(controller: ControllerProcess): Record<string, unknown>[] {
  return readFileSync(controller.process.logPath, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

/**
 * Physically compacts etcd's history up to its current revision through etcd's v3 JSON gateway (what
 * `etcdctl compact --physical` does). Afterwards a watch that reaches etcd from an older resourceVersion
 * is answered 410 Gone. Returns the revision compacted to.
 */
export async function compactEtcd(etcdPort: number): Promise<number> {
  const call = async (path: string, body: object) => {
    const res = await fetch(`http://127.0.0.1:${etcdPort}/v3/kv/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { header?: { revision?: string } };
  };
  const revision = (await call('range', { key: Buffer.from('/').toString('base64') })).header?.revision;
  if (!revision) throw new Error('etcd answered no revision');
  await call('compaction', { revision, physical: true });
  return Number(revision);
}
