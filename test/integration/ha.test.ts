import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../../harness/controller.js';
import { getHttp } from '../../harness/probes.js';
import { pollUntil } from '../../harness/wait.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi } from './support/rollouts.js';

const LEASE_MS = 6000;
const RETRY_MS = 1000;
/** A standby retries every retry period × up to 2.2 (client-go jitter 1.2), so its view may lag one interval. */
const TAKEOVER_BOUND_MS = LEASE_MS + 2 * 2.2 * RETRY_MS;

const metric = async (c: ControllerProcess, name: string): Promise<number | undefined> => {
  const { body } = await getHttp(`http://127.0.0.1:${c.metricsPort}/metrics`);
  const line = body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};
const readyz = async (c: ControllerProcess) =>
  (await getHttp(`http://127.0.0.1:${c.healthPort}/readyz`)).body;

describe('two controller processes with leader election, as the deploy/ ServiceAccount', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let api: RolloutApi;
  const controllers: ControllerProcess[] = [];

  const holder = async (): Promise<string> => {
    const lease = await kc
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: 'vireo-controller-lock', namespace });
    return lease.spec?.holderIdentity ?? '';
  };
  const holderPid = async () => Number((await holder()).split('_').at(-1));

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'ha');
    api = new RolloutApi(kc, namespace);
    dir = mkdtempSync(join(tmpdir(), 'vireo-ha-'));
    const kubeconfig = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
    const args = [
      `--namespace=${namespace}`,
      `--leader-election-namespace=${namespace}`,
      `--leader-election-lease-duration=${LEASE_MS}ms`,
      '--leader-election-renew-deadline=5s',
      `--leader-election-retry-period=${RETRY_MS}ms`,
    ];
    for (const name of ['a', 'b']) {
      const logPath = join(dir, `controller-${name}.log`);
      controllers.push(await startControllerProcess({ kubeconfigPath: kubeconfig, logPath, args }));
    }
  });
  afterAll(async () => {
    await Promise.all(controllers.map((c) => c.process.stop()));
    await deleteNamespace(kc, namespace);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  const leaderAndStandby = async () => {
    const pid = await pollUntil(async () => (await holder().catch(() => '')) !== '' && holderPid(), {
      timeoutMs: 30_000,
      description: 'a leader',
    });
    const leader = controllers.find((c) => c.process.pid === pid);
    const standby = controllers.find((c) => c.process.pid !== pid);
    if (!leader || !standby) throw new Error(`the Lease holder ${pid} is neither controller`);
    return { leader, standby };
  };

  it('only the leader acts: the standby is ready but starts no queue and writes nothing', async () => {
    const { leader, standby } = await leaderAndStandby();
    await api.create(
      canaryRollout('web', 'registry.example/web:1', { steps: [{ setWeight: 50 }, { pause: {} }] }),
    );
    await api.waitFor('web', 'Healthy', (r) => r.status?.phase === 'Healthy');
    await api.patchSpec('web', imagePatch('registry.example/web:2'));
    await api.waitFor('web', 'paused at the step', (r) => r.status?.phase === 'Paused');
    expect([await readyz(leader), await readyz(standby)]).toEqual(['leader', 'standby']);
    expect([await metric(leader, 'vireo_leader'), await metric(standby, 'vireo_leader')]).toEqual([1, 0]);
    expect(await metric(leader, 'workqueue_adds_total')).toBeGreaterThan(0);
    expect(await metric(standby, 'workqueue_adds_total')).toBeUndefined();
    const standbyLog = readFileSync(standby.process.logPath, 'utf8');
    expect(standbyLog).toContain('standby: another replica leads');
    expect(standbyLog).not.toContain('leading; starting the controllers');
  });

  it('kill -9 the leader mid-rollout: the standby takes over within the bound and completes the rollout', async () => {
    const { leader, standby } = await leaderAndStandby();
    const killedAt = Date.now();
    leader.process.kill('SIGKILL');
    await api.patchStatus('web', { pauseConditions: null });
    await pollUntil(async () => (await holderPid()) === standby.process.pid, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'the standby to take the Lease',
    });
    const takeoverMs = Date.now() - killedAt;
    console.info(`vireo-ha: take-over ${takeoverMs} ms after kill -9 (bound ${TAKEOVER_BOUND_MS} ms)`);
    expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
    const r = await api.waitFor(
      'web',
      'the rollout to complete under the new leader',
      (r) => r.status?.phase === 'Healthy',
    );
    expect(r.status?.stableRS).toBe(r.status?.currentPodHash);
    expect(await readyz(standby)).toBe('leader');
  });

  it('SIGTERM shuts the leader down gracefully: exit 0 and the Lease released', async () => {
    const { leader } = await leaderAndStandby();
    leader.process.kill('SIGTERM');
    expect(await leader.process.exited()).toBe(0);
    expect(await holder()).toBe('');
    expect(readFileSync(leader.process.logPath, 'utf8')).toMatch(/"msg":"stopped"/);
  });
});
