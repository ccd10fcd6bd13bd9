import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import {
  type EngineEnv,
  hashOf,
  imageOf,
  kubectl,
  type RolloutApi,
  specReplicas,
  startEngine,
} from './support/rollouts.js';

const NAME = 'rev';
const STEPS = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 1 };
const image = (v: string) => `registry.example/rev:${v}`;
const REVISION = 'rollout.argoproj.io/revision';

const healthyOn = (v: string) => (r: { status?: { phase?: string } }, sets: V1ReplicaSet[]) =>
  r.status?.phase === 'Healthy' &&
  sets
    .filter((rs) => specReplicas(rs) > 0)
    .map(imageOf)
    .join() === image(v);

describe('canary engine: promote-full, undo, spec.paused and revision history', () => {
  let env: EngineEnv;
  let api: RolloutApi;

  /** What `kubectl argo rollouts undo` does: replace spec.template with the ReplicaSet's, minus the hash label. */
  async function undoTo(rs: V1ReplicaSet): Promise<void> {
    const template = structuredClone(rs.spec?.template ?? {});
    delete template.metadata?.labels?.['rollouts-pod-template-hash'];
    const patch = JSON.stringify([{ op: 'replace', path: '/spec/template', value: template }]);
    await kubectl(['-n', api.namespace, 'patch', 'rollout', NAME, '--type=json', `-p=${patch}`]);
  }

  async function pausedAtFirstStep(check = safety(FENCE)) {
    return api.waitFor(
      NAME,
      'the first pause step',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      check,
    );
  }

  beforeAll(async () => {
    env = await startEngine('engine-rev');
    api = env.api;
    await api.create(canaryRollout(NAME, image('1'), { steps: STEPS, spec: { revisionHistoryLimit: 5 } }));
    await api.waitFor(NAME, 'v1 Healthy', healthyOn('1'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('promote-full skips the remaining steps and pauses and promotes at once', async () => {
    const check = safety(FENCE);
    await api.patchSpec(NAME, imagePatch(image('2')));
    await pausedAtFirstStep(check);
    await api.patchStatus(NAME, { promoteFull: true });
    const r = await api.waitFor(NAME, 'v2 promoted fully', healthyOn('2'), check);
    expect(r.status?.promoteFull).toBeUndefined();
    expect(r.status).toMatchObject({ currentStepIndex: 4, stableRS: r.status?.currentPodHash });
    await api.waitForEvents(NAME, ['PromoteFull', 'RolloutCompleted']);
  });

  it('undo to the stable revision mid-update is a fast rollback to that ReplicaSet', async () => {
    const check = safety(FENCE);
    const stable = (await api.get(NAME)).status?.stableRS;
    await api.patchSpec(NAME, imagePatch(image('3')));
    await pausedAtFirstStep(check);
    const before = await api.replicaSets(NAME);
    await undoTo(before.find((rs) => hashOf(rs) === stable) as V1ReplicaSet);
    const r = await api.waitFor(NAME, 'the fast rollback to v2', healthyOn('2'), check);
    expect(r.status).toMatchObject({ stableRS: stable, currentPodHash: stable, currentStepIndex: 4 });
    expect(await api.replicaSets(NAME)).toHaveLength(before.length);
    await api.waitForEvents(NAME, ['SkipSteps']);
  });

  it('undo to an older revision brings its ReplicaSet back as a new revision and runs the steps', async () => {
    const check = safety(FENCE);
    const sets = await api.replicaSets(NAME);
    const v1 = sets.find((rs) => imageOf(rs) === image('1')) as V1ReplicaSet;
    const top = Math.max(...sets.map((rs) => Number(rs.metadata?.annotations?.[REVISION] ?? 0)));
    await undoTo(v1);
    const paused = await pausedAtFirstStep(check);
    expect(paused.status?.currentPodHash).toBe(hashOf(v1));
    const now = await api.replicaSets(NAME);
    expect(now).toHaveLength(sets.length);
    const back = now.find((rs) => hashOf(rs) === hashOf(v1));
    expect(back?.metadata?.annotations?.[REVISION]).toBe(String(top + 1));
    expect(specReplicas(back as V1ReplicaSet)).toBe(1);
    await api.patchStatus(NAME, { promoteFull: true });
    await api.waitFor(NAME, 'v1 promoted again', healthyOn('1'), check);
  });

  it('spec.paused halts an update (nothing created) until resumed', async () => {
    const count = (await api.replicaSets(NAME)).length;
    await api.patchSpec(NAME, { paused: true, ...imagePatch(image('4')) });
    const r = await api.waitFor(
      NAME,
      'the manually paused rollout',
      (r) => r.status?.phase === 'Paused' && r.status.observedGeneration === String(r.metadata.generation),
    );
    expect(r.status?.message).toBe('manually paused');
    expect(r.status?.conditions?.find((c) => c.type === 'Paused')?.status).toBe('True');
    expect(await api.replicaSets(NAME)).toHaveLength(count);
    await api.patchSpec(NAME, { paused: false });
    await pausedAtFirstStep();
    await api.patchStatus(NAME, { promoteFull: true });
    await api.waitFor(NAME, 'v4 Healthy', healthyOn('4'), safety(FENCE));
  });

  it('a resume (pause conditions cleared) seen while spec.paused is not lost on unpause', async () => {
    await api.patchSpec(NAME, imagePatch(image('5')));
    await pausedAtFirstStep();
    await api.patchSpec(NAME, { paused: true });
    await api.waitFor(NAME, 'manually paused', (r) => r.status?.message === 'manually paused');
    await api.patchStatus(NAME, { pauseConditions: null });
    await api.waitFor(NAME, 'the resume recorded', (r) => r.status?.pauseConditions === undefined);
    await api.patchSpec(NAME, { paused: false });
    const r = await api.waitFor(
      NAME,
      'the second pause step',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 3,
      safety(FENCE),
    );
    expect(r.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
    await api.patchStatus(NAME, { promoteFull: true });
    await api.waitFor(NAME, 'v5 Healthy', healthyOn('5'), safety(FENCE));
  });

  it('revisionHistoryLimit prunes the oldest scaled-down ReplicaSets', async () => {
    expect((await api.replicaSets(NAME)).length).toBeGreaterThan(2);
    await api.patchSpec(NAME, { revisionHistoryLimit: 1 });
    const r = await api.waitFor(NAME, 'one old ReplicaSet kept', (_r, sets) => sets.length === 2);
    const sets = await api.replicaSets(NAME);
    const idle = sets.filter((rs) => hashOf(rs) !== r.status?.stableRS);
    expect(idle.map(specReplicas)).toEqual([0]);
    expect(idle.map(imageOf)).toEqual([image('4')]);
  });
});
