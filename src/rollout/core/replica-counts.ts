/** Desired `spec.replicas` of the canary (new) and stable ReplicaSets. */
export interface ReplicaCounts {
  canary: number;
  stable: number;
}

/** The scale of one ReplicaSet as the replica math sees it. */
export interface ScaleState {
  specReplicas: number;
  availableReplicas: number;
}

/** Input of `basicCanaryReplicaCounts`; `stable` is `undefined` when missing or the same RS as `canary`. */
export interface BasicCanaryInput {
  replicas: number;
  weight: number;
  maxSurge: number;
  maxUnavailable: number;
  canary: ScaleState | undefined;
  stable: ScaleState | undefined;
  others: readonly ScaleState[];
}

function isTied(weight: number, total: number): boolean {
  return ((total * weight) % 100) * 2 === 100;
}

function delta(weight: number, option: { canary: number; total: number }): number {
  return Math.abs((option.canary * 100) / option.total - weight);
}

/**
 * The canary/stable split closest to `weight`% for a Service that balances over pods (Argo
 * `approximateWeightedCanaryStableReplicaCounts`). Candidates: canary ∈ {⌈r·w/100⌉, ⌊r·w/100⌋} over totals r
 * and (when maxSurge > 0) r+1; the first candidate with the smallest |canary/total − w| wins, where ⌈⌉ is
 * listed first so ties pick the larger canary. For 0 < w < 100 neither side may be 0 (unless r = 1 and
 * maxSurge = 0). Examples: (10, 20, 1) → 2/8; (10, 1, 1) → 1/10; (1, 5, 1) → 1/1; (3, 50, 0) → 2/1.
 */
export function approximateCanaryStable(replicas: number, weight: number, maxSurge: number): ReplicaCounts {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const options = splitCandidates(replicas, weight, maxSurge);
  let best = options[0] ?? { canary: 0, total: replicas };
  for (const option of options) if (delta(weight, option) < delta(weight, best)) best = option;
  return { canary: best.canary, stable: best.total - best.canary };
}

function splitCandidates(
  replicas: number,
  weight: number,
  maxSurge: number,
): { canary: number; total: number }[] {
  const ceil = Math.ceil((replicas * weight) / 100);
  const floor = Math.floor((replicas * weight) / 100);
  const zeroAllowed = weight === 100 || weight === 0 || (replicas === 1 && maxSurge === 0);
  const floorAllowed = floor !== 0 || zeroAllowed;
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!isTied(weight, replicas) && floorAllowed) options.push({ canary: floor, total: replicas });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!isTied(weight, replicas + 1) && floorAllowed) options.push({ canary: floor, total: replicas + 1 });
  }
  return options;
}

function scaleDownBase(rs: ScaleState | undefined, ignoreAvailability: boolean): number {
  if (rs === undefined) return 0;
  if (rs.specReplicas < rs.availableReplicas || ignoreAvailability) return rs.specReplicas;
  return rs.availableReplicas;
}

function scaleUpTo(current: number, target: number, budget: number): { count: number; used: number } {
  if (current >= target || budget <= 0) return { count: current, used: 0 };
  const count = Math.min(target, current + budget);
  return { count, used: count - current };
}

/**
 * Keeps `drain + adjust` within `maxTotal` by taking from `adjust`, gives back to `adjust` what is needed to
 * keep `minAvailable` pods available, and takes any resulting excess from `drain` (Argo
 * `adjustReplicaWithinLimits`). Returns [drain, adjust].
 */
function withinLimits(
  drainRs: ScaleState | undefined,
  adjustRs: ScaleState | undefined,
  counts: { drain: number; adjust: number },
  limits: { maxTotal: number; minAvailable: number },
): [number, number] {
  let { drain, adjust } = counts;
  if (adjustRs === undefined) return [drain, adjust];
  adjust -= Math.max(0, adjust + drain - limits.maxTotal);
  const available =
    Math.min(drainRs?.availableReplicas ?? 0, drain) + Math.min(adjustRs.availableReplicas, adjust);
  const lostAvailable = Math.max(0, adjustRs.availableReplicas - adjust);
  adjust += Math.min(lostAvailable, Math.max(0, limits.minAvailable - available));
  drain -= Math.max(0, adjust + drain - limits.maxTotal);
  return [drain, adjust];
}

function scaleUpPhase(input: BasicCanaryInput, target: ReplicaCounts): ReplicaCounts {
  const { canary, stable, others } = input;
  const total = [canary, stable, ...others].reduce((sum, rs) => sum + (rs?.specReplicas ?? 0), 0);
  let budget = input.replicas + input.maxSurge - total;
  const stableUp = scaleUpTo(stable?.specReplicas ?? 0, target.stable, stable ? budget : 0);
  budget -= stableUp.used;
  const canaryUp = scaleUpTo(canary?.specReplicas ?? 0, target.canary, canary ? budget : 0);
  return { canary: canaryUp.count, stable: stableUp.count };
}

