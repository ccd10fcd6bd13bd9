import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, type RolloutObject, startEngine } from './support/rollouts.js';

let env: EngineEnv;
const NAME = 'promoted';

beforeAll(async () => {
  env = await startEngine('promote-full');
});
afterAll(async () => env?.stop());

/** Sets the image, waits for the release to wait at its pause, sends `promoteFull` once; the promoted Rollout. */
async function releaseAndPromoteOnce(image: string): Promise<RolloutObject> {
  const before = await env.api.get(NAME);
  await env.api.patchSpec(NAME, imagePatch(image));
  const paused = await env.api.waitFor(
    NAME,
    `${image} waiting at its pause`,
    (r) =>
      r.status?.phase === 'Paused' &&
      r.status.currentPodHash !== before.status?.currentPodHash &&
      r.status.currentStepIndex === 1,
  );
  await env.api.patchStatus(NAME, { promoteFull: true });
  const hash = paused.status?.currentPodHash;
  return env.api.waitFor(
    NAME,
    `${image} promoted`,
    (r) => r.status?.phase === 'Healthy' && r.status.stableRS === hash,
  );
}

describe('promote --full on the real control plane', () => {
  it('a single promoteFull sent while the release waits at its pause is never lost', async () => {
    const steps = [{ setWeight: 50 }, { pause: {} }];
    await env.api.create(
      canaryRollout(NAME, 'shop:v0', { replicas: 2, steps, spec: { rollbackWindow: { revisions: 1 } } }),
    );
    await env.api.waitFor(NAME, 'v0 Healthy', (r) => r.status?.phase === 'Healthy');
    for (let i = 1; i <= 8; i++) {
      const done = await releaseAndPromoteOnce(`shop:v${i}`);
      expect(done.status?.promoteFull).toBeUndefined();
    }
  });
});
