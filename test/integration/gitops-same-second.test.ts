import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppsV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountKubeconfig } from '../../harness/controller.js';
import { GitWriteBackController } from '../../src/gitops/controller.js';
import { ClientNodeKubeClient, Resources, type ResourceType } from '../../src/kube/client.js';
import { apiEventSink, EventRecorder } from '../../src/kube/events.js';
import { createInformer } from '../../src/kube/informers.js';
import type { KubeObject } from '../../src/kube/types.js';
import { MESSAGE } from '../../src/rollout/core/conditions.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { canaryRollout } from './support/canary.js';
import { adminKubeConfig } from './support/cluster.js';
import { annotationsOf, BareRepo, kustomization, vireoCommits } from './support/git.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi } from './support/rollouts.js';

const CAUSE =
  'Step-based analysis phase failed: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)';

/** The write-back controller alone, in this process, as the deploy/ ServiceAccount, on the real API server. */
async function startWriteBack(saKubeconfig: string, namespace: string, afterPush?: () => void) {
  const kc = new KubeConfig();
  kc.loadFromFile(saKubeconfig);
  const client = new ClientNodeKubeClient(kc);
  const informer = (res: ResourceType) =>
    createInformer<KubeObject>(kc, client, res, { namespace, clock: systemClock, logger: silentLogger });
  const rollouts = informer(Resources.rollouts);
  const analysisRuns = informer(Resources.analysisRuns);
  const events = new EventRecorder({ sink: apiEventSink(client), component: 'vireo' });
  const controller = new GitWriteBackController({
    client,
    events,
    clock: systemClock,
    logger: silentLogger,
    rollouts,
    analysisRuns,
    allowFileRemotes: true,
    ...(afterPush ? { afterPush } : {}),
  });
  await Promise.all([rollouts.start(), analysisRuns.start()]);
  await controller.start();
  return {
    stop: async () => {
      await controller.stop();
      await Promise.all([rollouts.stop(), analysisRuns.stop()]);
    },
  };
}

/**
 * Two automatic aborts of one Rollout within one second (`status.abortedAt` is the same string) are two
 * rollbacks: two commits in a real repository, each with its own trailer. The Rollout's status is written
 * here as the Rollout controller writes it on an analysis abort (the Rollout controller itself does not
 * run, so the timing is exact); the write-back controller is Vireo's, on the real API server.
 */
