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

function roleIssues(input: ReweightInput, roles: readonly DestinationRole[]): RouteIssue[] {
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
  listOf(input.route).forEach((dest, i) => {
    if (roles[i] !== 'other' || weightOf(dest) === 0) return;
    const message = `destination "${dest.destination?.host ?? ''}" has weight ${weightOf(dest)}; a route Vireo splits may only send traffic to the stable and canary destinations (set its weight to 0 or move it to another route)`;
    issues.push({ reason: 'UnexpectedDestination', object, path: `${path}.route[${i}].weight`, message });
  });
  return issues;
}

/**
 * Re-weights one split route: canary gets `desired.canaryWeight`, stable gets
 * `desired.stableWeight − Σ additional-subset weights`; additional subsets and zero-weight extra
 * destinations keep their entries. Invariant: on success the weights sum to `canaryWeight + stableWeight`
 * (e.g. 20 → canary 20, stable 80; with an additional subset at 10 → canary 20, stable 70, extra 10).
 * A missing or duplicated canary/stable, an extra destination with non-zero weight, or additional weights
 * above the stable share give issues and the route unchanged.
 */
export function reweightDestinations(input: ReweightInput): {
  route: RouteDestination[];
  issues: RouteIssue[];
} {
  const route = listOf(input.route);
  const roles = route.map((d) => destinationRole(d, input.spec));
  const issues = roleIssues(input, roles);
  const additional = route.reduce((sum, d, i) => sum + (roles[i] === 'additional' ? weightOf(d) : 0), 0);
  const stableWeight = input.desired.stableWeight - additional;
  if (stableWeight < 0) {
    const message = `additional subsets hold weight ${additional}, more than the stable share ${input.desired.stableWeight}`;
    issues.push({ reason: 'WeightOverflow', object: input.object, path: `${input.path}.route`, message });
  }
  if (issues.length > 0) return { route: [...route], issues };
  const edited = route.map((dest, i) => {
    if (roles[i] === 'canary') return { ...dest, weight: input.desired.canaryWeight };
    if (roles[i] === 'stable') return { ...dest, weight: stableWeight };
    return dest;
  });
  return { route: edited, issues };
}
