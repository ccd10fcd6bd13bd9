import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlPlane } from '../../harness/control-plane.js';
import type { ControllerProcess } from '../../harness/controller.js';
import type { TcpProxy } from '../../harness/tcp-proxy.js';
import { pollUntil } from '../../harness/wait.js';
import type { AvailabilityRecorder } from './support/availability.js';
import { scenarioFence } from './support/availability-fence.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { compactEtcd, controllerLog } from './support/faults.js';
import { finishedOn, type ProxiedPlane, startProxiedPlane } from './support/proxied-plane.js';
import type { RolloutApi } from './support/rollouts.js';

const STEPS = [{ setWeight: 25 }, { pause: { duration: '2s' } }, { setWeight: 50 }];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 0 };
const SHAPE = { steps: STEPS, canary: { maxSurge: 1, maxUnavailable: 0 } };
const NS = 'watchfault';
/** `--watch-timeout`: the API server ends each watch after this; the stall watchdog fires after twice it. */
const WATCH_TIMEOUT_S = 4;

/** Log entries of `informer` with message `msg`, written after `since` (epoch ms). */
const logged = (controller: ControllerProcess, informer: string, msg: string, since: number) =>
  controllerLog(controller).filter(
    (e) => e.informer === informer && e.msg === msg && Number(e.time ?? 0) >= since,
  );

/**
 * Watch faults through the running controller (the deploy/ ServiceAccount, behind a TCP proxy) on a
 * private control plane whose kube-apiserver serves ReplicaSet watches straight from etcd
 * (`--watch-cache-sizes=replicasets.apps#0`), so a compacted resourceVersion is answered 410 Gone by the
 * real API server. A silently black-holed watch is replaced by the stall watchdog; a watch resumed from a
 * compacted resourceVersion re-lists; either way the controller heals what changed meanwhile.
 */
describe('watch faults, through the controller', () => {
  let cp: ControlPlane;
  let proxy: TcpProxy;
  let controller: ControllerProcess;
  let api: RolloutApi;
  let recorder: AvailabilityRecorder;

  let plane: ProxiedPlane;

  beforeAll(async () => {
    plane = await startProxiedPlane({
      prefix: 'watchfault',
      namespace: NS,
      apiserverArgs: ['--watch-cache-sizes=replicasets.apps#0'],
      controllerArgs: [`--watch-timeout=${WATCH_TIMEOUT_S}s`],
    });
    ({ cp, proxy, controller, api, recorder } = plane);
  });
  afterAll(async () => plane?.stop());

  /** The stable ReplicaSet of a Healthy Rollout `name`. */
  const healthyStable = async (name: string): Promise<string> => {
    const r = await api.waitFor(name, `${name} Healthy`, (x) => x.status?.phase === 'Healthy');
    return `${name}-${r.status?.stableRS}`;
  };
  /** Polls until the ReplicaSet `rsName` asks for and has `replicas` available pods again. */
  const healed = (name: string, rsName: string, replicas: number, timeoutMs: number) =>
    pollUntil(
      async () => {
        const rs = (await api.replicaSets(name)).find((s: V1ReplicaSet) => s.metadata?.name === rsName);
        return rs?.spec?.replicas === replicas && rs.status?.availableReplicas === replicas && rs;
      },
      { timeoutMs, intervalMs: 250, description: `${rsName} healed to ${replicas} available` },
    );

  it('replaces watches black-holed without a reset (stall watchdog), heals a hand edit made meanwhile and finishes an update', async () => {
    await api.create(canaryRollout('stall', 'registry.local/stall:1', SHAPE));
    const stable = await healthyStable('stall');
    const since = Date.now();
    expect(proxy.blackHole(), 'open connections to black-hole').toBeGreaterThan(0);
    await api.scaleReplicaSet(stable, 1);
    // The watchdog notices within 2 × the watch timeout; writes that were in flight on (or reuse) a
    // black-holed keep-alive connection fail after the client's 30 s request timeout and are retried.
    await healed('stall', stable, 4, 120_000);
    const silent = logged(controller, 'replicasets', 'watch silent too long; restarting', since);
    expect(silent.length, 'the ReplicaSet watch was replaced by the watchdog').toBeGreaterThan(0);
    expect(Number(silent[0]?.silentMs)).toBeGreaterThanOrEqual(2 * WATCH_TIMEOUT_S * 1000);

    const fence = scenarioFence(recorder, FENCE);
    proxy.blackHole();
    await api.patchSpec('stall', imagePatch('registry.local/stall:2'));
    await api.waitFor('stall', 'the update finished', finishedOn('stall:2'), fence.check, 120_000);
    expect(logged(controller, 'rollouts', 'watch silent too long; restarting', since).length).toBeGreaterThan(
      0,
    );
    await fence.settle();
    expect(controller.process.running).toBe(true);
  }, 300_000);

  it('re-lists when its watch resumes from a compacted resourceVersion (410 Gone from kube-apiserver) and heals what changed meanwhile', async () => {
    await api.create(canaryRollout('gone', 'registry.local/gone:1', SHAPE));
    const stable = await healthyStable('gone');
    const since = Date.now();
    proxy.refuse();
    await api.scaleReplicaSet(stable, 1);
    await pollUntil(async () => (await api.pods(stable)).length === 1, {
      timeoutMs: 30_000,
      description: `${stable} scaled to 1 pod by hand`,
    });
    const revision = await compactEtcd(cp.layout.etcdPort);
    proxy.resume();
    await healed('gone', stable, 4, 60_000);
    const gone = logged(controller, 'replicasets', 'watch reported an error', since);
    expect(gone.map((e) => e.status)).toContain(410);
    const relisted = logged(controller, 'replicasets', 'listed', Number(gone[0]?.time));
    expect(relisted.length, 'a re-list after the 410').toBeGreaterThan(0);
    expect(revision).toBeGreaterThan(0);
    expect(controller.process.running).toBe(true);
  });
});
