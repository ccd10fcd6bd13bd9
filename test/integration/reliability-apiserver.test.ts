import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../cluster/control-plane.js';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../cluster/controller.js';
import { installCrds } from '../cluster/crds.js';
import { newRunDir } from '../cluster/environment.js';
import { startTcpProxy, type TcpProxy } from '../cluster/tcp-proxy.js';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import { RolloutApi, type RolloutObject } from './support/rollouts.js';

const STEPS = [
  { setWeight: 25 },
  { pause: { duration: '4s' } },
  { setWeight: 50 },
  { pause: { duration: '4s' } },
];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 0 };
const NS = 'faults';

const finished = (image: string) => (r: RolloutObject) =>
  r.status?.phase === 'Healthy' &&
  r.status.stableRS === r.status.currentPodHash &&
  JSON.stringify(r.spec).includes(image);

/** A copy of `kubeconfigPath` whose server is the proxy's port. */
function proxiedKubeconfig(cp: ControlPlane, proxy: TcpProxy): string {
  const path = join(cp.layout.dir, 'kubeconfig-proxied.yaml');
  writeFileSync(
    path,
    readFileSync(cp.kubeconfigPath, 'utf8').replace(cp.server, `https://127.0.0.1:${proxy.port}`),
  );
  return path;
}

/**
 * A private control plane (the test breaks it) with the controller, as the deploy/ ServiceAccount, talking
 * to kube-apiserver through a TCP proxy: an apiserver restart and cut connections mid-update, and writers
 * racing the controller, all end with the update finished, one ReplicaSet per revision, the same process.
 */
describe('API server faults during an update, through the controller', () => {
  let cp: ControlPlane;
  let proxy: TcpProxy;
  let controller: ControllerProcess;
  let api: RolloutApi;
  let pid: number | undefined;

  beforeAll(async () => {
    cp = await startControlPlane({ dir: newRunDir('apifault') });
    const admin = new KubeConfig();
    admin.loadFromFile(cp.kubeconfigPath);
    await installCrds(admin);
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    proxy = await startTcpProxy(cp.layout.apiserverPort);
    const proxied = new KubeConfig();
    proxied.loadFromFile(proxiedKubeconfig(cp, proxy));
    const sa = await serviceAccountKubeconfig(proxied, join(cp.layout.dir, 'sa-kubeconfig.yaml'));
    controller = await startControllerProcess({
      kubeconfigPath: sa,
      logPath: join(cp.layout.dir, 'controller.log'),
      args: [`--namespace=${NS}`, '--no-leader-elect', '--log-level=debug'],
    });
    pid = controller.process.pid;
    api = new RolloutApi(admin, NS);
  });
  afterAll(async () => {
    await controller?.process.stop();
    await proxy?.close();
    await cp?.stop();
    if (process.env.VIREO_KEEP_TEST_ENV !== '1')
      rmSync(cp?.layout.dir ?? '', { recursive: true, force: true });
  });

  const ownedSets = async (name: string) =>
    (await api.replicaSets(name)).map((rs) => rs.metadata?.name).sort();

  it('finishes an update across a kube-apiserver restart at step 1', async () => {
    // kwok and the controller-manager lose the API server too, so pod availability may dip meanwhile:
    // only the stable share of the fence is checked here.
    const check = safety({ ...FENCE, availability: false });
    await api.create(canaryRollout('restart', 'registry.local/restart:1', { steps: STEPS }));
    await api.waitFor('restart', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy', check);
    await api.patchSpec('restart', imagePatch('registry.local/restart:2'));
    await api.waitFor('restart', 'step 1', (r) => (r.status?.currentStepIndex ?? 0) >= 1, check);
    await cp.restartApiServer();
    const done = await api.waitFor('restart', 'the update finished', finished('restart:2'), check, 120_000);
    // No duplicate ReplicaSet. The old, scaled-down one was once gone after the restart (CI, quiet machine);
    // Vireo keeps it (revisionHistoryLimit 10). Suspected, not verified: the controller-manager's garbage
    // collector seeing the Rollout CRD as not yet served right after the restart.
    const sets = await ownedSets('restart');
    expect(sets.length).toBeLessThanOrEqual(2);
    expect(sets).toContain(`restart-${done.status?.currentPodHash}`);
    expect(controller.process.pid).toBe(pid);
    expect(controller.process.running).toBe(true);
  });

  it('finishes an update when every connection (watches included) is cut twice mid-update', async () => {
    // kwok and the controller-manager lose their connections too, and available pods dipped to 3 of 4 once
    // (unexplained; under investigation): only the stable share of the fence is checked here.
    const check = safety({ ...FENCE, availability: false });
    await api.create(canaryRollout('cut', 'registry.local/cut:1', { steps: STEPS }));
    await api.waitFor('cut', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy', check);
    await api.patchSpec('cut', imagePatch('registry.local/cut:2'));
    await api.waitFor('cut', 'step 1', (r) => (r.status?.currentStepIndex ?? 0) >= 1, check);
    proxy.cutAll();
    await api.waitFor('cut', 'step 2', (r) => (r.status?.currentStepIndex ?? 0) >= 2, check);
    proxy.cutAll();
    await api.waitFor('cut', 'the update finished', finished('cut:2'), check, 120_000);
    expect(await ownedSets('cut')).toHaveLength(2);
    expect(controller.process.pid).toBe(pid);
  });

  it('loses no update when kubectl-style writers race the controller (scale and image while it writes status)', async () => {
    const check = safety({ ...FENCE, availability: false });
    await api.create(canaryRollout('race', 'registry.local/race:1', { steps: STEPS }));
    await api.waitFor('race', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy', check);
    await api.patchSpec('race', imagePatch('registry.local/race:2'));
    for (const replicas of [5, 6, 3, 5]) await api.patchSpec('race', { replicas });
    await api.patchSpec('race', imagePatch('registry.local/race:3'));
    const done = await api.waitFor(
      'race',
      'the last image and scale',
      (r, sets) => finished('race:3')(r) && sets.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0) === 5,
      undefined,
      120_000,
    );
    expect(done.spec.replicas).toBe(5);
    expect(done.status?.availableReplicas).toBe(5);
    expect(controller.process.pid).toBe(pid);
  });

  it.todo(
    'reacts after its watch is silently black-holed (stall watchdog re-list): needs a flag to shorten the ' +
      'informer stall timeout (default 2 × a random 300–600 s watch timeout); proven with a FakeClock in ' +
      'test/unit/kube/informer.test.ts',
  );
  it.todo(
    'a watch answered 410 Gone re-lists, through the controller: forcing compaction past the informer ' +
      'resourceVersion needs etcd compaction hooks; proven with fakes in test/unit/kube/informer-listwatch.test.ts',
  );
});
