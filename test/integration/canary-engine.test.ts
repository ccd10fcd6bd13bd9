import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import {
  available,
  type EngineEnv,
  hashOf,
  imageOf,
  kubectl,
  type RolloutApi,
  specReplicas,
  startEngine,
} from './support/rollouts.js';

const REPLICAS = 4;
const NAME = 'web';
const STEPS = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '2s' } }];
/** 25% of 4: maxSurge 1, maxUnavailable 1. */
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 1 };

const rollout = (image: string) =>
  canaryRollout(NAME, image, { replicas: REPLICAS, steps: STEPS, spec: { revisionHistoryLimit: 2 } });

describe('canary engine against the real control plane, as the deploy/ ServiceAccount', () => {
  let env: EngineEnv;
  let api: RolloutApi;

  beforeAll(async () => {
    env = await startEngine('engine');
    api = env.api;
  });
  afterAll(async () => {
    await env?.stop();
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
    expect(r.status?.observedGeneration).toBe(String(r.metadata.generation));
    expect(r.status).toMatchObject({ HPAReplicas: REPLICAS, selector: `app=${NAME}` });
  });

  it('walks the steps of an update: 25% canary, paused until promoted, then 50%, a timed pause and full promotion', async () => {
    const before = await api.get(NAME);
    const check = safety(FENCE);
    await api.patchSpec(NAME, imagePatch('registry.example/web:1.2.0'));
    const paused = await api.waitFor(
      NAME,
      'the first pause with one canary pod',
      (r, sets) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 1 &&
        sets.some((rs) => imageOf(rs) === 'registry.example/web:1.2.0' && available(rs) === 1),
      check,
    );
    expect(paused.status?.stableRS).toBe(before.status?.stableRS);
    expect(paused.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
    expect(paused.status?.observedGeneration).toBe(String(paused.metadata.generation));

    await api.patchStatus(NAME, { pauseConditions: null });
    const done = await api.waitFor(
      NAME,
      'full promotion after the timed pause',
      (r, sets) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        sets.filter((rs) => specReplicas(rs) > 0).length === 1,
      check,
    );
    const live = (await api.replicaSets(NAME)).filter((rs) => specReplicas(rs) > 0);
    expect(live.map(imageOf)).toEqual(['registry.example/web:1.2.0']);
    expect(done.status?.stableRS).not.toBe(before.status?.stableRS);
  });

  it('records Kubernetes Events for step changes, pauses and promotions', async () => {
    const wanted = ['RolloutStepCompleted', 'RolloutPaused', 'RolloutCompleted', 'ScalingReplicaSet'];
    const events = await api.waitForEvents(NAME, wanted);
    const completed = events.filter((e) => e.reason === 'RolloutCompleted').map((e) => e.message);
    expect(completed).toContainEqual(expect.stringMatching(/Completed all 4 canary steps$/));
    expect(events.find((e) => e.reason === 'RolloutPaused')?.type).toBe('Normal');
  });

  it('aborts back to stable capacity first (Degraded, canary scaled down, stable untouched), then retries', async () => {
    const stable = (await api.get(NAME)).status?.stableRS;
    const check = safety(FENCE);
    await api.patchSpec(NAME, imagePatch('registry.example/web:1.3.0'));
    await api.waitFor(
      NAME,
      'the first pause of 1.3.0',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      check,
    );
    await api.patchStatus(NAME, { abort: true });
    const aborted = await api.waitFor(
      NAME,
      'the aborted rollout back on stable',
      (r, sets) =>
        r.status?.phase === 'Degraded' &&
        sets.every((rs) => (hashOf(rs) === stable ? available(rs) === REPLICAS : specReplicas(rs) === 0)),
      check,
    );
    expect(aborted.status).toMatchObject({ abort: true, stableRS: stable });
    expect(aborted.status?.abortedAt).toEqual(expect.any(String));
    expect(aborted.status?.message).toMatch(/^RolloutAborted: Rollout aborted update to revision 3/);
    const events = await api.waitForEvents(NAME, ['RolloutAborted']);
    expect(events.find((e) => e.reason === 'RolloutAborted')?.type).toBe('Warning');

    await api.patchStatus(NAME, { abort: false });
    const retried = await api.waitFor(
      NAME,
      'the retried rollout paused again',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      check,
    );
    expect(retried.status?.abortedAt).toBeUndefined();
  });

  it('restores a ReplicaSet scaled by hand with kubectl scale rs', async () => {
    const stable = (await api.get(NAME)).status?.stableRS;
    const rs = (await api.replicaSets(NAME)).find((s) => hashOf(s) === stable) as V1ReplicaSet;
    const expected = specReplicas(rs);
    await kubectl(['-n', api.namespace, 'scale', 'rs', rs.metadata?.name ?? '', '--replicas=1']);
    await api.waitFor(NAME, 'the stable ReplicaSet scaled back', (_r, sets) =>
      sets.some((s) => hashOf(s) === stable && specReplicas(s) === expected && available(s) === expected),
    );
    const canary = (await api.replicaSets(NAME)).find((s) => hashOf(s) !== stable && specReplicas(s) > 0);
    await kubectl(['-n', api.namespace, 'scale', 'rs', canary?.metadata?.name ?? '', '--replicas=4']);
    await api.waitFor(NAME, 'the canary ReplicaSet scaled back', (r, sets) =>
      sets.some((s) => hashOf(s) === r.status?.currentPodHash && specReplicas(s) === 1 && available(s) === 1),
    );
  });

  it('reports an invalid spec as InvalidSpec without creating anything', async () => {
    const bad = canaryRollout('bad', 'registry.example/bad:1.0.0', { steps: [{ setWeight: 150 }] });
    await api.create(bad);
    const r = await api.waitFor('bad', 'the InvalidSpec condition', (r) => r.status?.phase === 'Degraded');
    const condition = r.status?.conditions?.find((c) => c.type === 'InvalidSpec');
    expect(condition?.message).toContain('spec.strategy.canary.steps[0].setWeight');
    expect(r.status?.message).toMatch(/^InvalidSpec: /);
    expect(await api.replicaSets('bad')).toHaveLength(0);
  });
});
