import type { Issue } from '../../api/index.js';
import { validateRolloutReferences } from '../../api/index.js';
import type { RolloutPlan } from '../core/actions.js';
import type { RolloutSnapshot } from '../core/snapshot.js';
import { analysisPreflightIssues } from './analysis-preflight.js';
import { planInvalidSpec, planRollout } from './plan-rollout.js';

/**
 * How soon a Rollout held by a missing or invalid referenced object is looked at again (Argo's 20 s). A
 * backstop only: the watches of Services, routed objects, workloads and analysis templates enqueue the
 * Rollout as soon as the object it names appears or changes; this covers what is not watched (a
 * `workloadRef` ReplicaSet, a collection the controller may not list).
 */
export const REFERENCE_RECHECK_MS = 20_000;

/**
 * The `reference` issues of a snapshot, as Argo reports them under `InvalidSpec`: a `canaryService`,
 * `stableService`, `activeService`, `previewService` or ping/pong Service that does not exist or that another
 * Rollout manages (checked only when `snapshot.services` was observed), the route issues the routers found,
 * then the analysis pre-flight (`analysisPreflightIssues`, when `snapshot.analysisTemplates` was observed).
 * Pure.
 */
export function referenceIssues(snapshot: RolloutSnapshot): Issue[] {
  const services = snapshot.services;
  const managers = new Map(
    (services ?? []).flatMap((s) => (s.managedBy === undefined ? [] : [[s.name, s.managedBy] as const])),
  );
  const known =
    services === undefined
      ? {}
      : { services: new Set(services.map((s) => s.name)), serviceManagers: managers };
  return [
    ...validateRolloutReferences(snapshot.rollout, known),
    ...(snapshot.traffic?.issues ?? []),
    ...analysisPreflightIssues(snapshot.rollout, snapshot.analysisTemplates),
  ];
}

/**
 * The `InvalidSpec` plan for `issues` of referenced objects: as `planInvalidSpec` (no action at all, so no
 * step moves, no ReplicaSet is created or scaled, stable traffic stays where it is; phase Degraded with
 * `InvalidSpec: <path>: <message>`, which Argo CD shows as Degraded), looked at again after
 * `REFERENCE_RECHECK_MS`.
 */
export function planReferenceIssues(snapshot: RolloutSnapshot, issues: readonly Issue[]): RolloutPlan {
  return { ...planInvalidSpec(snapshot, issues), requeueAfterMs: REFERENCE_RECHECK_MS };
}

/**
 * `plan` (`planRollout`, or `planValidRollout` for a snapshot already validated), unless a referenced
 * Service, route or analysis template is missing, unusable or cannot be edited safely: then
 * `planReferenceIssues`. As in Argo this holds at any point of an update, not only before its first pod: a
 * template that turns bad mid-rollout freezes the Rollout where it is (weights, replicas, step) until it is
 * fixed. The condition clears on the first pass after the referenced object is fixed (its watch event
 * enqueues the Rollout).
 */
export function planWithReferences(
  snapshot: RolloutSnapshot,
  plan: (snapshot: RolloutSnapshot) => RolloutPlan = planRollout,
): RolloutPlan {
  const issues = referenceIssues(snapshot);
  return issues.length > 0 ? planReferenceIssues(snapshot, issues) : plan(snapshot);
}
