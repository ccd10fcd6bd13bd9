import type { RouterCapabilities, TrafficRouterType } from '../api/index.js';
import type { DesiredTraffic } from './desired-traffic.js';

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
  | 'NotControlled'
  | 'MalformedObject';

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

/** Options of `TrafficRouter.cleanup`. */
export interface CleanupOptions {
  /**
   * Experiment Services whose destinations (and subsets) an earlier apply added (the Rollout's recorded
   * `status.canary.weights.additional`); a router with `capabilities.experimentWeights` removes them too.
   */
  retiredExperimentServices?: readonly string[];
}

/**
 * The port of one traffic router (adapters: `src/traffic/<router>/router.ts`, built by a `RouterFactory`).
 * `prepare` only reads and edits in memory; its `commit` writes only objects whose edit differs from what was
 * read, so applying the same traffic twice writes nothing (route problems come back as issues, never as
 * exceptions; API failures reject with an `ApiError`). Traffic is applied to all routers of a Rollout at
 * once, or to none, by `applyTrafficToAll`. `cleanup` sends all traffic to stable and removes what Vireo
 * created (managed routes, pod-hash labels, canary Ingresses, experiment destinations), object by object: an
 * object with an issue is left untouched and reported, missing objects are skipped. `capabilities` is the
 * router's row of `ROUTER_CAPABILITIES`; a router without `experimentWeights` is never handed a
 * `DesiredTraffic` with experiment weights (`applyTrafficToAll` reports an `Unsupported` issue instead).
 */
export interface TrafficRouter {
  readonly type: TrafficRouterType;
  readonly capabilities: RouterCapabilities;
  observe(): Promise<ObservedTraffic>;
  prepare(desired: DesiredTraffic): Promise<StagedApply>;
  cleanup(options?: CleanupOptions): Promise<ApplyResult>;
}
