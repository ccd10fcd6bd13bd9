import { type CanaryStep, canarySettings, type Rollout, type TrafficWeights } from '../../api/index.js';
import {
  type DesiredHeaderRoute,
  type DesiredMirrorRoute,
  type DesiredTraffic,
  desiredTrafficOf,
  type ExperimentWeight,
} from '../../traffic/desired-traffic.js';

/** The header and mirror routes that should exist now, in the order of `trafficRouting.managedRoutes`. */
export interface ManagedRouteSet {
  headerRoutes: DesiredHeaderRoute[];
  mirrorRoutes: DesiredMirrorRoute[];
}

const NONE: ManagedRouteSet = { headerRoutes: [], mirrorRoutes: [] };

/** Argo's default `setMirrorRoute.percentage`. */
const DEFAULT_MIRROR_PERCENTAGE = 100;

function routeAt(step: CanaryStep): {
  name: string;
  header?: DesiredHeaderRoute;
  mirror?: DesiredMirrorRoute;
} {
  const header = step.setHeaderRoute;
  if (header !== undefined) {
    const name = header.name ?? '';
    const match = header.match ?? [];
    return match.length > 0 ? { name, header: { name, match } } : { name };
  }
  const mirror = step.setMirrorRoute;
  if (mirror === undefined) return { name: '' };
  const name = mirror.name ?? '';
  const match = mirror.match ?? [];
  if (match.length === 0) return { name };
  const percentage = mirror.percentage ?? DEFAULT_MIRROR_PERCENTAGE;
  return { name, mirror: { name, match, percentage } };
}

/**
 * The managed routes in force for the Rollout's recorded status (Argo's `setHeaderRoute`/`setMirrorRoute`
 * semantics): none without `managedRoutes`, before a first update, once fully promoted, or while aborted;
 * otherwise, for each managed route name, the latest `setHeaderRoute`/`setMirrorRoute` step naming it at or
 * before `status.currentStepIndex` (a step without `match` removes the route). Pure; status is the only
 * memory, so a pass that has just advanced a step applies its route on the next pass.
 */
export function managedRoutesOf(rollout: Rollout): ManagedRouteSet {
  const canary = rollout.spec.strategy.canary;
  const order = (canary?.trafficRouting?.managedRoutes ?? []).map((r) => r.name);
  const status = rollout.status;
  if (order.length === 0 || status === undefined || status.abort === true) return NONE;
  if (!status.stableRS || status.stableRS === status.currentPodHash) return NONE;
  const steps = canary?.steps ?? [];
  const last = Math.min(status.currentStepIndex ?? steps.length, steps.length - 1);
  const routes = new Map<string, { header?: DesiredHeaderRoute; mirror?: DesiredMirrorRoute }>();
  for (let i = 0; i <= last; i++) {
    const step = steps[i];
    if (step?.setHeaderRoute === undefined && step?.setMirrorRoute === undefined) continue;
    const { name, ...route } = routeAt(step);
    routes.set(name, route);
  }
  const inOrder = order.map((name) => routes.get(name));
  return {
    headerRoutes: inOrder.flatMap((r) => (r?.header ? [r.header] : [])),
    mirrorRoutes: inOrder.flatMap((r) => (r?.mirror ? [r.mirror] : [])),
  };
}

/** The Experiment Services of `weights.additional` (entries without a Service name cannot be routed). */
function experimentWeightsOf(weights: TrafficWeights | undefined): ExperimentWeight[] {
  return (weights?.additional ?? []).flatMap((w) =>
    w.serviceName
      ? [
          {
            serviceName: w.serviceName,
            weight: w.weight,
            ...(w.podTemplateHash ? { podTemplateHash: w.podTemplateHash } : {}),
          },
        ]
      : [],
  );
}

/** True when `experiments` are integers ≥ 0, each Service once, and fit in what `canaryWeight` leaves of `max`. */
function fits(experiments: readonly ExperimentWeight[], canaryWeight: number, max: number): boolean {
  const names = new Set(experiments.map((w) => w.serviceName));
  const total = experiments.reduce((sum, w) => sum + w.weight, 0);
  const integers = experiments.every((w) => Number.isInteger(w.weight) && w.weight >= 0);
  return integers && names.size === experiments.length && total <= max - canaryWeight;
}

/**
 * The traffic the routers should show while they carry `weights`: canary and stable weights and pod hashes
 * from `weights`, out of `trafficRouting.maxTrafficWeight`, the Experiment Services of `weights.additional`
 * with their weights, with the managed header and mirror routes in force for the Rollout's recorded status
 * (`managedRoutesOf`); the Experiment Services the Rollout's recorded `status.canary.weights.additional`
 * names and `weights` does not are retired. No weights, or a canary weight that is not an integer in
 * [0, max] → 0% canary, no hashes, no routes, no experiments; experiment weights that do not fit (edited
 * status) are dropped. The one rule for both sides of a pass: the planner builds its `applyTraffic` action
 * from it with the weights it decides, and observe dry-runs it with the recorded `status.canary.weights` to
 * tell hand edits (drift). Pure.
 * Example: weights 20 → abc / 80 → def, no managed routes → {20, 80, canaryHash abc, stableHash def}.
 */
export function desiredTrafficFor(rollout: Rollout, weights: TrafficWeights | undefined): DesiredTraffic {
  const max = canarySettings(rollout.spec.strategy.canary ?? {}).maxTrafficWeight;
  const canaryWeight = weights?.canary.weight ?? 0;
  const retiredExperimentServices = experimentWeightsOf(rollout.status?.canary?.weights).map(
    (w) => w.serviceName,
  );
  if (weights === undefined || canaryWeight < 0 || canaryWeight > max || !Number.isInteger(canaryWeight))
    return desiredTrafficOf({ canaryWeight: 0, maxTrafficWeight: max, retiredExperimentServices });
  const { podTemplateHash: canaryHash } = weights.canary;
  const { podTemplateHash: stableHash } = weights.stable;
  const experiments = experimentWeightsOf(weights);
  return desiredTrafficOf({
    ...managedRoutesOf(rollout),
    canaryWeight,
    maxTrafficWeight: max,
    ...(canaryHash ? { canaryHash } : {}),
    ...(stableHash ? { stableHash } : {}),
    ...(fits(experiments, canaryWeight, max) ? { experimentWeights: experiments } : {}),
    retiredExperimentServices,
  });
}
