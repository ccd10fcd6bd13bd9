import type { TrafficWeights } from '../../api/index.js';
import { EVENT_REASON, VIREO_EVENT_REASON } from '../../api/index.js';
import type { ExperimentWeight } from '../../traffic/desired-traffic.js';
import type { ApplyTrafficAction } from '../core/actions.js';
import { desiredTrafficFor } from '../core/managed-routes.js';
import { trafficWeightToReplicas } from '../core/replica-counts.js';
import { setWeightAt } from '../core/steps.js';
import { type Draft, emit, isAborted, type PlanContext, type Roles } from './context.js';
import { abortedTrafficWeight, promoteFullWeight, scalesStableDynamically } from './dynamic-stable.js';
import { experimentWeightsNow } from './experiments.js';
import { pingPongServicesSelect, serviceRoles } from './ping-pong.js';
import { atDesiredCounts, targetCounts } from './replica-targets.js';
import { pacedByStable, returningToStable, rollbackTrafficWeight } from './rollback-traffic.js';

function midStepWeight(ctx: PlanContext, draft: Draft, roles: Roles): number {
  const index = draft.status.currentStepIndex ?? ctx.steps.length;
  const atDesired = atDesiredCounts(ctx, roles, targetCounts(ctx, draft, roles));
  if (atDesired) return setWeightAt(ctx.steps, index, ctx.maxWeight);
  return index > 0 ? setWeightAt(ctx.steps, index - 1, ctx.maxWeight) : 0;
}

/**
 * The canary weight the router should carry (Argo `reconcileTrafficRouting`): 0 when fully promoted; while
 * aborted or paused on a failed analysis, `rollbackTrafficWeight` (0; with `dynamicStableScale` stepped down as
 * the stable catches up; paced by stable's available pods with `vireo.dev/capacity-aware-rollback`); 0 when the
 * canary has no available pod; while promoting fully the applied weight (with `dynamicStableScale`: what the
 * canary's available pods carry); otherwise the
 * current step's setWeight once the canary is at its desired counts, the previous step's until then, and
 * `max` after the last step.
 */
export function desiredTrafficWeight(ctx: PlanContext, draft: Draft, roles: Roles): number {
  if (roles.promoted) return 0;
  if (returningToStable(ctx, draft)) return rollbackTrafficWeight(ctx, draft, roles);
  if (roles.desired === undefined || roles.desired.availableReplicas === 0) return 0;
  if (draft.status.promoteFull) return promoteFullWeight(ctx, roles);
  return midStepWeight(ctx, draft, roles);
}

function sameAdditional(a: TrafficWeights['additional'], b: TrafficWeights['additional']): boolean {
  const key = (list: TrafficWeights['additional']) =>
    JSON.stringify((list ?? []).map((w) => [w.serviceName, w.podTemplateHash, w.weight]));
  return key(a) === key(b);
}

function sameWeights(a: TrafficWeights | undefined, b: TrafficWeights): boolean {
  return (
    a !== undefined &&
    a.canary.weight === b.canary.weight &&
    a.stable.weight === b.stable.weight &&
    a.canary.podTemplateHash === b.canary.podTemplateHash &&
    a.stable.podTemplateHash === b.stable.podTemplateHash &&
    sameAdditional(a.additional, b.additional)
  );
}

/**
 * `status.canary.weights` as Argo's `calculateWeightStatus` writes them: the canary weight, the stable
 * weight `max − canary − Σ experiments`, and the Experiment Services under `additional` (absent when none).
 */
function weightsFor(
  ctx: PlanContext,
  draft: Draft,
  canaryWeight: number,
  experiments: readonly ExperimentWeight[],
): TrafficWeights {
  const stableHash = draft.status.stableRS ?? ctx.sets.currentHash;
  const experimentTotal = experiments.reduce((sum, w) => sum + w.weight, 0);
  const canary = { weight: canaryWeight, podTemplateHash: ctx.sets.currentHash };
  const stable = { weight: ctx.maxWeight - canaryWeight - experimentTotal, podTemplateHash: stableHash };
  const { canaryService, stableService } = serviceRoles(ctx, draft);
  const additional = experiments.map((w) => ({
    weight: w.weight,
    serviceName: w.serviceName,
    ...(w.podTemplateHash === undefined ? {} : { podTemplateHash: w.podTemplateHash }),
  }));
  return {
    canary: canaryService ? { ...canary, serviceName: canaryService } : canary,
    stable: stableService ? { ...stable, serviceName: stableService } : stable,
    ...(additional.length > 0 ? { additional } : {}),
  };
}

