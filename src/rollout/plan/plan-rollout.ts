import type { Issue } from '../../api/index.js';
import { CONDITION, REASON, validateRollout } from '../../api/index.js';
import { rfc3339Seconds } from '../../util/time.js';
import { planBlueGreen } from '../bluegreen/plan-blue-green.js';
import type { RolloutPlan } from '../core/actions.js';
import { setCondition } from '../core/conditions.js';
import { rolloutPhase } from '../core/phase.js';
import type { RolloutSnapshot } from '../core/snapshot.js';
import { planBackgroundAnalysis } from './background-analysis.js';
import { type Draft, isAborted, type PlanContext, planContext, rolesOf, startDraft } from './context.js';
import { planEphemeral } from './ephemeral-metadata.js';
import { planExperiments } from './experiments.js';
import { finishPlan } from './finish.js';
import { planMissingStable } from './missing-stable.js';
import { recordStablePingPong } from './ping-pong.js';
import { planRestart } from './pod-restart.js';
import { syncRevision } from './revision.js';
import { planRunHistory } from './run-history.js';
import { planHistory, planScaling } from './scaling.js';
import { planServices } from './services.js';
import { planSteps } from './step-progress.js';
import { planTraffic } from './traffic.js';
import { applyUserIntents } from './user-intents.js';

/** The `InvalidSpec` condition message for validation issues: `path: message`, joined by "; ". */
export function invalidSpecMessage(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

/**
 * The plan for a Rollout that fails validation: no actions, no requeue (a spec change triggers the next
 * pass), and a status that differs from the observed one only in the `InvalidSpec` condition,
 * `observedGeneration`, `phase` (Degraded) and `message` ("InvalidSpec: …").
 */
export function planInvalidSpec(snapshot: RolloutSnapshot, issues: readonly Issue[]): RolloutPlan {
  const { rollout } = snapshot;
  const old = rollout.status ?? {};
  const nowIso = rfc3339Seconds(snapshot.now);
  const intent = {
    type: CONDITION.invalidSpec,
    status: 'True' as const,
    reason: REASON.invalidSpec,
    message: invalidSpecMessage(issues),
  };
  const status = { ...old, observedGeneration: String(rollout.metadata.generation ?? 0) };
  status.conditions = setCondition(old.conditions ?? [], intent, nowIso);
  const { phase, message } = rolloutPhase(rollout.spec, status);
  return { actions: [], status: { ...status, phase, message } };
}

/**
 * One observe → plan pass, pure in `snapshot` (time is `snapshot.now`): `planInvalidSpec` when
 * `validateRollout` finds issues, else `planValidRollout`. Invariants: actions are idempotent and
 * deterministic; re-planning an unchanged, converged world yields no actions and the observed status.
 */
export function planRollout(snapshot: RolloutSnapshot): RolloutPlan {
  const issues = validateRollout(snapshot.rollout);
  return issues.length > 0 ? planInvalidSpec(snapshot, issues) : planValidRollout(snapshot);
}

/**
 * The plan of a Rollout `validateRollout` accepts (callers validate first; nothing is checked again), in
 * Argo's order, top-down: revision bookkeeping and user intents (promote-full, abort, retry); then either
 * the recreation of a stable ReplicaSet deleted by hand (`planMissingStable`, which holds everything when it
 * cannot), or — unless `spec.paused` holds everything but an abort — the strategy's pass (`planBlueGreen`,
 * or `planCanary`); then the ping-pong side, AnalysisRun history beyond its limits, and the complete next
 * status (`finishPlan`).
 */
export function planValidRollout(snapshot: RolloutSnapshot): RolloutPlan {
  const ctx = planContext(snapshot);
  const draft = startDraft(ctx);
  syncRevision(ctx, draft);
  applyUserIntents(ctx, draft);
  if (draft.stableMissing) planMissingStable(ctx, draft);
  else if (!ctx.settings.paused || isAborted(ctx, draft)) {
    if (ctx.rollout.spec.strategy.blueGreen) planBlueGreen(ctx, draft);
    else planCanary(ctx, draft);
  }
  recordStablePingPong(ctx, draft);
  planRunHistory(ctx, draft);
  return finishPlan(ctx, draft);
}

/**
 * The canary pass: background analysis (its abort comes before traffic), Service selectors, traffic (where
 * weights and routes are decided: `planTraffic`), the Experiments of `experiment` steps (after traffic, as
 * Argo), canary/stable pod metadata, the pod restarter (a pass that deletes pods scales nothing), ReplicaSet
 * scaling (stable first), history clean-up and step progression.
 */
function planCanary(ctx: PlanContext, draft: Draft): void {
  planBackgroundAnalysis(ctx, draft);
  const roles = rolesOf(ctx, draft);
  planServices(ctx, draft);
  planTraffic(ctx, draft, roles);
  planExperiments(ctx, draft, roles);
  planEphemeral(ctx, draft, roles);
  if (planRestart(ctx, draft)) return;
  planScaling(ctx, draft, roles);
  planHistory(ctx, draft, roles);
  planSteps(ctx, draft, roles);
  draft.stepsPlanned = true;
}
