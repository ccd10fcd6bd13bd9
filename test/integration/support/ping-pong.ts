import type { V1ReplicaSet } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { pollUntil } from '../../../harness/wait.js';
import { available, type EngineEnv, hashOf, type RolloutObject } from './rollouts.js';
import { selectedHash, type TrafficEnv } from './traffic.js';

/** One Rollout's ping-pong world as read from the API server (route weights read first, Rollout last). */
export interface PingPongObservation {
  /** Route weight by Service name (host or backendRef), e.g. `{ 'web-ping': 70, 'web-pong': 30 }`. */
  weights: Record<string, number>;
  /** The pod hash each of the two Services selects. */
  selectors: Record<string, string | undefined>;
  sets: V1ReplicaSet[];
  rollout: RolloutObject & { status?: { canary?: { stablePingPong?: string; weights?: object } } };
}

/** Where a ping-pong scenario reads from. */
export interface PingPongScene {
  env: EngineEnv;
  traffic: TrafficEnv;
  rollout: string;
  services: readonly [string, string];
  /** The split's weights by Service name (a VirtualService route or an HTTPRoute rule). */
  readWeights(): Promise<Record<string, number>>;
}

/**
 * Reads the Rollout first (so a recorded `status.canary.weights` means every write of that pass already
 * happened), then the route, the Services and the ReplicaSets.
 */
export async function observe(scene: PingPongScene): Promise<PingPongObservation> {
  const rollout = await scene.env.api.get(scene.rollout);
  const weights = await scene.readWeights();
  const selectors: Record<string, string | undefined> = {};
  for (const service of scene.services) selectors[service] = await selectedHash(scene.traffic, service);
  const sets = await scene.env.api.replicaSets(scene.rollout);
  return { weights, selectors, sets, rollout };
}

/**
 * The invariants checked at every observation: the weights sum to 100, and, once the controller has
 * recorded the traffic it applied (before that the route and Services are as the user created them),
 * every Service that gets traffic selects a ReplicaSet with an available pod (so the stable share only
 * ever reaches serving pods).
 */
export function expectServing(seen: PingPongObservation): void {
  const total = Object.values(seen.weights).reduce((sum, w) => sum + w, 0);
  expect(total, `weights ${JSON.stringify(seen.weights)}`).toBe(100);
  if (seen.rollout.status?.canary?.weights === undefined) return;
  for (const [service, weight] of Object.entries(seen.weights)) {
    if (weight === 0) continue;
    const hash = seen.selectors[service];
    const rs = seen.sets.find((s) => hashOf(s) === hash);
    const where = `${service} (weight ${weight}) selects ${hash ?? 'nothing'}`;
    expect(rs === undefined ? 0 : available(rs), where).toBeGreaterThan(0);
  }
}

/**
 * Polls until `predicate` holds, checking `expectServing` on every observation; a violation fails at once.
 * Returns the observation that satisfied the predicate.
 */
export async function waitServing(
  scene: PingPongScene,
  description: string,
  predicate: (seen: PingPongObservation) => boolean,
  timeoutMs = 90_000,
): Promise<PingPongObservation> {
  const outcome = await pollUntil(
    async () => {
      const seen = await observe(scene);
      try {
        expectServing(seen);
      } catch (violation) {
        return { violation };
      }
      return predicate(seen) && { seen };
    },
    { timeoutMs, intervalMs: 150, description },
  );
  if ('violation' in outcome) throw outcome.violation;
  return outcome.seen;
}

/** The Rollout's recorded stable side. */
export const sideOf = (seen: PingPongObservation) => seen.rollout.status?.canary?.stablePingPong;

/** A ping-pong canary: `steps`, Services `<name>-ping`/`<name>-pong`, and the given routing. */
export function pingPongCanary(
  name: string,
  trafficRouting: object,
  extra: object = {},
): Record<string, unknown> {
  return {
    pingPong: { pingService: `${name}-ping`, pongService: `${name}-pong` },
    trafficRouting,
    ...extra,
  };
}
