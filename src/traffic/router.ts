import type { RouterCapabilities, SetHeaderRoute, SetMirrorRoute, TrafficRouterType } from '../api/index.js';

/** Default of `trafficRouting.maxTrafficWeight`; Istio always uses this base. */
export const DEFAULT_MAX_TRAFFIC_WEIGHT = 100;

/** One header match of a `setHeaderRoute` step. */
export type HeaderMatch = NonNullable<SetHeaderRoute['match']>[number];

/** One request match of a `setMirrorRoute` step (method, path and headers are ANDed). */
export type MirrorMatch = NonNullable<SetMirrorRoute['match']>[number];

/** A header route that should exist now: requests matching `match` go to the canary only. */
export interface DesiredHeaderRoute {
  name: string;
  match: readonly HeaderMatch[];
}

/** A mirror route that should exist now: `percentage` (Argo's default 100) of matching requests are copied to the canary. */
export interface DesiredMirrorRoute {
  name: string;
  match: readonly MirrorMatch[];
  percentage: number;
}

/**
 * The traffic state one reconcile wants. Invariant: `canaryWeight + stableWeight` is the router's total
 * (`maxTrafficWeight`, default 100) and both are integers ≥ 0. Header and mirror routes listed here should
 * exist; managed routes not listed should not. A hash left undefined means "no pod hash" (labels removed).
 */
export interface DesiredTraffic {
  canaryWeight: number;
  stableWeight: number;
  canaryHash?: string;
  stableHash?: string;
  headerRoutes: readonly DesiredHeaderRoute[];
  mirrorRoutes: readonly DesiredMirrorRoute[];
}

/** Input of `desiredTrafficOf`; only `canaryWeight` is required. */
export interface DesiredTrafficInput {
  canaryWeight: number;
  maxTrafficWeight?: number;
  canaryHash?: string;
  stableHash?: string;
  headerRoutes?: readonly DesiredHeaderRoute[];
  mirrorRoutes?: readonly DesiredMirrorRoute[];
}

/**
 * Builds a `DesiredTraffic` with `stableWeight = max − canaryWeight`. Examples: (20) → 20/80;
 * (0, max 1000) → 0/1000; (100) → 100/0. Throws `RangeError` (a programmer error) when a weight is not
 * an integer or `canaryWeight` is outside `[0, max]`.
 */
export function desiredTrafficOf(input: DesiredTrafficInput): DesiredTraffic {
  const max = input.maxTrafficWeight ?? DEFAULT_MAX_TRAFFIC_WEIGHT;
  const { canaryWeight } = input;
  if (!Number.isInteger(max) || max <= 0) throw new RangeError(`maxTrafficWeight must be > 0, got ${max}`);
  if (!Number.isInteger(canaryWeight) || canaryWeight < 0 || canaryWeight > max) {
    throw new RangeError(`canaryWeight must be an integer in [0, ${max}], got ${canaryWeight}`);
  }
  const desired: DesiredTraffic = {
    canaryWeight,
    stableWeight: max - canaryWeight,
    headerRoutes: input.headerRoutes ?? [],
    mirrorRoutes: input.mirrorRoutes ?? [],
  };
  if (input.canaryHash !== undefined) desired.canaryHash = input.canaryHash;
  if (input.stableHash !== undefined) desired.stableHash = input.stableHash;
  return desired;
}

/**
 * The traffic of clean-up: all traffic to stable, no managed routes, no pod hashes. Invariant:
 * `canaryWeight = 0` and `stableWeight = max`.
 */
export function stableOnlyTraffic(maxTrafficWeight = DEFAULT_MAX_TRAFFIC_WEIGHT): DesiredTraffic {
  return desiredTrafficOf({ canaryWeight: 0, maxTrafficWeight });
}

/** The total every managed route's weights must sum to: `canaryWeight + stableWeight`. */
export function totalWeight(desired: DesiredTraffic): number {
  return desired.canaryWeight + desired.stableWeight;
}

/** The object a `RouteIssue` is about. */
export interface RouteObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** Why a router refused to edit an object. */
export type RouteIssueReason =
  | 'RouteNotFound'
  | 'AmbiguousRoute'
  | 'DestinationNotFound'
  | 'DuplicateDestination'
  | 'UnexpectedDestination'
  | 'WeightOverflow'
  | 'SubsetNotFound'
  | 'BackendNotFound'
  | 'UnmanagedRoute'
  | 'InvalidRouteName'
  | 'InvalidMatch'
  | 'Unsupported'
  | 'NoHttpRoute'
  | 'ObjectNotFound'
  | 'NotControlled';

/**
 * A clear problem a router found in an object it would edit. Invariant: when an edit function returns
 * at least one issue, its returned object is the input, unchanged (no partial edits, stable traffic kept).
 * `path` is a field path inside `object`, e.g. `spec.http[1].route[2].weight`.
 */
export interface RouteIssue {
  reason: RouteIssueReason;
  object: RouteObjectRef;
  path: string;
  message: string;
}

/** Result of a pure edit or build: the new object, or the unchanged input plus the issues that stopped it. */
export interface EditResult<T> {
  object: T;
  issues: RouteIssue[];
}

/** What a router reads back from the cluster; weights are undefined when not reported or not found. */
export interface ObservedTraffic {
  canaryWeight: number | undefined;
  stableWeight: number | undefined;
  headerRoutes: readonly string[];
  mirrorRoutes: readonly string[];
  issues: readonly RouteIssue[];
}

/** Outcome of `TrafficRouter.apply`/`cleanup`: whether anything was written, and the issues that blocked a write. */
export interface ApplyResult {
  changed: boolean;
  issues: readonly RouteIssue[];
}

/**
 * An apply that has read and edited everything but written nothing yet. Invariant: `commit` performs only
 * the writes computed from the objects read by `prepare` (each a conditional write on the resourceVersion
 * read, or a create), in order, and resolves to whether it wrote anything; it must not be called when
 * `issues` is non-empty. A write that lost a race rejects with an `ApiError` of reason `Conflict`.
 */
export interface StagedApply {
  issues: readonly RouteIssue[];
  /** How many writes `commit` would make (0: every object already shows the desired traffic). */
  pendingWrites: number;
  commit(): Promise<boolean>;
}

/**
 * A traffic router adapter (I/O lives in `src/traffic/<router>/router.ts`). `prepare` only reads;
 * `apply` = `prepare` then `commit` when there are no issues (route problems come back as issues, never
 * as exceptions; API failures reject with an `ApiError`). `apply` is idempotent and writes only objects
 * whose edit differs from what was read. `cleanup` sends all traffic to stable and removes what Vireo
 * created (managed routes, pod-hash labels, canary Ingresses), object by object: an object with an issue
 * is left untouched and reported, missing objects are skipped.
 */
export interface TrafficRouter {
  readonly type: TrafficRouterType;
  readonly capabilities: RouterCapabilities;
  observe(): Promise<ObservedTraffic>;
  prepare(desired: DesiredTraffic): Promise<StagedApply>;
  apply(desired: DesiredTraffic): Promise<ApplyResult>;
  cleanup(): Promise<ApplyResult>;
}
