import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../harness/wait.js';
import type { Rollout } from '../../../src/api/index.js';
import { promotePatch } from '../../../src/api/user-commands.js';
import type { ResourceType } from '../../../src/kube/client.js';
import { canaryRollout, imagePatch } from './canary.js';
import { type EngineEnv, hashOf, type RolloutObject, specReplicas, startEngine } from './rollouts.js';
import { createServices, type TrafficEnv, trafficEnvOf } from './traffic.js';

/** How long a hand edit may stay before the watch-driven reconcile restores it (generous: shared CI cores). */
export const HEAL_DEADLINE_MS = 5_000;

/** A hand edit: JSON-patches the fields at `weights` (JSON pointers) of object `name` to the given values. */
export async function patchByHand(
  t: TrafficEnv,
  resource: ResourceType,
  name: string,
  weights: Record<string, number>,
): Promise<void> {
  const ops = Object.entries(weights).map(([path, value]) => ({ op: 'replace' as const, path, value }));
  await t.client.patch(resource, { namespace: t.namespace, name }, { type: 'json', ops });
}

/** One router's part of the scenario: its objects, how to read and disturb them, what clean-up leaves. */
export interface RouterCase {
  /** Rollout name, Services `<name>-stable`/`<name>-canary`, namespace prefix. */
  name: string;
  /** `spec.strategy.canary.trafficRouting`. */
  trafficRouting: object;
  /** Steps between `setWeight: 20` and its pause (e.g. a `setHeaderRoute`). */
  stepsAt20?: object[];
  /** Creates the routed objects (Services exist already). */
  setup(t: TrafficEnv): Promise<void>;
  /** The canary weight the routed objects show, read from them (not through the router). */
  canaryWeight(t: TrafficEnv): Promise<number>;
  /** Puts a wrong weight into the routed objects by hand. */
  handEdit(t: TrafficEnv): Promise<void>;
  /** Checks while paused at 20%, with the stable and canary pod hashes. */
  checkAt20?(t: TrafficEnv, hashes: { stable: string; canary: string }): Promise<void>;
  /** Checks once the update is fully promoted. */
  checkPromoted?(t: TrafficEnv): Promise<void>;
  /** Routing naming objects that do not exist, and the `status.message` that must say so (with the path). */
  missing: { trafficRouting: object; message: RegExp };
  /** True once the Rollout's deletion left the routed objects as the user wrote them (100% stable). */
  cleanedUp(t: TrafficEnv): Promise<boolean>;
}

function stepsOf(c: RouterCase): object[] {
  return [
    { setWeight: 20 },
    ...(c.stepsAt20 ?? []),
    { pause: {} },
    { setWeight: 50 },
    { pause: {} },
    { setWeight: 100 },
    { pause: {} },
  ];
}

/** The index of the pause following `setWeight: weight`. */
function pauseAfter(steps: readonly object[], weight: number): number {
  const at = steps.findIndex((s) => (s as { setWeight?: number }).setWeight === weight);
  return steps.findIndex((s, i) => i > at && 'pause' in s);
}

const canarySet = (r: RolloutObject, sets: V1ReplicaSet[]) =>
  sets.find((rs) => hashOf(rs) === r.status?.currentPodHash && hashOf(rs) !== r.status?.stableRS);

/**
 * The scenario every router runs through the controller (the deploy/ ServiceAccount): a Rollout walking
 * 20 → 50 → 100 with the routed object checked at every pause, a hand edit healed from the watch, full
 * promotion back to 100% stable, an abort that returns 100% to stable before the canary scales down, and
 * deletion restoring the routed objects.
 */
