import type { CanaryStep } from '../../api/index.js';
import { type ReplicaCounts, trafficWeightToReplicas } from './replica-counts.js';

/**
 * `minPodsPerReplicaSet` applied to one count (Argo `CheckMinPodsPerReplicaSet`): a non-zero `count` is raised
 * to `min`, itself capped at `replicas`; 0 stays 0, and no `min` leaves the count alone.
 * Examples (replicas 10): (1, 2) → 2; (0, 2) → 0; (5, 2) → 5; (1, 20) → 10; (3, undefined) → 3.
 */
export function atLeastMinPods(count: number, min: number | undefined, replicas: number): number {
  if (count === 0 || min === undefined) return count;
  return Math.max(count, Math.min(min, replicas));
}

/** Input of `dynamicStableCounts`: the canary count already decided, and the weights the router carries now. */
export interface DynamicStableInput {
  replicas: number;
  /** The canary weight the replica math aims for (see `abortStepDownWeight` while aborted). */
  weight: number;
  maxWeight: number;
  /** The canary count from the traffic-routed math (before the `minPodsPerReplicaSet` floor). */
  canary: number;
  /** The stable weight the router carries now (`maxWeight` when nothing is recorded for the stable). */
  appliedStableWeight: number;
  minPodsPerReplicaSet?: number;
}

/**
 * Argo `CalculateReplicaCountsForTrafficRoutedCanary` with `dynamicStableScale`: the stable keeps the larger of
 * the pods its desired share needs and the pods the share it carries now needs,
 * stable = max(⌈r·(max − w)/max⌉, ⌈r·appliedStable/max⌉), so it shrinks only after traffic left it and grows
 * before traffic comes back; both counts then get the `minPodsPerReplicaSet` floor.
 * Examples (r 10, max 100): w 20, canary 2, applied 100 → 2/10; w 20, canary 2, applied 80 → 2/8;
 * w 50, canary 5, applied 80 → 5/8; w 100, canary 10, applied 0 → 10/0; w 90, canary 9, applied 10, min 2 → 9/2.
 */
export function dynamicStableCounts(input: DynamicStableInput): ReplicaCounts {
  const { replicas, maxWeight, minPodsPerReplicaSet: min } = input;
  const desired = trafficWeightToReplicas(replicas, maxWeight - input.weight, maxWeight);
  const carried = trafficWeightToReplicas(replicas, input.appliedStableWeight, maxWeight);
  return {
    canary: atLeastMinPods(input.canary, min, replicas),
    stable: atLeastMinPods(Math.max(desired, carried), min, replicas),
  };
}

/**
 * The canary weight an aborted `dynamicStableScale` canary scales towards (Argo `GetDesiredCanaryWeight`): the
 * last `setWeight` (scanning from the end) whose pods are fewer than `canaryPods`, else 0. `canaryPods` is what
 * the canary still serves with: max(r − stable available, canary available). So the abort walks the setWeight
 * values in reverse, one step per stable catch-up. Examples (r 10, steps 20/50/80): canaryPods 8 → 50;
 * 5 → 20; 2 → 0; 10 → 80.
 */
export function abortStepDownWeight(
  steps: readonly CanaryStep[],
  replicas: number,
  maxWeight: number,
  canaryPods: number,
): number {
  for (let i = steps.length - 1; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined && trafficWeightToReplicas(replicas, weight, maxWeight) < canaryPods)
      return weight;
  }
  return 0;
}

/** Input of `abortTrafficWeight`. */
export interface AbortTrafficInput {
  replicas: number;
  maxWeight: number;
  stableAvailable: number;
  /** `abortStepDownWeight` for this pass. */
  stepWeight: number;
  /** The canary weight the router carries now; `undefined` when no weight was ever recorded. */
  current: number | undefined;
}

/**
 * The router's canary weight while an abort with `dynamicStableScale` steps down (Argo
 * `calculateDesiredWeightOnAbortOrStableRollback`). The stable can carry ⌊max·available/r⌋; the canary weight
 * never rises, and it drops to `stepWeight` only once the stable can carry max − stepWeight (until then it
 * stays at `current`); past the last step it drops to what the stable cannot carry yet, max − ⌊max·available/r⌋.
 * Examples (r 10, max 100): step 50, current 80, stable 2 → 80; stable 5 → 50; step 0, current 20, stable 8 → 20;
 * stable 10 → 0; nothing recorded, step 50, stable 2 → 80.
 */
export function abortTrafficWeight(input: AbortTrafficInput): number {
  const { replicas, maxWeight, stableAvailable, stepWeight, current } = input;
  if (replicas === 0) return 0;
  const carriedByStable = Math.floor((maxWeight * stableAvailable) / replicas);
  const uncarried = Math.max(0, maxWeight - carriedByStable);
  if (current === undefined) return Math.max(uncarried, stepWeight);
  if (stepWeight <= 0) return Math.min(uncarried, current);
  if (carriedByStable < maxWeight - stepWeight) return current;
  return Math.min(stepWeight, current);
}

/**
 * The router's canary weight while promoting fully with `dynamicStableScale` (Argo): what the canary's available
 * pods carry, ⌊max · available / r⌋, so traffic follows the canary as it scales up and the stable shrinks after
 * it. Examples (r 10, max 100): 2 → 20; 7 → 70; 10 → 100; r 3, 1 → 33.
 */
export function promoteFullTrafficWeight(
  replicas: number,
  maxWeight: number,
  canaryAvailable: number,
): number {
  return replicas === 0 ? maxWeight : Math.floor((maxWeight * canaryAvailable) / replicas);
}

/** Input of `capacityRollbackWeight`. */
export interface CapacityRollbackInput {
  replicas: number;
  maxWeight: number;
  /** The stable ReplicaSet's available pods now. */
  stableAvailable: number;
  /** The canary weight the router carries now (0 when none was ever recorded for this canary). */
  current: number;
}

/**
 * The canary weight of Vireo's capacity-aware return to stable (`vireo.dev/capacity-aware-rollback`, and a
 * pause on a failed analysis): the stable takes what its available pods carry, ⌊max · available / r⌋, and the
 * canary keeps the rest, never more than it carries now. So traffic moves to stable in one write when stable has
 * all its pods, and otherwise in proportion as each stable pod becomes available (no setWeight steps); the
 * stable never gets more than its pods carry unless it already had it.
 * Examples (r 10, max 100, canary at 75): stable 10 available → 0; 4 → 60; 2 → 75; 0 → 75; r 3, 1 → 67.
 */
export function capacityRollbackWeight(input: CapacityRollbackInput): number {
  const { replicas, maxWeight, stableAvailable, current } = input;
  if (replicas <= 0) return 0;
  const carried = Math.min(maxWeight, Math.floor((maxWeight * stableAvailable) / replicas));
  return Math.max(0, Math.min(current, maxWeight - carried));
}