/** True when the routers observed in the snapshot differ from the record (a hand edit); no observation → false. */
function drifted(ctx: PlanContext): boolean {
  return ctx.snapshot.traffic?.drifted === true;
}

function experimentsText(weights: TrafficWeights): string {
  const additional = weights.additional ?? [];
  if (additional.length === 0) return '';
  return `, experiments ${additional.map((w) => `${w.serviceName} ${w.weight}`).join(', ')}`;
}

function emitTrafficEvent(ctx: PlanContext, draft: Draft, next: TrafficWeights, recorded: boolean): void {
  const weight = next.canary.weight;
  const stableWeight = next.stable.weight;
  if (!recorded) {
    const message = `Traffic weight updated to ${weight} (canary ${ctx.sets.currentHash})${experimentsText(next)}`;
    emit(draft, 'Normal', EVENT_REASON.trafficWeightUpdated, message);
    return;
  }
  const seen = ctx.snapshot.traffic;
  if (seen?.canaryWeight === weight && seen.stableWeight === stableWeight) {
    const message = 'Managed routes and pod hashes brought in line with the current step';
    emit(draft, 'Normal', VIREO_EVENT_REASON.trafficRoutesSynced, message);
    return;
  }
  const was = `${seen?.canaryWeight ?? '?'}/${seen?.stableWeight ?? '?'}`;
  const message = `Traffic weights ${was} restored to ${weight}/${stableWeight}`;
  emit(draft, 'Normal', VIREO_EVENT_REASON.trafficWeightRestored, message);
}

/** True when the stable ReplicaSet has the available pods for its share of `canaryWeight`'s complement. */
function stableCanServe(ctx: PlanContext, roles: Roles, canaryWeight: number): boolean {
  const stableRs = roles.promoted ? roles.desired : roles.stable;
  const needed = trafficWeightToReplicas(ctx.settings.replicas, ctx.maxWeight - canaryWeight, ctx.maxWeight);
  return (stableRs?.availableReplicas ?? 0) >= needed;
}

/**
 * The action carrying all the traffic this pass decides for `weights` (`desiredTrafficFor`: weights, hashes,
 * the managed routes in force) and, with `pingPong`, the Service roles. Both hashes are always named.
 */
function trafficAction(ctx: PlanContext, draft: Draft, weights: TrafficWeights): ApplyTrafficAction {
  const traffic = desiredTrafficFor(ctx.rollout, weights);
  return {
    kind: 'applyTraffic',
    ...traffic,
    canaryHash: traffic.canaryHash ?? ctx.sets.currentHash,
    stableHash: traffic.stableHash ?? ctx.sets.currentHash,
    ...(ctx.canary.pingPong ? { services: serviceRoles(ctx, draft) } : {}),
  };
}

/**
 * With traffic routing, moves the router to `desiredTrafficWeight` (plus, while an `experiment` step's
 * Experiment runs, its Services' weights: `experimentWeightsNow`, taken from the stable share) and records it
 * in `status.canary.weights`. The move is planned when the record differs, or when the routers observed in
 * the snapshot show other weights (self-healing: the same absolute weights are written back, with a
 * `TrafficWeightRestored` event). Skipped while the stable ReplicaSet lacks the available pods for its
 * share, so stable never receives more traffic than it can serve, and (ping-pong) while a Service that
 * would get traffic does not select its ReplicaSet yet; a return to stable (abort, pause on a failed
 * analysis) is never held back (a partly available stable beats a failing canary) unless the stable scales
 * dynamically under Argo's step-down (then its capacity still gates); a paced return (`pacedByStable`) never
 * asks more of stable than its available pods carry, by construction.
 */
export function planTraffic(ctx: PlanContext, draft: Draft, roles: Roles): void {
  if (!ctx.routed) return;
  const weight = desiredTrafficWeight(ctx, draft, roles);
  const next = weightsFor(ctx, draft, weight, experimentWeightsNow(ctx, draft, roles));
  const recorded = sameWeights(ctx.old.canary?.weights, next);
  if (recorded && !drifted(ctx)) return;
  const returning = returningToStable(ctx, draft);
  const guarded = !returning || (scalesStableDynamically(ctx) && !pacedByStable(ctx, draft));
  if (guarded && !stableCanServe(ctx, roles, weight)) return;
  if (!returning && !pingPongServicesSelect(ctx, draft, next)) return;
  draft.actions.push(trafficAction(ctx, draft, next));
  draft.status.canary = { ...draft.status.canary, weights: next };
  emitTrafficEvent(ctx, draft, next, recorded);
}