export function describeRouterScenario(c: RouterCase): void {
  const steps = stepsOf(c);
  describe(`${c.name}: a canary through the controller against the real API server`, () => {
    let env: EngineEnv;
    let t: TrafficEnv;
    const weightIs = (weight: number, what: string) =>
      pollUntil(async () => (await c.canaryWeight(t)) === weight, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: `${c.name}: canary weight ${weight} (${what})`,
      });
    const pausedAt = (index: number) =>
      env.api.waitFor(
        c.name,
        `paused at step ${index}`,
        (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === index,
      );
    const promote = async () => {
      const patch = promotePatch((await env.api.get(c.name)) as unknown as Rollout);
      if (patch.spec) await env.api.patchSpec(c.name, patch.spec);
      if (patch.status) await env.api.patchStatus(c.name, patch.status);
    };

    beforeAll(async () => {
      env = await startEngine(`router-${c.name}`);
      t = trafficEnvOf(env);
      await createServices(t.client, t.namespace, c.name, [`${c.name}-stable`, `${c.name}-canary`]);
      await c.setup(t);
      const canary = {
        canaryService: `${c.name}-canary`,
        stableService: `${c.name}-stable`,
        abortScaleDownDelaySeconds: 2,
        trafficRouting: c.trafficRouting,
      };
      await env.api.create(
        canaryRollout(c.name, `registry.example/${c.name}:1`, { replicas: 2, steps, canary }),
      );
      await env.api.waitFor(c.name, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('walks 20 → 50 → 100, heals a hand edit within the deadline, and promotes back to 100% stable', async () => {
      expect(await c.canaryWeight(t)).toBe(0);
      await env.api.patchSpec(c.name, imagePatch(`registry.example/${c.name}:2`));
      const at20 = await pausedAt(pauseAfter(steps, 20));
      await weightIs(20, 'paused at 20%');
      const hashes = { stable: at20.status?.stableRS ?? '', canary: at20.status?.currentPodHash ?? '' };
      await c.checkAt20?.(t, hashes);
      await c.handEdit(t);
      const since = performance.now();
      await pollUntil(async () => (await c.canaryWeight(t)) === 20, {
        timeoutMs: HEAL_DEADLINE_MS,
        intervalMs: 25,
        description: `${c.name}: hand edit healed back to 20`,
      });
      process.stderr.write(`${c.name}: hand edit healed in ${Math.round(performance.now() - since)} ms\n`);
      for (const weight of [50, 100]) {
        await promote();
        await pausedAt(pauseAfter(steps, weight));
        await weightIs(weight, `paused at ${weight}%`);
      }
      await promote();
      await env.api.waitFor(c.name, 'v2 Healthy', (r) => r.status?.phase === 'Healthy');
      await weightIs(0, 'fully promoted');
      await c.checkPromoted?.(t);
    });

    it('abort returns 100% to stable before the canary scales down', async () => {
      await env.api.patchSpec(c.name, imagePatch(`registry.example/${c.name}:3`));
      await pausedAt(pauseAfter(steps, 20));
      await weightIs(20, 'v3 paused at 20%');
      const before = await env.api.waitFor(c.name, 'canary scaled up', (r, sets) =>
        Boolean(r.status && specReplicas(canarySet(r, sets) ?? ({} as V1ReplicaSet)) > 0),
      );
      const canaryHash = before.status?.currentPodHash;
      await env.api.patchStatus(c.name, { abort: true });
      await pollUntil(
        async () => {
          // ReplicaSets first, then the routed objects: a canary seen scaled down implies the later read of
          // the traffic already shows 100% stable.
          const sets = await env.api.replicaSets(c.name);
          const canaryReplicas = specReplicas(
            sets.find((rs) => hashOf(rs) === canaryHash) ?? ({} as V1ReplicaSet),
          );
          const weight = await c.canaryWeight(t);
          if (canaryReplicas < 1) expect(weight, 'canary scaled down while it still had traffic').toBe(0);
          return canaryReplicas === 0 && weight === 0;
        },
        { timeoutMs: 60_000, intervalMs: 50, description: `${c.name}: abort to 100% stable, canary at 0` },
      );
    });

    it('a Rollout naming a missing object is InvalidSpec with the field path, and creates no ReplicaSet', async () => {
      const name = `${c.name}-missing`;
      await createServices(t.client, t.namespace, name, [`${name}-stable`, `${name}-canary`]);
      const canary = {
        canaryService: `${name}-canary`,
        stableService: `${name}-stable`,
        trafficRouting: c.missing.trafficRouting,
      };
      await env.api.create(canaryRollout(name, `registry.example/${name}:1`, { replicas: 1, steps, canary }));
      const r = await env.api.waitFor(name, 'Degraded', (x) => x.status?.phase === 'Degraded');
      expect(await env.api.replicaSets(name)).toEqual([]);
      expect(r.status?.conditions?.find((x) => x.type === 'InvalidSpec')?.status).toBe('True');
      expect(r.status?.message).toMatch(c.missing.message);
    });

    it('deleting the Rollout mid-update leaves the routed objects at 100% stable, without what Vireo created', async () => {
      await env.api.patchStatus(c.name, { abort: false });
      await pausedAt(pauseAfter(steps, 20));
      await weightIs(20, 'retried, paused at 20%');
      await env.api.delete(c.name);
      await pollUntil(() => c.cleanedUp(t), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: `${c.name}: clean-up after deletion`,
      });
    });
  });
}