/**
 * Argo `CalculateReplicaCountsForBasicCanary`: the next canary/stable counts for a canary without traffic
 * routing, moving towards `approximateCanaryStable(r, w, surge)` (or all-canary when there is no separate
 * stable) without exceeding `r + maxSurge` pods or going below `r − maxUnavailable` available pods.
 * 1. Scale up within `r + maxSurge − Σ spec`, stable first, then canary.
 * 2. If older ReplicaSets still have replicas, stop (they are drained first).
 * 3. Scale down within `Σ available − (r − maxUnavailable)`: the stable when the canary grows (stable
 *    availability ignored), the canary when it shrinks (e.g. abort; canary availability ignored).
 * Examples (r = 10, canary 0, stable 10 all available): w 10, surge 1, unavail 1 → 1/9;
 * w 30, surge 3, unavail 0 → 3/10; w 30, surge 0, unavail 5 → 0/7 (then 3/7 on the next pass).
 */
export function basicCanaryReplicaCounts(input: BasicCanaryInput): ReplicaCounts {
  const target =
    input.stable === undefined
      ? { canary: input.replicas, stable: 0 }
      : approximateCanaryStable(input.replicas, input.weight, input.maxSurge);
  const up = scaleUpPhase(input, target);
  if (input.others.some((rs) => rs.specReplicas > 0)) return up;
  const { canary, stable } = input;
  const minAvailable = input.replicas - input.maxUnavailable;
  const increasing = canary === undefined || target.canary >= canary.specReplicas;
  const countable = scaleDownBase(canary, !increasing) + scaleDownBase(stable, increasing);
  if (countable <= minAvailable) return up;
  const budget = countable - minAvailable;
  const limits = { maxTotal: input.replicas + input.maxSurge, minAvailable };
  if (!increasing && canary) {
    const drained = Math.max(target.canary, canary.specReplicas - budget);
    const [c, s] = withinLimits(canary, stable, { drain: drained, adjust: up.stable }, limits);
    return { canary: c, stable: s };
  }
  if (stable === undefined) return up;
  const drained =
    stable.specReplicas > target.stable ? Math.max(target.stable, stable.specReplicas - budget) : up.stable;
  const [s, c] = withinLimits(stable, canary, { drain: drained, adjust: up.canary }, limits);
  return { canary: c, stable: s };
}

/**
 * Pods needed to carry `weight` of `maxWeight` traffic: ⌈replicas · weight / maxWeight⌉.
 * Examples (10 replicas, max 100): 0 → 0; 20 → 2; 25 → 3; 33 → 4; 99 → 10; 100 → 10.
 */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((replicas * weight) / maxWeight);
}

/** Input of `trafficRoutedReplicaCounts`; `appliedCanaryWeight` is the weight the router carries now. */
export interface TrafficRoutedInput {
  replicas: number;
  weight: number;
  maxWeight: number;
  canaryScale?: { replicas?: number; weight?: number };
  minPodsPerReplicaSet?: number;
  appliedCanaryWeight?: number;
}

/**
 * Argo `CalculateReplicaCountsForTrafficRoutedCanary` without dynamicStableScale (with it, the stable count
 * comes from `dynamicStableCounts` in dynamic-stable-scale.ts): the stable keeps all `r` replicas until
 * promotion; the canary gets `setCanaryScale.replicas`, or ⌈r · setCanaryScale.weight / 100⌉, or
 * ⌈r · w / max⌉, raised to `minPodsPerReplicaSet` when non-zero, and
 * never below the pods the traffic it carries right now needs (so an abort or weight decrease shrinks the
 * canary only after the router moved traffic away). Examples (r = 10): w 20 → 2/10; w 5, minPods 2 → 2/10;
 * w 0 with 20% still applied → 2/10; w 0 with 0% applied → 0/10.
 */
export function trafficRoutedReplicaCounts(input: TrafficRoutedInput): ReplicaCounts {
  const { replicas, canaryScale } = input;
  let canary: number;
  if (canaryScale?.replicas !== undefined) canary = canaryScale.replicas;
  else if (canaryScale?.weight !== undefined) canary = trafficWeightToReplicas(replicas, canaryScale.weight);
  else canary = trafficWeightToReplicas(replicas, input.weight, input.maxWeight);
  const min = input.minPodsPerReplicaSet;
  if (canary > 0 && min !== undefined) canary = Math.max(canary, Math.min(min, replicas));
  const carried = trafficWeightToReplicas(replicas, input.appliedCanaryWeight ?? 0, input.maxWeight);
  return { canary: Math.max(canary, carried), stable: replicas };
}

/**
 * New counts for ReplicaSets that are neither canary nor stable, oldest first. Pods that are not available
 * are removed freely; available ones only within `Σ available − minAvailable`, so availability never drops
 * below `minAvailable`. Example: others [3 spec/3 avail, 2/0], total available 12, min 9 → [0, 0];
 * total available 10, min 9 → [2, 0].
 */
export function drainOthers(
  others: readonly ScaleState[],
  totalAvailable: number,
  minAvailable: number,
): number[] {
  let budget = Math.max(0, totalAvailable - minAvailable);
  return others.map((rs) => {
    const available = Math.min(rs.specReplicas, rs.availableReplicas);
    const removed = Math.min(available, budget);
    budget -= removed;
    return available - removed;
  });
}
