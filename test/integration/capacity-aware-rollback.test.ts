import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { routeWeights } from './support/analysis.js';
import {
  atSeventyFivePercent,
  CAPACITY_AWARE,
  capacityRollout,
  type RouteEvent,
  stableAvailable,
  waitForRoute,
  watchRoute,
} from './support/capacity.js';
import { available, type EngineEnv, hashOf, specReplicas, startEngine } from './support/rollouts.js';

const REPLICAS = 4;
const READY_SECONDS = 3;

describe('vireo.dev/capacity-aware-rollback through the controller process (real control plane, deploy/ RBAC)', () => {
  let env: EngineEnv;
  beforeAll(async () => {
    env = await startEngine('capacity-rollback');
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('an abort with the stable at 25%: the stable scales back at once, traffic follows its available pods, never ahead', async () => {
    const manifest = capacityRollout('cap', CAPACITY_AWARE, REPLICAS, READY_SECONDS);
    const paused = await atSeventyFivePercent(env, 'cap', manifest);
    const canaryHash = paused.status?.currentPodHash;
    expect(await routeWeights(env, 'cap')).toEqual({ stable: 25, canary: 75 });
    const events: RouteEvent[] = [];
    const watch = await watchRoute(env.kc, env.namespace, 'cap', events);
    const notes = new Set<string>();
    try {
      await env.api.patchStatus('cap', { abort: true });
      await pollUntil(
        async () => {
          // The route event first, then the ReplicaSets: their availability is never older than the route.
          const latest = events.at(-1);
          const [sets, r] = [await env.api.replicaSets('cap'), await env.api.get('cap')];
          const stable = sets.find((rs) => hashOf(rs) === r.status?.stableRS);
          const canary = sets.find((rs) => hashOf(rs) === canaryHash);
          const carried = Math.floor((100 * available(stable ?? {})) / REPLICAS);
          if (latest !== undefined) {
            expect(latest.stable, 'stable never carries more than its available pods').toBeLessThanOrEqual(
              Math.max(25, carried),
            );
            if (latest.canary > 0) expect(specReplicas(canary ?? {}), 'the canary keeps its pods').toBe(3);
          }
          const note = /traffic returns to stable as its pods become available: [^)]*\), canary \d+%/.exec(
            r.status?.message ?? '',
          );
          if (note) notes.add(note[0]);
          return latest?.stable === 100 && r.status?.phase === 'Degraded';
        },
        { timeoutMs: 120_000, intervalMs: 100, description: 'all traffic back on stable' },
      );
      expect(await stableAvailable(env.api, 'cap')).toBe(REPLICAS);
    } finally {
      watch.abort();
    }
    expect([...notes][0]).toBe(
      'traffic returns to stable as its pods become available: stable 25% (1/4 pods available), canary 75%',
    );
    const sets = await env.api.replicaSets('cap');
    const stable = sets.find((rs) => hashOf(rs) === paused.status?.stableRS);
    expect(specReplicas(stable ?? {})).toBe(REPLICAS);
    await waitForRoute(events, 0, (e) => e.stable === 100 && e.canary === 0, 'stable 100%');
  });
});
