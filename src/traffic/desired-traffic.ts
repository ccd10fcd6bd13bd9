import type { SetHeaderRoute, SetMirrorRoute } from '../api/index.js';

/** Default of `trafficRouting.maxTrafficWeight`; Istio always uses this base. */
export const DEFAULT_MAX_TRAFFIC_WEIGHT = 100;

/** One header match of a `setHeaderRoute` step. */
export type HeaderMatch = NonNullable<SetHeaderRoute['match']>[number];

/** One request match of a `setMirrorRoute` step (method, path and headers are ANDed). */
export type MirrorMatch = NonNullable<SetMirrorRoute['match']>[number];

/** A header route that should exist now: requests matching `match` go to the canary only. */
export interface DesiredHeaderRoute {
  name: string;
  match: readonly HeaderMatch[];
}

/** A mirror route that should exist now: `percentage` (Argo's default 100) of matching requests are copied to the canary. */
export interface DesiredMirrorRoute {
  name: string;
  match: readonly MirrorMatch[];
  percentage: number;
}

/**
 * The traffic state one reconcile wants. Invariant: `canaryWeight + stableWeight` is the router's total
 * (`maxTrafficWeight`, default 100) and both are integers ≥ 0. Header and mirror routes listed here should
 * exist; managed routes not listed should not. A hash left undefined means "no pod hash" (labels removed).
 */
export interface DesiredTraffic {
  canaryWeight: number;
  stableWeight: number;
  canaryHash?: string;
  stableHash?: string;
  headerRoutes: readonly DesiredHeaderRoute[];
  mirrorRoutes: readonly DesiredMirrorRoute[];
  /** Placeholder for Experiment destinations (Argo `status.canary.weights.additional`); see `ExperimentWeight`. */
  experimentWeights?: readonly ExperimentWeight[];
}

/**
 * The weight an Experiment's Service would get (Argo's additional destinations). A placeholder until
 * Experiments route traffic (issue 19): no plan sets it yet, and `desiredTrafficOf` refuses a non-empty
 * list so no router ever receives weights it would silently drop.
 */
export interface ExperimentWeight {
  serviceName: string;
  podTemplateHash: string;
  weight: number;
}

/** Input of `desiredTrafficOf`; only `canaryWeight` is required. */
export interface DesiredTrafficInput {
  canaryWeight: number;
  maxTrafficWeight?: number;
  canaryHash?: string;
  stableHash?: string;
  headerRoutes?: readonly DesiredHeaderRoute[];
  mirrorRoutes?: readonly DesiredMirrorRoute[];
  experimentWeights?: readonly ExperimentWeight[];
}

/**
 * Builds a `DesiredTraffic` with `stableWeight = max − canaryWeight`. Examples: (20) → 20/80;
 * (0, max 1000) → 0/1000; (100) → 100/0. Throws `RangeError` (a programmer error) when a weight is not
 * an integer, `canaryWeight` is outside `[0, max]`, or experiment weights are given (not routed yet).
 */
export function desiredTrafficOf(input: DesiredTrafficInput): DesiredTraffic {
  const max = input.maxTrafficWeight ?? DEFAULT_MAX_TRAFFIC_WEIGHT;
  const { canaryWeight } = input;
  if (!Number.isInteger(max) || max <= 0) throw new RangeError(`maxTrafficWeight must be > 0, got ${max}`);
  if (!Number.isInteger(canaryWeight) || canaryWeight < 0 || canaryWeight > max) {
    throw new RangeError(`canaryWeight must be an integer in [0, ${max}], got ${canaryWeight}`);
  }
  if ((input.experimentWeights ?? []).length > 0) {
    throw new RangeError('experiment traffic weights are not routed yet (issue 19)');
  }
  const desired: DesiredTraffic = {
    canaryWeight,
    stableWeight: max - canaryWeight,
    headerRoutes: input.headerRoutes ?? [],
    mirrorRoutes: input.mirrorRoutes ?? [],
  };
  if (input.canaryHash !== undefined) desired.canaryHash = input.canaryHash;
  if (input.stableHash !== undefined) desired.stableHash = input.stableHash;
  return desired;
}

/**
 * The traffic of clean-up: all traffic to stable, no managed routes, no pod hashes. Invariant:
 * `canaryWeight = 0` and `stableWeight = max`.
 */
export function stableOnlyTraffic(maxTrafficWeight = DEFAULT_MAX_TRAFFIC_WEIGHT): DesiredTraffic {
  return desiredTrafficOf({ canaryWeight: 0, maxTrafficWeight });
}

/** The total every managed route's weights must sum to: `canaryWeight + stableWeight`. */
export function totalWeight(desired: DesiredTraffic): number {
  return desired.canaryWeight + desired.stableWeight;
}
