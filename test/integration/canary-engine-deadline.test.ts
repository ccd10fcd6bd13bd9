import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import {
  available,
  type Check,
  type EngineEnv,
  hashOf,
  type RolloutApi,
  specReplicas,
  startEngine,
} from './support/rollouts.js';

const STEPS = [{ setWeight: 25 }, { pause: {} }];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 1 };
/** Pods of a template with this label run but never become Ready (harness/kwok-stages.yaml). */
const NEVER_READY = { 'vireo.test/ready': 'false' };

describe('canary engine: progress deadline and minReadySeconds', () => {
  let env: EngineEnv;
  let api: RolloutApi;

  beforeAll(async () => {
    env = await startEngine('engine-deadline');
    api = env.api;
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function deployThenBreak(name: string, spec: Record<string, unknown>): Promise<string | undefined> {
    await api.create(canaryRollout(name, `registry.example/${name}:1`, { steps: STEPS, spec }));
    const r = await api.waitFor(name, `${name} Healthy`, (r) => r.status?.phase === 'Healthy');
    await api.patchSpec(name, imagePatch(`registry.example/${name}:2`, NEVER_READY));
    return r.status?.stableRS;
  }

  it('marks ProgressDeadlineExceeded (Degraded) when canary pods never become ready, without aborting', async () => {
    const check = safety(FENCE);
    const stable = await deployThenBreak('stuck', { progressDeadlineSeconds: 8 });
    const r = await api.waitFor(
      'stuck',
      'the progress deadline',
      (r) => r.status?.phase === 'Degraded',
      check,
    );
    const progressing = r.status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(r.status?.message).toMatch(
      /^ProgressDeadlineExceeded: ReplicaSet "stuck-\w+" has timed out progressing\.$/,
    );
    expect(r.status?.abort).toBeUndefined();
    expect(r.status?.stableRS).toBe(stable);
    const sets = await api.replicaSets('stuck');
    const canary = sets.find((rs) => hashOf(rs) === r.status?.currentPodHash);
    expect([specReplicas(canary ?? {}), available(canary ?? {})]).toEqual([1, 0]);
    expect(sets.find((rs) => hashOf(rs) === stable)?.status?.availableReplicas).toBe(3);
  });

  it('aborts with progressDeadlineAbort: canary scaled down, stable back to full', async () => {
    const check = safety(FENCE);
    const stable = await deployThenBreak('doomed', {
      progressDeadlineSeconds: 8,
      progressDeadlineAbort: true,
    });
    const r = await api.waitFor(
      'doomed',
      'the automatic abort back on stable',
      (r, sets) =>
        r.status?.phase === 'Degraded' &&
        sets.every((rs) => (hashOf(rs) === stable ? available(rs) === 4 : specReplicas(rs) === 0)),
      check,
    );
    expect(r.status?.abort).toBe(true);
    expect(r.status?.message).toMatch(
      /^RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "doomed-\w+" has timed out progressing\.$/,
    );
    await api.waitForEvents('doomed', ['RolloutAborted']);
  });

  it('minReadySeconds: the ReplicaSet carries it and a step waits for pods to be available, not just ready', async () => {
    const steps = [{ setWeight: 50 }, { pause: {} }];
    const spec = { minReadySeconds: 3, progressDeadlineSeconds: 60 };
    await api.create(canaryRollout('steady', 'registry.example/steady:1', { replicas: 2, steps, spec }));
    await api.waitFor('steady', 'steady Healthy', (r) => r.status?.phase === 'Healthy');
    expect((await api.replicaSets('steady'))[0]?.spec?.minReadySeconds).toBe(3);
    const stableHash = hashOf((await api.replicaSets('steady'))[0] ?? {});
    await api.patchSpec('steady', imagePatch('registry.example/steady:2'));
    const early: Check = (r, sets) => {
      const canary = sets.find((rs) => hashOf(rs) === r.status?.currentPodHash);
      if (canary && (r.status?.currentStepIndex ?? 0) > 0 && r.status?.currentPodHash !== stableHash)
        expect(available(canary), 'step completed before the canary was available').toBeGreaterThan(0);
    };
    const r = await api.waitFor('steady', 'the pause after 50%', (r) => r.status?.phase === 'Paused', early);
    const canary = (await api.replicaSets('steady')).find((rs) => hashOf(rs) === r.status?.currentPodHash);
    expect(canary?.spec?.minReadySeconds).toBe(3);
    expect(available(canary ?? {})).toBe(1);
  });
});
