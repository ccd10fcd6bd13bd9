import type { DesiredTraffic } from '../desired-traffic.js';
import { listOf, shortHost } from '../json.js';
import type { RouteIssue, RouteObjectRef } from '../router.js';
import type { VirtualServiceEditSpec } from './route-select.js';
import type { RouteDestination } from './types.js';

/** The part a destination plays in a split route. */
export type DestinationRole = 'canary' | 'stable' | 'additional' | 'other';

/**
 * Role of `dest`. Subset-level split (a `destinationRule` is set): matched by `subset` against
 * canary/stable/additional subset names. Host-level split: the host before its first dot equals
 * `canaryService` or `stableService` (`reviews-canary.prod.svc.cluster.local` → `reviews-canary`).
 */
export function destinationRole(dest: RouteDestination, spec: VirtualServiceEditSpec): DestinationRole {
  const dr = spec.destinationRule;
  if (dr !== undefined) {
    const subset = dest.destination?.subset;
    if (subset === undefined || subset === '') return 'other';
    if (subset === dr.canarySubsetName) return 'canary';
    if (subset === dr.stableSubsetName) return 'stable';
    return listOf(dr.additionalSubsetNames).includes(subset) ? 'additional' : 'other';
  }
  const host = shortHost(dest.destination?.host);
  if (host !== '' && host === spec.canaryService) return 'canary';
  if (host !== '' && host === spec.stableService) return 'stable';
  return 'other';
}

/** A destination's weight as a number; a missing or non-numeric weight counts as 0 (Istio's default). */
export function weightOf(dest: RouteDestination): number {
  return typeof dest.weight === 'number' ? dest.weight : 0;
}

function label(role: 'canary' | 'stable', spec: VirtualServiceEditSpec): string {
  const dr = spec.destinationRule;
  const who = role === 'canary' ? 'Canary' : 'Stable';
  if (dr !== undefined) {
    return `${who} DestinationRule subset "${role === 'canary' ? dr.canarySubsetName : dr.stableSubsetName}"`;
  }
  return `${who} Service "${(role === 'canary' ? spec.canaryService : spec.stableService) ?? ''}"`;
}

/** Inputs of `reweightDestinations`. */
export interface ReweightInput {
  route: readonly RouteDestination[] | undefined;
  path: string;
  object: RouteObjectRef;
  spec: VirtualServiceEditSpec;
  desired: DesiredTraffic;
}

/** A destination's part in a re-weight: its split role, or an Experiment Service routed now or retired. */
type ReweightRole = DestinationRole | 'experiment' | 'retired';

/**
 * Role of `dest` in a re-weight for `desired`: canary, stable and additional subsets as `destinationRole`;
 * otherwise a destination whose host (before its first dot) is an Experiment Service of
 * `desired.experimentWeights` is `experiment`, one of `desired.retiredExperimentServices` `retired`.
 */
function reweightRole(
  dest: RouteDestination,
  spec: VirtualServiceEditSpec,
  desired: DesiredTraffic,
): ReweightRole {
  const role = destinationRole(dest, spec);
  if (role !== 'other') return role;
  const host = shortHost(dest.destination?.host);
  if (listOf(desired.experimentWeights).some((w) => w.serviceName === host)) return 'experiment';
  return listOf(desired.retiredExperimentServices).includes(host) ? 'retired' : 'other';
}

function splitRoleIssues(input: ReweightInput, roles: readonly ReweightRole[]): RouteIssue[] {
  const { path, object, spec } = input;
  const issues: RouteIssue[] = [];
  for (const role of ['canary', 'stable'] as const) {
    const count = roles.filter((r) => r === role).length;
    if (count === 0) {
      issues.push({
        reason: 'DestinationNotFound',
        object,
        path: `${path}.route`,
        message: `${label(role, spec)} not found in route`,
      });
    } else if (count > 1) {
      const message = `${label(role, spec)} appears ${count} times in route; a split route needs it exactly once`;
      issues.push({ reason: 'DuplicateDestination', object, path: `${path}.route`, message });
    }
  }
  return issues;
}

