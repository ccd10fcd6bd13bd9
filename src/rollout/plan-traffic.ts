import type { TrafficWeights } from '../api/index.js';
import { type Draft, emit, isAborted, type PlanContext, type Roles } from './plan-context.js';
import { atDesiredCounts, targetCounts } from './plan-targets.js';
import { trafficWeightToReplicas } from './replica-counts.js';
import { setWeightAt } from './steps.js';

function midStepWeight(ctx: PlanContext, draft: Draft, roles: Roles): number {
  const index = draft.status.currentStepIndex ?? ctx.steps.length;
  const atDesired = atDesiredCounts(ctx, roles, targetCounts(ctx, draft, roles));
  if (atDesired) return setWeightAt(ctx.steps, index, ctx.maxWeight);
  return index > 0 ? setWeightAt(ctx.steps, index - 1, ctx.maxWeight) : 0;
}

/**
 * The canary weight the router should carry (Argo `reconcileTrafficRouting`): 0 when fully promoted,
 * aborted, or the canary has no available pod; the applied weight while promoting fully; otherwise the
 * current step's setWeight once the canary is at its desired counts, the previous step's until then, and
 * `max` after the last step.
 */
export function desiredTrafficWeight(ctx: PlanContext, draft: Draft, roles: Roles): number {
  if (roles.promoted || isAborted(ctx, draft)) return 0;
  if (roles.desired === undefined || roles.desired.availableReplicas === 0) return 0;
  if (draft.status.promoteFull) {
    const applied = ctx.old.canary?.weights?.canary;
    return applied?.podTemplateHash === ctx.sets.currentHash ? applied.weight : 0;
  }
  return midStepWeight(ctx, draft, roles);
}

function sameWeights(a: TrafficWeights | undefined, b: TrafficWeights): boolean {
  return (
    a !== undefined &&
    a.canary.weight === b.canary.weight &&
    a.stable.weight === b.stable.weight &&
    a.canary.podTemplateHash === b.canary.podTemplateHash &&
    a.stable.podTemplateHash === b.stable.podTemplateHash
  );
}

function weightsFor(ctx: PlanContext, draft: Draft, canaryWeight: number): TrafficWeights {
  const stableHash = draft.status.stableRS ?? ctx.sets.currentHash;
  const canary = { weight: canaryWeight, podTemplateHash: ctx.sets.currentHash };
  const stable = { weight: ctx.maxWeight - canaryWeight, podTemplateHash: stableHash };
  const { canaryService, stableService } = ctx.canary;
  return {
    canary: canaryService ? { ...canary, serviceName: canaryService } : canary,
    stable: stableService ? { ...stable, serviceName: stableService } : stable,
  };
}

/** True when the routers observed in the snapshot differ from the record (a hand edit); no observation → false. */
function drifted(ctx: PlanContext): boolean {
  return ctx.snapshot.traffic?.drifted === true;
}

/**
 * With traffic routing, moves the router to `desiredTrafficWeight` and records it in
 * `status.canary.weights`. The move is planned when the record differs, or when the routers observed in
 * the snapshot show other weights (self-healing: the same absolute weights are written back, with a
 * `TrafficWeightRestored` event). Skipped while the stable ReplicaSet lacks the available pods for its
 * share, so stable never receives more traffic than it can serve; an abort is never held back (a partly
 * available stable beats a failing canary).
 */
export function planTraffic(ctx: PlanContext, draft: Draft, roles: Roles): void {
  if (!ctx.routed) return;
  const weight = desiredTrafficWeight(ctx, draft, roles);
  const next = weightsFor(ctx, draft, weight);
  const recorded = sameWeights(ctx.old.canary?.weights, next);
  if (recorded && !drifted(ctx)) return;
  const stableRs = roles.promoted ? roles.desired : roles.stable;
  const needed = trafficWeightToReplicas(ctx.settings.replicas, ctx.maxWeight - weight, ctx.maxWeight);
  if (!isAborted(ctx, draft) && (stableRs?.availableReplicas ?? 0) < needed) return;
  draft.actions.push({
    kind: 'applyTraffic',
    canaryWeight: weight,
    stableWeight: ctx.maxWeight - weight,
    canaryHash: next.canary.podTemplateHash ?? '',
    stableHash: next.stable.podTemplateHash ?? '',
  });
  draft.status.canary = { ...draft.status.canary, weights: next };
  if (recorded) {
    const seen = ctx.snapshot.traffic;
    if (seen?.canaryWeight === weight && seen.stableWeight === ctx.maxWeight - weight) {
      emit(
        draft,
        'Normal',
        'TrafficRoutesSynced',
        'Managed routes and pod hashes brought in line with the current step',
      );
      return;
    }
    const was = `${seen?.canaryWeight ?? '?'}/${seen?.stableWeight ?? '?'}`;
    emit(
      draft,
      'Normal',
      'TrafficWeightRestored',
      `Traffic weights ${was} restored to ${weight}/${ctx.maxWeight - weight}`,
    );
    return;
  }
  emit(
    draft,
    'Normal',
    'TrafficWeightUpdated',
    `Traffic weight updated to ${weight} (canary ${ctx.sets.currentHash})`,
  );
}

function selectorTarget(ctx: PlanContext, draft: Draft, service: string): string | undefined {
  const stableHash = draft.status.stableRS;
  if (service === ctx.canary.stableService) return stableHash;
  return isAborted(ctx, draft) ? stableHash : ctx.sets.currentHash;
}

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
 * Points `stableService` at the stable hash and `canaryService` at the desired hash (the stable one while
 * aborted), through `pointService`.
 */
export function planServices(ctx: PlanContext, draft: Draft): void {
  for (const name of [ctx.canary.stableService, ctx.canary.canaryService]) {
    if (name !== undefined) pointService(ctx, draft, name, selectorTarget(ctx, draft, name));
  }
}