describe('Git write-back: two aborts in the same second are two rollbacks, exactly once across restarts', () => {
  let admin: KubeConfig;
  let namespace: string;
  let dir: string;
  let api: RolloutApi;
  let saKubeconfig: string;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    admin = adminKubeConfig();
    namespace = await createNamespace(admin, 'gitops-same-second');
    dir = mkdtempSync(join(tmpdir(), 'vireo-gitops-second-'));
    saKubeconfig = await serviceAccountKubeconfig(admin, join(dir, 'sa-kubeconfig.yaml'));
    api = new RolloutApi(admin, namespace);
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    if (namespace) await deleteNamespace(admin, namespace);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  const custom = () => admin.makeApiClient(CustomObjectsApi);
  const argo = (plural: string) => ({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural });

  /** A failed step AnalysisRun of revision `revision` (pod hash `hash`) owned by the Rollout; its uid. */
  async function failedRun(name: string, hash: string, rolloutUid: string): Promise<string> {
    const run = (await custom().createNamespacedCustomObject({
      ...argo('analysisruns'),
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisRun',
        metadata: {
          name,
          labels: { 'rollouts-pod-template-hash': hash, 'rollout-type': 'Step' },
          ownerReferences: [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Rollout',
              name: 'shop',
              uid: rolloutUid,
              controller: true,
            },
          ],
        },
        spec: {
          metrics: [
            {
              name: 'error-rate',
              successCondition: 'result[0] < 0.05',
              provider: { web: { url: 'http://127.0.0.1:1' } },
            },
          ],
        },
      },
    })) as KubeObject;
    await custom().patchNamespacedCustomObjectStatus(
      {
        ...argo('analysisruns'),
        name,
        body: { status: { phase: 'Failed', message: 'failed (1) > failureLimit (0)' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    return run.metadata?.uid ?? '';
  }

  /** The status the Rollout controller writes when revision `revision` (hash `hash`) aborts at `abortedAt`. */
  const aborted = (revision: number, hash: string, abortedAt: string) => ({
    abort: true,
    abortedAt,
    currentPodHash: hash,
    stableRS: 'stable1',
    phase: 'Degraded',
    conditions: [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: `${MESSAGE.aborted(revision)}: ${CAUSE}`,
        lastUpdateTime: abortedAt,
        lastTransitionTime: abortedAt,
      },
    ],
  });

  const waitForRecord = (id: string) =>
    api.waitFor(
      'shop',
      `the write-back of ${id} recorded`,
      (r) => annotationsOf(r)['vireo.dev/git-rollback-id'] === id,
    );

  it('commits each abort once, finding its own commit after a restart between push and record', async () => {
    const repo = BareRepo.create(dir, 'shop', { 'kustomization.yaml': kustomization('shop', '1.3.0') });
    const rollout = canaryRollout('shop', 'registry.example/shop:1.3.0', { replicas: 0 }) as {
      metadata: Record<string, unknown>;
    };
    rollout.metadata.annotations = {
      'vireo.dev/git-repo': repo.url,
      'vireo.dev/git-path': 'kustomization.yaml',
      'vireo.dev/git-image': 'registry.example/shop',
    };
    const created = await api.create(rollout);
    const uid = created.metadata.uid ?? '';
    await admin.makeApiClient(AppsV1Api).createNamespacedReplicaSet({
      namespace,
      body: {
        metadata: { name: 'shop-stable1', labels: { app: 'shop', 'rollouts-pod-template-hash': 'stable1' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'shop', 'rollouts-pod-template-hash': 'stable1' } },
          template: {
            metadata: { labels: { app: 'shop', 'rollouts-pod-template-hash': 'stable1' } },
            spec: { containers: [{ name: 'app', image: 'registry.example/shop:1.2.0' }] },
          },
        },
      },
    });

    // The failed step runs of revisions 2 and 3, both created before second S, in which both abort.
    const run2 = await failedRun('shop-canary2-2-0', 'canary2', uid);
    const run3 = await failedRun('shop-canary3-3-0', 'canary3', uid);
    const second = `${new Date().toISOString().slice(0, 19)}Z`;

    // Abort 1: revision 2 (1.3.0) at S.
    await api.patchStatus('shop', aborted(2, 'canary2', second));
    let crashed = false;
    const first = await startWriteBack(saKubeconfig, namespace, () => {
      if (crashed) return;
      if (vireoCommits(repo.log('main')).length === 2) {
        crashed = true;
        throw new Error('simulated crash between push and record');
      }
    });
    stops.push(first.stop);
    const id1 = `${uid}@${second}/2/${run2}`;
    await waitForRecord(id1);

    // CI deploys 1.4.0; abort 2: revision 3 fails within the same second S.
    repo.commit('main', { 'kustomization.yaml': kustomization('shop', '1.4.0') }, 'CI: shop 1.4.0');
    await api.patchSpec('shop', {
      template: { spec: { containers: [{ name: 'app', image: 'registry.example/shop:1.4.0' }] } },
    });
    await api.patchStatus('shop', aborted(3, 'canary3', second));
    const id2 = `${uid}@${second}/3/${run3}`;

    // The first controller pushes the second rollback and dies before recording it; a new one takes over.
    await api.waitFor('shop', 'the second push', () => crashed);
    await first.stop();
    stops.pop();
    const restarted = await startWriteBack(saKubeconfig, namespace);
    stops.push(restarted.stop);
    const recorded = await waitForRecord(id2);

    const commits = vireoCommits(repo.log('main'));
    expect(commits).toHaveLength(2);
    expect(commits.map((c) => c.message.trimEnd().split('\n').at(-1))).toEqual([
      `Vireo-Rollback-Id: ${id2}`,
      `Vireo-Rollback-Id: ${id1}`,
    ]);
    expect(commits.every((c) => c.message.includes(`Aborted at: ${second}`))).toBe(true);
    expect(repo.show('main', 'kustomization.yaml')).toBe(kustomization('shop', '1.2.0'));
    expect(annotationsOf(recorded)['vireo.dev/git-rollback-commit']).toBe(commits[0]?.sha);
    const events = (await api.waitForEvents('shop', ['GitRollbackCommitted'])).filter(
      (e) => e.reason === 'GitRollbackCommitted',
    );
    expect(events.map((e) => e.message?.split(' ')[0]).sort()).toEqual(['Committed', 'Found']);
  }, 180_000);
});
