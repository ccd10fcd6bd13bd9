import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObjects } from '../../harness/apply.js';
import { freePort } from '../../harness/ports.js';
import { getHttp } from '../../harness/probes.js';
import { pollUntil } from '../../harness/wait.js';
import {
  type PrivateCache,
  privateCache,
  processesMentioning,
  run,
  startGroup,
} from './support/private-cache.js';

/**
 * The README's commands as a user types them, against an environment of their own (`npm run env:up` with a
 * private cache, so its state never meets another run's): the printed exports, `npm start`, and
 * `npm run demo -- --kubeconfig` with that environment standing in for an existing cluster.
 */
const tsx = join('node_modules', '.bin', 'tsx');
let cache: PrivateCache;
let exported: Record<string, string>;
let kc: KubeConfig;

function parseExports(stdout: string): Record<string, string> {
  const lines = stdout.split('\n').filter((l) => l.startsWith('export '));
  return Object.fromEntries(lines.map((l) => l.slice('export '.length).split('=', 2) as [string, string]));
}

function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...cache.env, ...exported, ...extra };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid ?? 0;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-pid, 'SIGTERM');
  await pollUntil(() => !alive(), { timeoutMs: 30_000, description: 'the process group to exit' }).catch(
    () => {
      if (alive()) process.kill(-pid, 'SIGKILL');
    },
  );
}

beforeAll(async () => {
  cache = privateCache();
  const up = await run('npm', ['run', 'env:up'], cache.env);
  expect(up.code, up.stderr).toBe(0);
  exported = parseExports(up.stdout);
  expect(Object.keys(exported)).toEqual(['KUBECONFIG', 'PROMETHEUS_URL', 'PROMETHEUS_TARGETS_DIR']);
  kc = new KubeConfig();
  kc.loadFromFile(exported.KUBECONFIG ?? '');
}, 300_000);

afterAll(async () => {
  if (!cache) return;
  const down = await run('npm', ['run', 'env:down'], cache.env);
  expect(down.stdout).toContain('vireo: environment stopped');
  expect(processesMentioning(cache.dir)).toEqual([]);
  cache.remove();
}, 120_000);

const rollout = (namespace: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'hello', namespace },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'hello' } },
    template: {
      metadata: { labels: { app: 'hello' } },
      spec: { containers: [{ name: 'hello', image: 'example.com/hello:1.0' }] },
    },
    strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
  },
});

