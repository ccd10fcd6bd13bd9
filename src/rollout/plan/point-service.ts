import type { Draft, PlanContext } from './context.js';

/**
 * Points Service `service` at `hash`: only a Service present in the snapshot that selects another hash, and
 * only once the ReplicaSet of `hash` has an available pod (no Service ever selects a ReplicaSet without one).
 */
export function pointService(
  ctx: PlanContext,
  draft: Draft,
  service: string | undefined,
  hash: string | undefined,
): void {
  const observed = ctx.snapshot.services?.find((s) => s.name === service);
  if (service === undefined || hash === undefined || observed === undefined) return;
  const target = ctx.snapshot.replicaSets.find((rs) => rs.podTemplateHash === hash);
  if (observed.podTemplateHash === hash || (target?.availableReplicas ?? 0) === 0) return;
  draft.actions.push({ kind: 'setServiceSelector', service, podTemplateHash: hash });
}

/**
 * The pod hash Service `service` selects once this pass's actions have run: the last `setServiceSelector`
 * planned for it, else what the snapshot observed. `null` when the snapshot holds no such Service (or no
 * Services were observed at all), so callers can tell "unknown" from "selects no hash" (`undefined`).
 */
export function plannedSelector(ctx: PlanContext, draft: Draft, service: string): string | undefined | null {
  const planned = draft.actions.findLast((a) => a.kind === 'setServiceSelector' && a.service === service);
  if (planned?.kind === 'setServiceSelector') return planned.podTemplateHash;
  const observed = ctx.snapshot.services?.find((s) => s.name === service);
  return observed === undefined ? null : observed.podTemplateHash;
}
