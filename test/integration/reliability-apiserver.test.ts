import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionsIn } from '../../harness/audit.js';
import type { ControlPlane } from '../../harness/control-plane.js';
import type { ControllerProcess } from '../../harness/controller.js';
import type { TcpProxy } from '../../harness/tcp-proxy.js';
import type { AvailabilityRecorder } from './support/availability.js';
import { scenarioFence } from './support/availability-fence.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { finishedOn, type ProxiedPlane, startProxiedPlane } from './support/proxied-plane.js';
import type { RolloutApi } from './support/rollouts.js';

const STEPS = [
  { setWeight: 25 },
  { pause: { duration: '4s' } },
  { setWeight: 50 },
  { pause: { duration: '4s' } },
];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 0 };
/** The fence's surge and unavailability, set on the Rollouts (Argo's defaults would be 25 % each). */
const SHAPE = { steps: STEPS, canary: { maxSurge: 1, maxUnavailable: 0 } };
const NS = 'faults';

/**
 * A private control plane (the test breaks it) with the controller, as the deploy/ ServiceAccount, talking
 * to kube-apiserver through a TCP proxy: an apiserver restart and cut connections mid-update, and writers
 * racing the controller, all end with the update finished, one ReplicaSet per revision, the same process.
 * Fenced at every observation: each step's stable share, and `replicas − maxUnavailable` available pods
 * (`scenarioFence`: only pods the node lifecycle controller marked NotReady are excused).
 */
describe('API server faults during an update, through the controller', () => {
  let cp: ControlPlane;
  let proxy: TcpProxy;
  let controller: ControllerProcess;
  let api: RolloutApi;
  let pid: number | undefined;
  let recorder: AvailabilityRecorder;

  let plane: ProxiedPlane;

  beforeAll(async () => {
    plane = await startProxiedPlane({
      prefix: 'apifault',
      namespace: NS,
      auditResources: [{ group: 'apps', resource: 'replicasets' }],
    });
    ({ cp, proxy, controller, api, recorder } = plane);
    pid = controller.process.pid;
  });
  afterAll(async () => plane?.stop());

  const ownedSets = async (name: string) =>
    (await api.replicaSets(name)).map((rs) => rs.metadata?.name).sort();

  it('finishes an update across a kube-apiserver restart at step 1', async () => {
    // kwok and the controller-manager lose the API server too: if the node lifecycle controller marks the
    // fake nodes NotReady meanwhile, it marks their pods NotReady; only those pods are excused (see fence).
    const fence = scenarioFence(recorder, FENCE);
    await api.create(canaryRollout('restart', 'registry.local/restart:1', SHAPE));
    const healthy = await api.waitFor(
      'restart',
      'first deploy Healthy',
      (r) => r.status?.phase === 'Healthy',
      fence.check,
    );
    const first = healthy.status?.stableRS;
    await api.patchSpec('restart', imagePatch('registry.local/restart:2'));
    await api.waitFor('restart', 'step 1', (r) => (r.status?.currentStepIndex ?? 0) >= 1, fence.check);
    await cp.restartApiServer();
    const done = await api.waitFor(
      'restart',
      'the update finished',
      finishedOn('restart:2'),
      fence.check,
      120_000,
    );
    await fence.settle();
    // Exactly the two ReplicaSets of the two revisions (revisionHistoryLimit 10 keeps the old one), and no
    // ReplicaSet of this Rollout deleted by anyone: the audit log names who did (docs/reliability.md).
    const sets = await ownedSets('restart');
    const deleted = deletionsIn(plane.auditLogPath, 'replicasets', NS, 'restart-');
    expect(deleted, 'ReplicaSet deletions (kube-apiserver audit log)').toEqual([]);
    expect(sets).toEqual([`restart-${done.status?.stableRS}`, `restart-${first}`].sort());
    expect(await api.replicaSetNames('restart-'), 'ReplicaSets, owned or not').toEqual(sets);
    expect(controller.process.pid).toBe(pid);
    expect(controller.process.running).toBe(true);
  });

  it('finishes an update when every connection (watches included) is cut twice mid-update', async () => {
    const fence = scenarioFence(recorder, FENCE);
    await api.create(canaryRollout('cut', 'registry.local/cut:1', SHAPE));
    await api.waitFor('cut', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy', fence.check);
    await api.patchSpec('cut', imagePatch('registry.local/cut:2'));
    await api.waitFor('cut', 'step 1', (r) => (r.status?.currentStepIndex ?? 0) >= 1, fence.check);
    proxy.cutAll();
    await api.waitFor('cut', 'step 2', (r) => (r.status?.currentStepIndex ?? 0) >= 2, fence.check);
    proxy.cutAll();
    await api.waitFor('cut', 'the update finished', finishedOn('cut:2'), fence.check, 120_000);
    await fence.settle();
    expect(await ownedSets('cut')).toHaveLength(2);
    expect(controller.process.pid).toBe(pid);
  });

  it('loses no update when kubectl-style writers race the controller (scale and image while it writes status)', async () => {
    // Fenced until the writers start: a scale-up makes pods that are not yet available by design.
    const fence = scenarioFence(recorder, FENCE);
    await api.create(canaryRollout('race', 'registry.local/race:1', SHAPE));
    await api.waitFor('race', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy', fence.check);
    await fence.settle();
    await api.patchSpec('race', imagePatch('registry.local/race:2'));
    for (const replicas of [5, 6, 3, 5]) await api.patchSpec('race', { replicas });
    await api.patchSpec('race', imagePatch('registry.local/race:3'));
    const done = await api.waitFor(
      'race',
      'the last image and scale',
      (r, sets) => finishedOn('race:3')(r) && sets.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0) === 5,
      undefined,
      120_000,
    );
    expect(done.spec.replicas).toBe(5);
    expect(done.status?.availableReplicas).toBe(5);
    expect(controller.process.pid).toBe(pid);
  });
});
