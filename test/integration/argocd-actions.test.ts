import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActionRollout,
  enabledRolloutActions,
  type RolloutAction,
  rolloutActionPatches,
} from '../support/argocd/actions.js';
import { rolloutHealth } from '../support/argocd/health.js';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import {
  type EngineEnv,
  hashOf,
  imageOf,
  type RolloutApi,
  type RolloutObject,
  startEngine,
} from './support/rollouts.js';

const STEPS = [
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 75 },
  { pause: {} },
];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 1 };
const NAME = 'app';

describe('Argo CD Rollout actions applied the Argo CD way (reference 6.2), as the admin user', () => {
  let env: EngineEnv;
  let api: RolloutApi;
  const check = safety(FENCE);

  beforeAll(async () => {
    env = await startEngine('argocd-actions');
    api = env.api;
    await api.create(canaryRollout(NAME, 'registry.example/app:1', { steps: STEPS }));
    await api.waitFor(NAME, 'the first deployment', (r) => rolloutHealth(r).status === 'Healthy', check);
  });
  afterAll(async () => {
    await env?.stop();
  });

  /**
   * Runs `action` as Argo CD does: discovery must offer it on the live object; the status part of the merge
   * patch goes to the status subresource first, then the rest (spec) to the main resource.
   */
  async function runAction(action: RolloutAction): Promise<string | undefined> {
    const live = (await api.get(NAME)) as RolloutObject & ActionRollout;
    expect(enabledRolloutActions(live)).toContain(action);
    const patches = rolloutActionPatches(action, live, new Date());
    if (patches.status) await api.patchStatus(NAME, patches.status);
    if (patches.spec) await api.patchSpec(NAME, patches.spec);
    return patches.spec?.restartAt as string | undefined;
  }

  const settledAt = (index: number, health: string) =>
    api.waitFor(
      NAME,
      `step ${index} and ${health} for Argo CD`,
      (r) => r.status?.currentStepIndex === index && rolloutHealth(r).status === health,
      check,
    );

  it('offers only restart on a healthy Rollout, and the pause-step actions once paused', async () => {
    expect(enabledRolloutActions((await api.get(NAME)) as ActionRollout)).toEqual(['restart']);
    await api.patchSpec(NAME, imagePatch('registry.example/app:2'));
    const r = await settledAt(1, 'Suspended');
    expect(enabledRolloutActions(r as ActionRollout)).toEqual([
      'restart',
      'resume',
      'abort',
      'pause',
      'promote-full',
      'skip-current-step',
    ]);
  });

  it('skip-current-step moves past the pause to the next one', async () => {
    await runAction('skip-current-step');
    const r = await settledAt(3, 'Suspended');
    expect(r.status?.pauseConditions?.map((p) => p.reason)).toEqual(['CanaryPauseStep']);
  });

  it('abort goes back to stable (Degraded), and retry starts the steps again', async () => {
    await runAction('abort');
    const aborted = await api.waitFor(
      NAME,
      'abort back on stable',
      (r, sets) =>
        rolloutHealth(r).status === 'Degraded' &&
        sets.every((rs) => hashOf(rs) === r.status?.stableRS || rs.spec?.replicas === 0),
      check,
    );
    expect(enabledRolloutActions(aborted as ActionRollout)).toEqual([
      'restart',
      'retry',
      'promote-full',
      'skip-current-step',
    ]);
    await runAction('retry');
    const retried = await settledAt(1, 'Suspended');
    expect(retried.status?.abort).toBeFalsy();
  });

  it('resume completes a pause step; pause holds the Rollout; resume clears both', async () => {
    await runAction('resume');
    await settledAt(3, 'Suspended');
    await runAction('pause');
    const held = await api.waitFor(
      NAME,
      'spec.paused observed',
      (r) => r.status?.message === 'manually paused',
      check,
    );
    expect(rolloutHealth(held)).toEqual({ status: 'Suspended', message: 'manually paused' });
    expect(enabledRolloutActions(held as ActionRollout)).not.toContain('pause');
    await runAction('resume');
    const r = await settledAt(5, 'Suspended');
    expect(r.spec.paused).toBe(false);
  });

  it('promote-full skips the remaining steps and makes the new version stable', async () => {
    await runAction('promote-full');
    const r = await api.waitFor(
      NAME,
      'full promotion',
      (r, sets) =>
        rolloutHealth(r).status === 'Healthy' &&
        sets.every((rs) => (imageOf(rs) === 'registry.example/app:2') === (rs.spec?.replicas === 4)),
      check,
    );
    expect(r.status?.stableRS).toBe(r.status?.currentPodHash);
    expect(enabledRolloutActions(r as ActionRollout)).toEqual(['restart']);
  });

  it('restart recreates every pod and ends Healthy', async () => {
    const restartAt = await runAction('restart');
    expect(restartAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const r = await api.waitFor(
      NAME,
      'the restart to complete',
      (r) => r.status?.restartedAt === restartAt && rolloutHealth(r).status === 'Healthy',
      check,
    );
    const stable = (await api.replicaSets(NAME)).find((rs) => hashOf(rs) === r.status?.stableRS);
    const pods = await api.pods(stable?.metadata?.name ?? '');
    expect(pods).toHaveLength(4);
    for (const pod of pods) {
      expect(new Date(pod.metadata?.creationTimestamp ?? 0).getTime()).toBeGreaterThanOrEqual(
        Date.parse(restartAt ?? ''),
      );
    }
  });
});
