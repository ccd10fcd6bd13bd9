import { expect } from 'vitest';
import { approximateCanaryStable } from '../../../src/rollout/core/replica-counts.js';
import { setWeightAt } from '../../../src/rollout/core/steps.js';
import { available, type Check, hashOf, specReplicas } from './rollouts.js';

/** What a scenario's Rollout looks like; everything but name and image has a small default. */
export interface RolloutShape {
  replicas?: number;
  steps?: object[];
  /** Extra pod-template labels (e.g. `vireo.test/ready: "false"`). */
  labels?: Record<string, string>;
  /** Extra fields of `spec` and of `spec.strategy.canary`. */
  spec?: Record<string, unknown>;
  canary?: Record<string, unknown>;
}

/** A basic-canary Rollout manifest (selector `app=<name>`, one container `app`). */
export function canaryRollout(name: string, image: string, shape: RolloutShape = {}): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas: shape.replicas ?? 4,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...shape.labels } },
        spec: { containers: [{ name: 'app', image }] },
      },
      strategy: { canary: { steps: shape.steps ?? [], ...shape.canary } },
      ...shape.spec,
    },
  };
}

/** The pod template patch that sets the image of container `app`. */
export function imagePatch(image: string, labels?: Record<string, string>): object {
  return {
    template: {
      ...(labels ? { metadata: { labels } } : {}),
      spec: { containers: [{ name: 'app', image }] },
    },
  };
}

/** The fence of a scenario: steps and resolved maxSurge/maxUnavailable (pods). */
export interface Fence {
  steps: readonly { setWeight?: number }[];
  maxSurge: number;
  maxUnavailable: number;
  /** false when pods never become Ready by design (availability is then not checked). */
  availability?: boolean;
}

/**
 * The safety invariants, on every observation: before promotion (not aborted, not promoting fully) the stable
 * ReplicaSet keeps at least the share the current step's weight leaves it (Argo's basic-canary split);
 * and, from the observation after the first Healthy one, while the ReplicaSets ask for at least `spec.replicas` pods, at
 * least `replicas − maxUnavailable` are available. One `safety(...)` per scenario (it remembers Healthy).
 */
export function safety(fence: Fence): Check {
  let armed = false;
  return (r, sets) => {
    const s = r.status ?? {};
    // The ReplicaSets are read before the Rollout, so the first Healthy observation may pair it with an older
    // ReplicaSet read: the availability check starts from the observation after it.
    const checkAvailability = armed;
    armed ||= s.phase === 'Healthy';
    const replicas = Number(r.spec.replicas ?? 1);
    const stable = sets.find((rs) => hashOf(rs) === s.stableRS);
    const midUpdate = s.stableRS !== s.currentPodHash && !s.abort && !s.promoteFull;
    if (stable && midUpdate && s.currentStepIndex !== undefined) {
      const weight = setWeightAt(fence.steps, s.currentStepIndex, 100);
      const need = approximateCanaryStable(replicas, weight, fence.maxSurge).stable;
      expect(specReplicas(stable), `stable ${stable.metadata?.name} below its share`).toBeGreaterThanOrEqual(
        need,
      );
    }
    const asked = sets.reduce((sum, rs) => sum + specReplicas(rs), 0);
    if (!checkAvailability || fence.availability === false || asked < replicas) return;
    const total = sets.reduce((sum, rs) => sum + available(rs), 0);
    expect(total, 'available pods below replicas − maxUnavailable').toBeGreaterThanOrEqual(
      replicas - fence.maxUnavailable,
    );
  };
}
