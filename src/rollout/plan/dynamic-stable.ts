import {
  abortStepDownWeight,
  abortTrafficWeight,
  promoteFullTrafficWeight,
} from '../core/dynamic-stable-scale.js';
import type { Draft, PlanContext, Roles } from './context.js';

/**
 * The canary weight the router carries now (observed `status.canary.weights`) for the current hash; 0 when
 * the recorded canary is another hash or nothing is recorded. Example: recorded {canary: 30 → abc}, current
 * hash abc → 30; current hash def → 0.
 */
export function appliedCanaryWeight(ctx: PlanContext): number {
  const canary = ctx.old.canary?.weights?.canary;
  return canary?.podTemplateHash === ctx.sets.currentHash ? canary.weight : 0;
}

/**
 * With `dynamicStableScale`, the weight an aborted canary's replicas aim for (`abortStepDownWeight`): the canary
 * still serves with max(r − stable available, canary available) pods; only r − stable available when an
 * explicit `abortScaleDownDelaySeconds` keeps the canary whole until its deadline (Argo).
 */
export function abortReplicaWeight(ctx: PlanContext, roles: Roles): number {
  const { desired, stable } = roles;
  if (desired === undefined || stable === undefined) return 0;
  const replicas = ctx.settings.replicas;
  const uncovered = replicas - stable.availableReplicas;
  const delayed = (ctx.canary.abortScaleDownDelaySeconds ?? 0) > 0;
  const canaryPods = delayed ? uncovered : Math.max(uncovered, desired.availableReplicas);
  return abortStepDownWeight(ctx.steps, replicas, ctx.maxWeight, canaryPods);
}

/**
 * The stable weight the router carries now (observed `status.canary.weights`) for the draft's stable hash;
 * `max` when nothing is recorded for that hash, so an unknown router state never lets the stable shrink.
 * Example: recorded {stable: 70 → abc}, stable abc → 70; stable def → 100.
 */
export function appliedStableWeight(ctx: PlanContext, draft: Draft): number {
  const stable = ctx.old.canary?.weights?.stable;
  return stable !== undefined && stable.podTemplateHash === draft.status.stableRS
    ? stable.weight
    : ctx.maxWeight;
}

/**
 * True for a traffic-routed canary with `dynamicStableScale: true` (validation refuses it without routing, so
 * a basic canary or a blue-green Rollout is always false).
 */
export function scalesStableDynamically(ctx: PlanContext): boolean {
  return ctx.routed && ctx.canary.dynamicStableScale === true;
}

/**
 * The router's canary weight while aborted: 0, or with `dynamicStableScale` the step-down of
 * `abortTrafficWeight` (the stable takes traffic back only as its pods become available, so its share never
 * exceeds what its available pods carry). Example (10 replicas, steps 20/50/80, aborted at 80 with a stable
 * of 2): 80 until the stable has 5 available, then 50, then 20, then 0 once the stable is whole.
 */
export function abortedTrafficWeight(ctx: PlanContext, roles: Roles): number {
  if (!scalesStableDynamically(ctx) || roles.stable === undefined || roles.desired === undefined) return 0;
  const recorded = ctx.old.canary?.weights !== undefined;
  return abortTrafficWeight({
    replicas: ctx.settings.replicas,
    maxWeight: ctx.maxWeight,
    stableAvailable: roles.stable.availableReplicas,
    stepWeight: abortReplicaWeight(ctx, roles),
    current: recorded ? appliedCanaryWeight(ctx) : undefined,
  });
}

/**
 * The router's canary weight while promoting fully: the applied weight is kept, or with `dynamicStableScale`
 * it follows the canary's available pods (`promoteFullTrafficWeight`). Example (10 replicas, 7 canary pods
 * available): 70 with `dynamicStableScale`, otherwise the applied weight (e.g. 20).
 */
export function promoteFullWeight(ctx: PlanContext, roles: Roles): number {
  if (!scalesStableDynamically(ctx)) return appliedCanaryWeight(ctx);
  return promoteFullTrafficWeight(
    ctx.settings.replicas,
    ctx.maxWeight,
    roles.desired?.availableReplicas ?? 0,
  );
}
