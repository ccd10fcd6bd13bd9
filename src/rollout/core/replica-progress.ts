/** `spec.strategy.canary.replicaProgressThreshold`: how much of the canary must be available for a step. */
export interface ReplicaProgressThreshold {
  type: string;
  value: number;
}

/**
 * Whether a canary ReplicaSet asked for `desired` pods has enough of them available for its step to count as
 * done (Argo `ReplicaProgressThresholdMet`). The ReplicaSet must have been scaled to `desired` first. Without a
 * threshold (or a negative value) every desired pod must be available. `Percent`: available/desired·100 ≥ value
 * (nothing desired → met). `Pods`: available ≥ value, capped at `desired` so a threshold above the step's size
 * means "all of them" rather than "never".
 * Examples (desired 4, spec 4): none, 3 available → false; none, 4 → true; Percent 50, 2 → true;
 * Percent 75, 2 → false; Pods 1, 1 → true; Pods 9, 4 → true; Pods 1 with spec 2 (not yet scaled) → false.
 */
export function replicaProgressMet(
  threshold: ReplicaProgressThreshold | undefined,
  rs: { specReplicas: number; availableReplicas: number },
  desired: number,
): boolean {
  if (rs.specReplicas !== desired) return false;
  const { availableReplicas: available } = rs;
  if (threshold === undefined || threshold.value < 0) return available === desired;
  if (threshold.type === 'Percent') return desired === 0 || (available * 100) / desired >= threshold.value;
  return available >= Math.min(threshold.value, desired);
}
