import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, type RolloutObject, startEngine } from './support/rollouts.js';

let env: EngineEnv;
const NAME = 'windowed';

beforeAll(async () => {
  env = await startEngine('rollback-window');
});
afterAll(async () => env?.stop());

/** Sets the image and, unless it is a fast rollback, promotes fully; resolves once it is stable. */
async function release(image: string, promote: boolean): Promise<string> {
  const before = await env.api.get(NAME);
  await env.api.patchSpec(NAME, imagePatch(image));
  const moved = await env.api.waitFor(
    NAME,
    `${image} picked up`,
    (r) => r.status?.currentPodHash !== before.status?.currentPodHash,
  );
  const stable = (r: RolloutObject) =>
    r.status?.phase === 'Healthy' && r.status?.stableRS === moved.status?.currentPodHash;
  if (promote) {
    await env.api.waitFor(
      NAME,
      `${image} paused`,
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
    );
    await env.api.patchStatus(NAME, { promoteFull: true });
  }
  const done = await env.api.waitFor(NAME, `${image} stable`, stable);
  return done.status?.stableRS ?? '';
}

describe('rollbackWindow on the real control plane', () => {
  it('rolls back to the previous revision at once, skipping the steps', async () => {
    const steps = [{ setWeight: 50 }, { pause: {} }];
    await env.api.create(
      canaryRollout(NAME, 'shop:v1', { replicas: 2, steps, spec: { rollbackWindow: { revisions: 1 } } }),
    );
    await env.api.waitFor(NAME, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    const v2 = await release('shop:v2', true);
    await release('shop:v3', true);
    expect(await release('shop:v2', false)).toBe(v2);
    const events = await env.api.waitForEvents(NAME, ['SkipSteps']);
    expect(events.some((e) => e.message?.includes('Rollback within window'))).toBe(true);
  });
});
