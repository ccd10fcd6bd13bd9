import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../harness/wait.js';
import { abortPatch, retryPatch } from '../../../src/api/user-commands.js';
import { canaryRollout, imagePatch } from './canary.js';
import { type EngineEnv, hashOf, type RolloutObject, specReplicas, startEngine } from './rollouts.js';
import { createServices, type TrafficEnv, trafficEnvOf } from './traffic.js';

/** The canary and stable weights a routed object shows (undefined: not written, or the object is gone). */
export interface RoutedWeights {
  canary: number | undefined;
  stable: number | undefined;
}

/**
 * One router's part of the shared scenario: the Rollout is `name` with Services `<name>-stable` and
 * `<name>-canary` (port 80, created by the scenario) and the routing `trafficRouting(name)` returns.
 */
export interface RouterScenario {
  /** Namespace prefix and Rollout name. */
  name: string;
  /** Extra controller flags (e.g. `--traffic-split-api-version=v1alpha4`). */
  controllerArgs?: string[];
  trafficRouting(name: string): object;
  /** Creates the user-owned routed objects before the Rollout exists. */
  setup(t: TrafficEnv, name: string): Promise<void>;
  /** What the routed object shows now. */
  weights(t: TrafficEnv, name: string): Promise<RoutedWeights>;
  /** Moves the split to 50/50 by hand, as a user with kubectl would. */
  handEdit(t: TrafficEnv, name: string): Promise<void>;
  /** True once the routed object shows the clean-up of a deleted Rollout. */
  cleanedUp(t: TrafficEnv, name: string): Promise<boolean>;
  /** A Rollout whose routing refers to a missing or foreign object, and the start of its InvalidSpec message. */
  invalid: { name: string; prepare?(t: TrafficEnv): Promise<void>; routing: object; message: string };
}

const STEPS = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 100 },
  { pause: {} },
];
const HEAL_DEADLINE_MS = 5_000;

const pausedAt = (index: number) => (r: RolloutObject) =>
  r.status?.phase === 'Paused' && r.status.currentStepIndex === index;

function routedRollout(name: string, image: string, trafficRouting: object): object {
  return canaryRollout(name, image, {
    replicas: 2,
    steps: STEPS,
    canary: {
      canaryService: `${name}-canary`,
      stableService: `${name}-stable`,
      abortScaleDownDelaySeconds: 2,
      trafficRouting,
    },
  });
}

/**
 * The scenario every router of issue 20 passes through the running controller (as deploy/'s ServiceAccount):
 * 0 at rest; 20 → 50 → 100 with the routed object checked (weights summing to 100) at every step, then 0
 * after promotion; a hand edit healed within {@link HEAL_DEADLINE_MS}; an abort returning 100% to stable
 * before the canary ReplicaSet scales down; clean-up when the Rollout is deleted; InvalidSpec with the
 * router's field path for a missing or foreign routed object.
 */
export function describeRouterScenario(s: RouterScenario): void {
  const { name } = s;
  describe(`${name} router, through the controller`, () => {
    let env: EngineEnv;
    let t: TrafficEnv;
    const weightsAre = (canary: number, what: string) =>
      pollUntil(
        async () => {
          const w = await s.weights(t, name);
          return w.canary === canary && w.stable === 100 - canary && w;
        },
        { timeoutMs: 30_000, intervalMs: 100, description: `${name}: ${what} at ${canary}/${100 - canary}` },
      );
    const image = (n: number) => `registry.example/${name}:${n}`;
    const resume = () => env.api.patchStatus(name, { pauseConditions: null });

    beforeAll(async () => {
      env = await startEngine(name, s.controllerArgs);
      t = trafficEnvOf(env);
      await createServices(t.client, t.namespace, name, [`${name}-stable`, `${name}-canary`]);
      await s.setup(t, name);
      await env.api.create(routedRollout(name, image(1), s.trafficRouting(name)));
      await env.api.waitFor(name, 'v1 Healthy', (r) => r.status?.phase === 'Healthy');
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('routes everything to stable at rest', async () => {
      await weightsAre(0, 'at rest');
    });

    it('walks 20 → 50 → 100, checking the routed object at every step, then 0 after promotion', async () => {
      await env.api.patchSpec(name, imagePatch(image(2)));
      for (const [index, weight] of [
        [1, 20],
        [3, 50],
        [5, 100],
      ] as const) {
        await env.api.waitFor(name, `paused at ${weight}%`, pausedAt(index));
        await weightsAre(weight, `step ${index}`);
        await resume();
      }
      await env.api.waitFor(name, 'v2 Healthy', (r) => r.status?.phase === 'Healthy');
      await weightsAre(0, 'after promotion');
    });

    it('heals a hand edit of the weights', async () => {
      await env.api.patchSpec(name, imagePatch(image(3)));
      await env.api.waitFor(name, 'paused at 20%', pausedAt(1));
      await weightsAre(20, 'before the edit');
      const since = performance.now();
      await s.handEdit(t, name);
      await weightsAre(20, 'healed');
      const ms = performance.now() - since;
      process.stderr.write(`${name}: hand edit healed in ${Math.round(ms)} ms\n`);
      expect(ms).toBeLessThan(HEAL_DEADLINE_MS);
    });

    it('on abort, returns 100% to stable before the canary scales down', async () => {
      const paused = await env.api.get(name);
      const canaryHash = paused.status?.currentPodHash;
      const canaryOf = (sets: V1ReplicaSet[]) => sets.find((rs) => hashOf(rs) === canaryHash);
      const before = specReplicas(canaryOf(await env.api.replicaSets(name)) as V1ReplicaSet);
      expect(before).toBeGreaterThan(0);
      await env.api.patchStatus(name, abortPatch().status ?? {});
      await pollUntil(
        async () => {
          // ReplicaSets first: a scale-down seen here must find the weights already back at stable.
          const replicas = specReplicas(canaryOf(await env.api.replicaSets(name)) as V1ReplicaSet);
          const w = await s.weights(t, name);
          if (replicas < before) expect(w).toEqual({ canary: 0, stable: 100 });
          return replicas === 0;
        },
        { timeoutMs: 60_000, intervalMs: 50, description: `${name}: canary scaled down after abort` },
      );
      await weightsAre(0, 'aborted');
    });

    it('cleans up the routed object when the Rollout is deleted mid-canary', async () => {
      await env.api.patchStatus(name, retryPatch().status ?? {});
      await env.api.waitFor(name, 'paused at 20% again', (r) => !r.status?.abort && pausedAt(1)(r));
      await weightsAre(20, 'retried');
      await env.api.delete(name);
      await pollUntil(() => s.cleanedUp(t, name), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: `${name}: clean-up after deletion`,
      });
    });

    it('refuses a missing or foreign routed object with InvalidSpec and the field path', async () => {
      const { invalid } = s;
      const services = [`${invalid.name}-stable`, `${invalid.name}-canary`];
      await createServices(t.client, t.namespace, invalid.name, services);
      await invalid.prepare?.(t);
      await env.api.create(routedRollout(invalid.name, image(1), invalid.routing));
      const r = await env.api.waitFor(invalid.name, 'Degraded', (x) => x.status?.phase === 'Degraded');
      expect(r.status?.message).toContain(invalid.message);
      expect(await env.api.replicaSets(invalid.name)).toEqual([]);
    });
  });
}
