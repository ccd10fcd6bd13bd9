import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { canaryRollout, imagePatch, safety } from './support/canary.js';
import { type EngineEnv, hashOf, type RolloutApi, startEngine } from './support/rollouts.js';

const STEPS = [{ setWeight: 50 }, { pause: {} }];
const FENCE = { steps: STEPS, maxSurge: 1, maxUnavailable: 1 };

describe('canary engine: pods (restart, canary/stable metadata)', () => {
  let env: EngineEnv;
  let api: RolloutApi;

  beforeAll(async () => {
    env = await startEngine('engine-pods');
    api = env.api;
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** The pods of the ReplicaSet with pod hash `hash` of Rollout `name`. */
  async function podsOf(name: string, hash: string | undefined): Promise<V1Pod[]> {
    const rs = (await api.replicaSets(name)).find((s) => hashOf(s) === hash);
    return api.pods(rs?.metadata?.name ?? '');
  }

  it('restart (spec.restartAt) replaces every older pod within maxUnavailable and records restartedAt', async () => {
    await api.create(canaryRollout('restart', 'registry.example/restart:1', { steps: STEPS }));
    const healthy = await api.waitFor(
      'restart',
      'Healthy',
      (r) => r.status?.phase === 'Healthy',
      safety(FENCE),
    );
    const before = await podsOf('restart', healthy.status?.stableRS);
    expect(before).toHaveLength(4);
    const newest = Math.max(...before.map((p) => new Date(p.metadata?.creationTimestamp ?? 0).getTime()));
    const restartAt = new Date(Math.ceil((newest + 1) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await api.patchSpec('restart', { restartAt });
    const check = safety(FENCE);
    check(healthy, await api.replicaSets('restart'));
    const r = await api.waitFor(
      'restart',
      'the restart to finish',
      (r) => r.status?.restartedAt === restartAt && r.status.phase === 'Healthy',
      check,
    );
    const after = await podsOf('restart', r.status?.stableRS);
    const old = new Set(before.map((p) => p.metadata?.uid));
    expect(after).toHaveLength(4);
    expect(after.filter((p) => old.has(p.metadata?.uid))).toEqual([]);
    await api.waitForEvents('restart', ['RestartingPod', 'RolloutRestarted']);
  });

  it('puts canaryMetadata on canary pods and stableMetadata on stable pods, relabelling on promotion', async () => {
    const canary = {
      canaryMetadata: { labels: { role: 'canary' }, annotations: { 'example.com/track': 'canary' } },
      stableMetadata: { labels: { role: 'stable' } },
    };
    await api.create(canaryRollout('meta', 'registry.example/meta:1', { steps: STEPS, canary }));
    const first = await api.waitFor('meta', 'Healthy', (r) => r.status?.phase === 'Healthy');
    const roles = async (hash: string | undefined) =>
      (await podsOf('meta', hash)).map((p) => p.metadata?.labels?.role);
    expect(await roles(first.status?.stableRS)).toEqual(['stable', 'stable', 'stable', 'stable']);

    await api.patchSpec('meta', imagePatch('registry.example/meta:2'));
    const paused = await api.waitFor('meta', 'the pause at 50%', (r) => r.status?.phase === 'Paused');
    const canaryHash = paused.status?.currentPodHash;
    const canaryPods = await podsOf('meta', canaryHash);
    expect(canaryPods.map((p) => p.metadata?.labels?.role)).toEqual(['canary', 'canary']);
    expect(canaryPods[0]?.metadata?.annotations?.['example.com/track']).toBe('canary');
    expect(await roles(paused.status?.stableRS)).toEqual(['stable', 'stable']);

    await api.patchStatus('meta', { pauseConditions: null });
    await api.waitFor(
      'meta',
      'promotion',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === canaryHash,
    );
    await pollUntil(
      async () => {
        const pods = await podsOf('meta', canaryHash);
        return (
          pods.length === 4 &&
          pods.every(
            (p) => p.metadata?.labels?.role === 'stable' && !p.metadata.annotations?.['example.com/track'],
          )
        );
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the promoted pods relabelled stable' },
    );
  });
});
