import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig, V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  serviceAccountKubeconfig,
  startControllerProcess,
} from '../cluster/controller.js';
import { adminKubeConfig } from './support/cluster.js';
import { createNamespace, deleteNamespace } from './support/objects.js';
import { RolloutApi, type RolloutObject } from './support/rollouts.js';

const REPLICAS = 4;
const NAME = 'web';

function rollout(image: string): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: NAME },
    spec: {
      replicas: REPLICAS,
      revisionHistoryLimit: 2,
      selector: { matchLabels: { app: NAME } },
      template: { metadata: { labels: { app: NAME } }, spec: { containers: [{ name: 'app', image }] } },
      strategy: {
        canary: {
          steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '2s' } }],
        },
      },
    },
  };
}

const specReplicas = (rs: V1ReplicaSet) => rs.spec?.replicas ?? 0;
const available = (rs: V1ReplicaSet) => rs.status?.availableReplicas ?? 0;
const hashOf = (rs: V1ReplicaSet) => rs.metadata?.labels?.['rollouts-pod-template-hash'];
const imageOf = (rs: V1ReplicaSet) => rs.spec?.template?.spec?.containers[0]?.image;

/** Safety invariants checked on every observation: never below maxUnavailable (25% of 4 = 1) in available pods. */
function checkInvariants(_r: RolloutObject, sets: V1ReplicaSet[]): void {
  const total = sets.reduce((sum, rs) => sum + available(rs), 0);
  const desired = sets.reduce((sum, rs) => sum + specReplicas(rs), 0);
  if (desired >= REPLICAS)
    expect(total).toBeGreaterThanOrEqual(REPLICAS - 1 - Math.max(0, REPLICAS - desired));
}

describe('canary engine against the real control plane, as the deploy/ ServiceAccount', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let controller: ControllerProcess;
  let api: RolloutApi;

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'engine');
    dir = mkdtempSync(join(tmpdir(), 'vireo-engine-'));
    const kubeconfig = await serviceAccountKubeconfig(kc, join(dir, 'kubeconfig.yaml'));
    controller = await startControllerProcess({
      kubeconfigPath: kubeconfig,
      logPath: join(dir, 'controller.log'),
      args: [`--namespace=${namespace}`, '--no-leader-elect', '--log-level=debug'],
    });
    api = new RolloutApi(kc, namespace);
  });
  afterAll(async () => {
    await controller?.process.stop();
    await deleteNamespace(kc, namespace);
    if (process.env.VIREO_KEEP_TEST_ENV !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('brings a new Rollout to Healthy with one stable ReplicaSet of 4 available pods', async () => {
    await api.create(rollout('registry.example/web:1.1.0'));
    const r = await api.waitFor(
      NAME,
      'a Healthy rollout',
      (r, sets) =>
        r.status?.phase === 'Healthy' && sets.length === 1 && available(sets[0] as V1ReplicaSet) === REPLICAS,
    );
    const [rs] = await api.replicaSets(NAME);
    expect(r.status?.stableRS).toBe(hashOf(rs as V1ReplicaSet));
    expect(r.status?.currentStepIndex).toBe(4);
  });

  it('walks the steps of an update: 25% canary, paused until promoted, then 50%, a timed pause and full promotion', async () => {
    const before = await api.get(NAME);
    await api.patchSpec(NAME, {
      template: { spec: { containers: [{ name: 'app', image: 'registry.example/web:1.2.0' }] } },
    });
    const paused = await api.waitFor(
      NAME,
      'the first pause with one canary pod',
      (r, sets) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 1 &&
        sets.some((rs) => imageOf(rs) === 'registry.example/web:1.2.0' && available(rs) === 1),
      checkInvariants,
    );
    expect(paused.status?.stableRS).toBe(before.status?.stableRS);
    expect(paused.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');

    await api.patchStatus(NAME, { pauseConditions: null });
    const done = await api.waitFor(
      NAME,
      'full promotion after the timed pause',
      (r, sets) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        sets.filter((rs) => specReplicas(rs) > 0).length === 1,
      checkInvariants,
    );
    const live = (await api.replicaSets(NAME)).filter((rs) => specReplicas(rs) > 0);
    expect(live.map(imageOf)).toEqual(['registry.example/web:1.2.0']);
    expect(done.status?.stableRS).not.toBe(before.status?.stableRS);
  });

  it('aborts back to stable capacity first, then retries', async () => {
    const stable = (await api.get(NAME)).status?.stableRS;
    await api.patchSpec(NAME, {
      template: { spec: { containers: [{ name: 'app', image: 'registry.example/web:1.3.0' }] } },
    });
    await api.waitFor(
      NAME,
      'the first pause of 1.3.0',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      checkInvariants,
    );
    await api.patchStatus(NAME, { abort: true });
    const aborted = await api.waitFor(
      NAME,
      'the aborted rollout back on stable',
      (r, sets) =>
        r.status?.phase === 'Degraded' &&
        sets.every((rs) => (hashOf(rs) === stable ? available(rs) === REPLICAS : specReplicas(rs) === 0)),
      checkInvariants,
    );
    expect(aborted.status?.abort).toBe(true);
    expect(aborted.status?.stableRS).toBe(stable);

    await api.patchStatus(NAME, { abort: false });
    await api.waitFor(
      NAME,
      'the retried rollout paused again',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      checkInvariants,
    );
  });

  it('heals a hand-scaled stable ReplicaSet', async () => {
    const stable = (await api.get(NAME)).status?.stableRS;
    const rs = (await api.replicaSets(NAME)).find((s) => hashOf(s) === stable) as V1ReplicaSet;
    const expected = specReplicas(rs);
    await api.scaleReplicaSet(rs.metadata?.name ?? '', 1);
    await api.waitFor(NAME, 'the stable ReplicaSet scaled back', (_r, sets) =>
      sets.some((s) => hashOf(s) === stable && specReplicas(s) === expected && available(s) === expected),
    );
  });

  it('reports an invalid spec as InvalidSpec without creating anything', async () => {
    const bad = rollout('registry.example/bad:1.0.0') as {
      metadata: { name: string };
      spec: { strategy: { canary: { steps: object[] } } };
    };
    bad.metadata.name = 'bad';
    bad.spec.strategy.canary.steps = [{ setWeight: 150 }];
    await api.create(bad);
    const r = await api.waitFor('bad', 'the InvalidSpec condition', (r) => r.status?.phase === 'Degraded');
    const condition = r.status?.conditions?.find((c) => c.type === 'InvalidSpec');
    expect(condition?.message).toContain('spec.strategy.canary.steps[0].setWeight');
    expect(await api.replicaSets('bad')).toHaveLength(0);
  });
});
