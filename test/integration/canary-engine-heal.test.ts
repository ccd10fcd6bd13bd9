import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import {
  available,
  type EngineEnv,
  hashOf,
  kubectl,
  type RolloutApi,
  specReplicas,
  startEngine,
} from './support/rollouts.js';

const NAME = 'heal';
const STEPS = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 1 };

describe('canary engine: self-healing, the scale subresource and garbage collection', () => {
  let env: EngineEnv;
  let api: RolloutApi;
  let stable: string | undefined;
  let canary: string | undefined;

  const rsNamed = async (hash: string | undefined) =>
    (await api.replicaSets(NAME)).find((rs) => hashOf(rs) === hash) as V1ReplicaSet;
  const uidOf = (rs: V1ReplicaSet | undefined) => rs?.metadata?.uid;
  const pausedMidUpdate = (r: {
    status?: { phase?: string; currentStepIndex?: number; stableRS?: string };
  }) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.stableRS === stable;

  beforeAll(async () => {
    env = await startEngine('engine-heal');
    api = env.api;
    await api.create(canaryRollout(NAME, 'registry.example/heal:1', { steps: STEPS }));
    stable = (await api.waitFor(NAME, 'v1 Healthy', (r) => r.status?.phase === 'Healthy')).status?.stableRS;
    await api.patchSpec(NAME, imagePatch('registry.example/heal:2'));
    canary = (await api.waitFor(NAME, 'the first pause', pausedMidUpdate)).status?.currentPodHash;
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('recreates a stable ReplicaSet deleted by hand mid-update, without promoting the canary', async () => {
    const old = await rsNamed(stable);
    await kubectl(['-n', api.namespace, 'delete', 'rs', old.metadata?.name ?? '', '--wait=false']);
    const r = await api.waitFor(NAME, 'the stable ReplicaSet back at 3', (r, sets) => {
      const rs = sets.find((s) => hashOf(s) === stable && uidOf(s) !== uidOf(old));
      return pausedMidUpdate(r) && rs !== undefined && specReplicas(rs) === 3 && available(rs) === 3;
    });
    expect(r.status?.currentPodHash).toBe(canary);
    const back = await rsNamed(stable);
    expect(back.metadata?.annotations?.['rollout.argoproj.io/revision']).toBe('1');
    expect(back.spec?.template?.spec?.containers[0]?.image).toBe('registry.example/heal:1');
    expect(specReplicas(await rsNamed(canary))).toBe(1);
    await api.waitForEvents(NAME, ['StableReplicaSetRecreated']);
  });

  it('recreates a canary ReplicaSet deleted by hand', async () => {
    const old = await rsNamed(canary);
    await api.deleteReplicaSet(old.metadata?.name ?? '');
    await api.waitFor(
      NAME,
      'the canary ReplicaSet back at 1',
      (r, sets) =>
        pausedMidUpdate(r) &&
        sets.some((s) => hashOf(s) === canary && uidOf(s) !== uidOf(old) && available(s) === 1),
      safety(FENCE),
    );
  });

  it('holds (Degraded, canary untouched) when a deleted stable cannot be recreated; promote-full accepts the canary', async () => {
    const canaryRs = (await rsNamed(canary)).metadata?.name ?? '';
    await kubectl(['-n', api.namespace, 'annotate', 'rs', canaryRs, 'vireo.dev/stable-template-']);
    await kubectl(['-n', api.namespace, 'delete', 'rs', (await rsNamed(stable)).metadata?.name ?? '']);
    const held = await api.waitFor(NAME, 'the hold', (r) => r.status?.phase === 'Degraded');
    expect(held.status?.message).toMatch(
      /^StableReplicaSetMissing: stable ReplicaSet "heal-\w+" was deleted/,
    );
    expect(held.status).toMatchObject({ stableRS: stable, currentPodHash: canary, currentStepIndex: 1 });
    await api.waitForEvents(NAME, ['StableReplicaSetMissing']);
    const again = await api.get(NAME);
    expect(again.status?.stableRS).toBe(stable);
    expect(specReplicas(await rsNamed(canary))).toBe(1);
    expect(await rsNamed(stable)).toBeUndefined();

    await api.patchStatus(NAME, { promoteFull: true });
    const r = await api.waitFor(
      NAME,
      'the canary promoted by the user',
      (r, sets) =>
        r.status?.phase === 'Healthy' && sets.some((s) => hashOf(s) === canary && available(s) === 4),
    );
    expect(r.status?.stableRS).toBe(canary);
  });

  it('follows kubectl scale rollout through the scale subresource (HPAReplicas, selector)', async () => {
    await kubectl(['-n', api.namespace, 'scale', 'rollout', NAME, '--replicas=6']);
    const r = await api.waitFor(
      NAME,
      'six replicas',
      (r, sets) =>
        r.status?.HPAReplicas === 6 &&
        r.status.observedGeneration === String(r.metadata.generation) &&
        sets.some((s) => specReplicas(s) === 6 && available(s) === 6),
    );
    expect(r.status).toMatchObject({ phase: 'Healthy', selector: `app=${NAME}`, replicas: 6 });
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${api.namespace}/rollouts/${NAME}/scale`;
    const scale = JSON.parse(await kubectl(['get', '--raw', path]));
    expect(scale).toMatchObject({ spec: { replicas: 6 }, status: { replicas: 6, selector: `app=${NAME}` } });
  });

  it('deleting the Rollout garbage-collects its ReplicaSets (owner references)', async () => {
    expect((await api.replicaSets(NAME)).length).toBeGreaterThan(0);
    const owner = (await api.replicaSets(NAME))[0]?.metadata?.ownerReferences?.[0];
    expect(owner).toMatchObject({ kind: 'Rollout', name: NAME, controller: true, blockOwnerDeletion: true });
    await api.delete(NAME);
    await pollUntil(async () => (await api.replicaSets(NAME)).length === 0, {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: 'the ReplicaSets of the deleted Rollout to be garbage-collected',
    });
  });
});
