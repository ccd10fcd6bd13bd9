import type { Condition } from '../../api/index.js';

/** A condition without timestamps: what a planner decides. */
export interface ConditionIntent {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** The condition of `type`, if present. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return (conditions ?? []).find((condition) => condition.type === type);
}

/**
 * Argo `SetRolloutCondition` with stable ordering: an identical status/reason/message leaves the list
 * untouched (so a converged pass changes nothing); otherwise the condition is replaced in place (or
 * appended) with `lastUpdateTime = now`, keeping `lastTransitionTime` while the status is unchanged.
 * `touch` forces a new `lastUpdateTime` even when nothing else changed (progress seen).
 */
export function setCondition(
  conditions: readonly Condition[],
  intent: ConditionIntent,
  nowIso: string,
  touch = false,
): Condition[] {
  const current = findCondition(conditions, intent.type);
  const same =
    current !== undefined &&
    current.status === intent.status &&
    current.reason === intent.reason &&
    current.message === intent.message;
  if (same && !touch) return [...conditions];
  const next: Condition = {
    ...intent,
    lastUpdateTime: nowIso,
    lastTransitionTime: current?.status === intent.status ? (current.lastTransitionTime ?? nowIso) : nowIso,
  };
  if (current === undefined) return [...conditions, next];
  return conditions.map((condition) => (condition === current ? next : condition));
}

/** The list without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[], type: string): Condition[] {
  return conditions.filter((condition) => condition.type !== type);
}

/** `Progressing` messages, worded as Argo words them. */
export const MESSAGE = {
  created: (rs: string) => `Created new replica set "${rs}"`,
  progressing: (rs: string) => `ReplicaSet "${rs}" is progressing.`,
  completed: (rs: string) => `ReplicaSet "${rs}" has successfully progressed.`,
  timedOut: (rs: string) => `ReplicaSet "${rs}" has timed out progressing.`,
  notAvailable: 'Rollout does not have minimum availability',
  available: 'Rollout has minimum availability',
  paused: 'Rollout is paused',
  resumed: 'Rollout is resumed',
  retry: 'Retrying Rollout after abort',
  aborted: (revision: number) => `Rollout aborted update to revision ${revision}`,
  healthy: 'Rollout is healthy',
  notHealthy: 'Rollout does not have healthy replicas',
} as const;