function roleIssues(input: ReweightInput, roles: readonly ReweightRole[]): RouteIssue[] {
  const { path, object } = input;
  const issues = splitRoleIssues(input, roles);
  const route = listOf(input.route);
  for (const { serviceName } of listOf(input.desired.experimentWeights)) {
    const count = route.filter(
      (d, i) => roles[i] === 'experiment' && shortHost(d.destination?.host) === serviceName,
    ).length;
    if (count > 1) {
      const message = `Experiment Service "${serviceName}" appears ${count} times in route; it needs one destination`;
      issues.push({ reason: 'DuplicateDestination', object, path: `${path}.route`, message });
    }
  }
  route.forEach((dest, i) => {
    if (roles[i] !== 'other' || weightOf(dest) === 0) return;
    const message = `destination "${dest.destination?.host ?? ''}" has weight ${weightOf(dest)}; a route Vireo splits may only send traffic to the stable, canary and experiment destinations (set its weight to 0 or move it to another route)`;
    issues.push({ reason: 'UnexpectedDestination', object, path: `${path}.route[${i}].weight`, message });
  });
  return issues;
}

/** The route with every weight set for `desired`, retired Experiment destinations dropped, new ones appended. */
function reweighted(
  route: readonly RouteDestination[],
  roles: readonly ReweightRole[],
  desired: DesiredTraffic,
  stableWeight: number,
): RouteDestination[] {
  const experiments = new Map(listOf(desired.experimentWeights).map((w) => [w.serviceName, w.weight]));
  const edited = route.flatMap((dest, i): RouteDestination[] => {
    if (roles[i] === 'canary') return [{ ...dest, weight: desired.canaryWeight }];
    if (roles[i] === 'stable') return [{ ...dest, weight: stableWeight }];
    if (roles[i] === 'retired') return [];
    if (roles[i] !== 'experiment') return [dest];
    const host = shortHost(dest.destination?.host);
    const weight = experiments.get(host) ?? 0;
    experiments.delete(host);
    return [{ ...dest, weight }];
  });
  for (const [host, weight] of experiments) edited.push({ destination: { host }, weight });
  return edited;
}

/**
 * Re-weights one split route: canary gets `desired.canaryWeight`, stable gets
 * `desired.stableWeight − Σ additional-subset weights`, each Experiment Service of `desired.experimentWeights`
 * its weight (a destination `{host: <service>}` is appended when the route has none, as Argo does, also with
 * subset-level splits); destinations of `desired.retiredExperimentServices` are removed; additional subsets
 * and zero-weight extra destinations keep their entries. Invariant: on success the weights sum to
 * `totalWeight(desired)` (e.g. 20 → canary 20, stable 80; with an additional subset at 10 → canary 20,
 * stable 70, extra 10; with an experiment at 10 → canary 20, stable 70, experiment 10). A missing or
 * duplicated canary/stable, a repeated Experiment Service, an extra destination with non-zero weight, or
 * additional weights above the stable share give issues and the route unchanged.
 */
export function reweightDestinations(input: ReweightInput): {
  route: RouteDestination[];
  issues: RouteIssue[];
} {
  const route = listOf(input.route);
  const roles = route.map((d) => reweightRole(d, input.spec, input.desired));
  const issues = roleIssues(input, roles);
  const additional = route.reduce((sum, d, i) => sum + (roles[i] === 'additional' ? weightOf(d) : 0), 0);
  const stableWeight = input.desired.stableWeight - additional;
  if (stableWeight < 0) {
    const message = `additional subsets hold weight ${additional}, more than the stable share ${input.desired.stableWeight}`;
    issues.push({ reason: 'WeightOverflow', object: input.object, path: `${input.path}.route`, message });
  }
  if (issues.length > 0) return { route: [...route], issues };
  return { route: reweighted(route, roles, input.desired, stableWeight), issues };
}
