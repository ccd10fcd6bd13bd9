import type { Issue } from '../../api/index.js';
import { validateRolloutReferences } from '../../api/index.js';
import type { RolloutPlan } from '../core/actions.js';
import type { RolloutSnapshot } from '../core/snapshot.js';
import { planInvalidSpec, planRollout } from './plan-rollout.js';

/**
 * The `reference` issues of a snapshot, as Argo reports them under `InvalidSpec`: a `canaryService`,
 * `stableService`, `activeService`, `previewService` or ping/pong Service that does not exist or that another
 * Rollout manages (checked only when `snapshot.services` was observed),
 * then the route issues the routers found. Pure.
 */
export function trafficReferenceIssues(snapshot: RolloutSnapshot): Issue[] {
  const services = snapshot.services;
  const managers = new Map(
    (services ?? []).flatMap((s) => (s.managedBy === undefined ? [] : [[s.name, s.managedBy] as const])),
  );
  const known =
    services === undefined
      ? {}
      : { services: new Set(services.map((s) => s.name)), serviceManagers: managers };
  const missing = validateRolloutReferences(snapshot.rollout, known).filter((i) =>
    i.path.endsWith('Service'),
  );
  return [...missing, ...(snapshot.traffic?.issues ?? [])];
}

/**
 * `plan` (`planRollout`, or `planValidRollout` for a snapshot already validated), unless a referenced Service or route is missing or cannot be edited safely: then the
 * `InvalidSpec` plan (no action at all, so no step moves, no ReplicaSet is scaled and stable traffic stays
 * where it is; phase Degraded with `InvalidSpec: <path>: <message>`, which Argo CD shows as Degraded). The
 * condition clears on the first pass after the referenced object is fixed (its watch event enqueues the
 * Rollout).
 */
export function planWithTrafficReferences(
  snapshot: RolloutSnapshot,
  plan: (snapshot: RolloutSnapshot) => RolloutPlan = planRollout,
): RolloutPlan {
  const issues = trafficReferenceIssues(snapshot);
  return issues.length > 0 ? planInvalidSpec(snapshot, issues) : plan(snapshot);
}