describe("the README's env:up → exports → npm start", () => {
  it('runs a controller that leads on a Lease in an existing namespace and brings a Rollout to Healthy', async () => {
    const health = await freePort();
    const log = join(cache.dir, 'npm-start.log');
    const env = userEnv({ VIREO_HEALTH_ADDR: `127.0.0.1:${health}`, VIREO_METRICS_ADDR: '127.0.0.1:0' });
    const controller = startGroup('npm', ['start'], env, log);
    try {
      await pollUntil(async () => (await getHttp(`http://127.0.0.1:${health}/readyz`)).body === 'leader', {
        timeoutMs: 90_000,
        description: 'npm start to lead and be ready',
      });
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'readme' } };
      await applyObjects(kc, [namespace, rollout('readme')]);
      const custom = kc.makeApiClient(CustomObjectsApi);
      const ref = {
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'readme',
        plural: 'rollouts',
        name: 'hello',
      };
      await pollUntil(
        async () =>
          ((await custom.getNamespacedCustomObject(ref)) as { status?: { phase?: string } }).status?.phase ===
          'Healthy',
        { timeoutMs: 90_000, description: 'the Rollout to be Healthy' },
      );
      const lease = await kc
        .makeApiClient(CoordinationV1Api)
        .readNamespacedLease({ name: 'vireo-controller-lock', namespace: 'default' });
      expect(lease.spec?.holderIdentity).toBeTruthy();
    } finally {
      await stopGroup(controller);
    }
  }, 240_000);

  it('stops at once, in one line naming the flag, when the Lease namespace does not exist', async () => {
    const args = [
      'src/main.ts',
      '--leader-election-namespace=nowhere',
      '--health-addr=127.0.0.1:0',
      '--metrics-addr=127.0.0.1:0',
    ];
    const result = await run(tsx, args, userEnv());
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'vireo: the leader-election namespace "nowhere" (--leader-election-namespace / POD_NAMESPACE) does not exist: create it, or set --leader-election-namespace (or POD_NAMESPACE) to one that exists',
    ]);
  }, 120_000);

  it('never reports ready, and logs at error level, when it may not use Leases', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await applyObjects(kc, [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody', namespace: 'default' } },
    ]);
    const token = await core.createNamespacedServiceAccountToken({
      name: 'nobody',
      namespace: 'default',
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const cluster = kc.getCurrentCluster();
    const kubeconfig = join(cache.dir, 'nobody.kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${cluster?.server}", certificate-authority: "${cluster?.caFile}"}}]\nusers: [{name: nobody, user: {token: "${token.status?.token}"}}]\ncontexts: [{name: c, context: {cluster: c, user: nobody}}]\ncurrent-context: c\n`,
      { mode: 0o600 },
    );
    const health = await freePort();
    const log = join(cache.dir, 'nobody.log');
    const args = [
      'src/main.ts',
      `--kubeconfig=${kubeconfig}`,
      `--health-addr=127.0.0.1:${health}`,
      '--metrics-addr=127.0.0.1:0',
    ];
    const controller = startGroup(tsx, args, userEnv(), log);
    try {
      const line = await pollUntil(
        () =>
          readFileSync(log, 'utf8')
            .split('\n')
            .find(
              (l) =>
                l.includes('"level":50') && l.includes('leader Lease unusable (get of Leases is forbidden)'),
            ),
        { timeoutMs: 90_000, description: 'the error-level line' },
      );
      expect(line).toContain('can never lead');
      expect((await getHttp(`http://127.0.0.1:${health}/healthz`)).status).toBe(200);
      expect((await getHttp(`http://127.0.0.1:${health}/readyz`)).status).toBe(503);
    } finally {
      await stopGroup(controller);
    }
  }, 180_000);
});

describe('npm run demo -- --kubeconfig: the demo on a cluster the user already has', () => {
  const foreignLease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'argo-rollouts-controller-lock', namespace: 'argo-rollouts' },
    spec: {
      holderIdentity: 'argo-rollouts-5c9d8f-x2x7q_0b1c',
      leaseDurationSeconds: 3600,
      renewTime: new Date().toISOString().replace('Z', '000Z'),
    },
  };

  beforeAll(async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argo-rollouts' } };
    await applyObjects(kc, [namespace, foreignLease]);
  });

  it('refuses, naming the evidence, a cluster whose Rollouts another controller holds', async () => {
    const result = await run(tsx, ['scripts/demo.ts', `--kubeconfig=${exported.KUBECONFIG}`], userEnv());
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toContain('refusing to run the demo');
    expect(result.stderr).toContain('the Lease argo-rollouts/argo-rollouts-controller-lock is held by');
    expect(result.stderr).toContain('--instance-id');
  }, 120_000);

  it('with --instance-id plays the incident to the end with only its own controller, then cleans up', async () => {
    const args = [
      'run',
      'demo',
      '--',
      `--kubeconfig=${exported.KUBECONFIG}`,
      '--instance-id=blue',
      '--teardown',
    ];
    const result = await run('npm', args, userEnv());
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('note: the Lease argo-rollouts/argo-rollouts-controller-lock is held by');
    expect(result.stdout).toContain('Result: v1.2.0 was rolled back automatically');
    expect(result.stdout).toMatch(/rollback commit: [0-9a-f]{8}/);
    const namespace = /namespace (shop-[a-z0-9]+)/.exec(result.stdout)?.[1] ?? '';
    expect(result.stdout).toContain(`vireo: namespace ${namespace}, the demo's Nodes and processes removed`);
    const core = kc.makeApiClient(CoreV1Api);
    const nodes = await core.listNode({ labelSelector: 'vireo.dev/demo-node' });
    expect(nodes.items).toEqual([]);
    await expect(core.readNamespace({ name: namespace })).rejects.toMatchObject({ code: 404 });
    expect(processesMentioning(join(cache.dir, 'env', 'demo'))).toEqual([]);
  }, 480_000);
});
