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
 * The weight one Experiment Service gets while an `experiment` step runs (Argo's additional destinations,
 * `status.canary.weights.additional[]`): `serviceName` is the template's Service, `podTemplateHash` the hash
 * of its ReplicaSet (routers with subset-level splits label a subset with it).
 */
export interface ExperimentWeight {
  serviceName: string;
  podTemplateHash?: string;
  weight: number;
}

/**
 * The traffic state one reconcile wants. Invariant: `canaryWeight + stableWeight + Σ experimentWeights` is
 * the router's total (`maxTrafficWeight`, default 100) and every weight is an integer ≥ 0. Header and mirror
 * routes listed here should exist; managed routes not listed should not. Experiment Services listed in
 * `experimentWeights` should get a destination with their weight; those in `retiredExperimentServices`
 * (routed by an earlier pass, not any more) should lose theirs. A hash left undefined means "no pod hash"
 * (labels removed). Routers whose `capabilities.experimentWeights` is false are never handed experiment
 * weights (`applyTrafficToAll` refuses) and may ignore both lists.
 */
export interface DesiredTraffic {
  canaryWeight: number;
  stableWeight: number;
  canaryHash?: string;
  stableHash?: string;
  headerRoutes: readonly DesiredHeaderRoute[];
  mirrorRoutes: readonly DesiredMirrorRoute[];
  /** Experiment Services that get traffic now; absent means none. */
  experimentWeights?: readonly ExperimentWeight[];
  /** Experiment Services whose destinations (and DestinationRule subsets) an earlier pass added and that must go. */
  retiredExperimentServices?: readonly string[];
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
  retiredExperimentServices?: readonly string[];
}

function checkExperimentWeights(weights: readonly ExperimentWeight[], room: number): number {
  const names = new Set<string>();
  let total = 0;
  for (const { serviceName, weight } of weights) {
    if (serviceName === '' || names.has(serviceName)) {
      throw new RangeError(`experiment Service names must be unique and non-empty, got "${serviceName}"`);
    }
    if (!Number.isInteger(weight) || weight < 0) {
      throw new RangeError(`experiment weight must be an integer ≥ 0, got ${weight}`);
    }
    names.add(serviceName);
    total += weight;
  }
  if (total > room) throw new RangeError(`experiment weights ${total} exceed the non-canary share ${room}`);
  return total;
}

/**
 * Builds a `DesiredTraffic` with `stableWeight = max − canaryWeight − Σ experiment weights`. Examples:
 * (20) → 20/80; (0, max 1000) → 0/1000; (100) → 100/0; (20, experiments [a: 10, b: 10]) → 20/60 + 10 + 10.
 * A retired Service that is also listed in `experimentWeights` is not retired. Throws `RangeError` (a
 * programmer error: validation keeps specs from getting here) when a weight is not an integer ≥ 0,
 * `canaryWeight` is outside `[0, max]`, experiment Services repeat, or the experiment weights exceed what
 * the canary leaves.
 */
export function desiredTrafficOf(input: DesiredTrafficInput): DesiredTraffic {
  const max = input.maxTrafficWeight ?? DEFAULT_MAX_TRAFFIC_WEIGHT;
  const { canaryWeight } = input;
  if (!Number.isInteger(max) || max <= 0) throw new RangeError(`maxTrafficWeight must be > 0, got ${max}`);
  if (!Number.isInteger(canaryWeight) || canaryWeight < 0 || canaryWeight > max) {
    throw new RangeError(`canaryWeight must be an integer in [0, ${max}], got ${canaryWeight}`);
  }
  const experiments = input.experimentWeights ?? [];
  const experimentTotal = checkExperimentWeights(experiments, max - canaryWeight);
  const desired: DesiredTraffic = {
    canaryWeight,
    stableWeight: max - canaryWeight - experimentTotal,
    headerRoutes: input.headerRoutes ?? [],
    mirrorRoutes: input.mirrorRoutes ?? [],
  };
  if (input.canaryHash !== undefined) desired.canaryHash = input.canaryHash;
  if (input.stableHash !== undefined) desired.stableHash = input.stableHash;
  if (experiments.length > 0) desired.experimentWeights = experiments.map((w) => ({ ...w }));
  const routed = new Set(experiments.map((w) => w.serviceName));
  const retired = (input.retiredExperimentServices ?? []).filter((name) => !routed.has(name));
  if (retired.length > 0) desired.retiredExperimentServices = [...new Set(retired)];
  return desired;
}

/**
 * The traffic of clean-up: all traffic to stable, no managed routes, no pod hashes, and the destinations of
 * `retiredExperimentServices` removed. Invariant: `canaryWeight = 0` and `stableWeight = max`.
 */
export function stableOnlyTraffic(
  maxTrafficWeight = DEFAULT_MAX_TRAFFIC_WEIGHT,
  retiredExperimentServices: readonly string[] = [],
): DesiredTraffic {
  return desiredTrafficOf({ canaryWeight: 0, maxTrafficWeight, retiredExperimentServices });
}

/** The total every managed route's weights must sum to: `canaryWeight + stableWeight + Σ experiment weights`. */
export function totalWeight(desired: DesiredTraffic): number {
  const experiments = (desired.experimentWeights ?? []).reduce((sum, w) => sum + w.weight, 0);
  return desired.canaryWeight + desired.stableWeight + experiments;
}
