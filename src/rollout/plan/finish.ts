import type { LabelSelector, RolloutStatus } from '../../api/index.js';
import { CONDITION, POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import type { RolloutPlan } from '../core/actions.js';
import { removeCondition } from '../core/conditions.js';
import { rolloutPhase } from '../core/phase.js';
import { type Draft, isAborted, type PlanContext, rolesOf } from './context.js';
import {
  applyOtherConditions,
  applyProgressing,
  hasProgressed,
  type StatusFacts,
} from './progress-conditions.js';
import { rollbackTrafficNote } from './rollback-traffic.js';

function requirement(req: NonNullable<LabelSelector['matchExpressions']>[number]): string {
  const values = [...(req.values ?? [])].sort().join(',');
  if (req.operator === 'In') return `${req.key} in (${values})`;
  if (req.operator === 'NotIn') return `${req.key} notin (${values})`;
  return req.operator === 'DoesNotExist' ? `!${req.key}` : req.key;
}

/**
 * `status.selector` for the scale subresource: Kubernetes' label-selector string, requirements sorted by
 * key. Examples: `{matchLabels: {b: '2', a: '1'}}` → "a=1,b=2";
 * `{matchExpressions: [{key: 'tier', operator: 'In', values: ['web', 'api']}]}` → "tier in (api,web)".
 */
export function selectorString(selector: LabelSelector | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({
    key,
    text: `${key}=${value}`,
  }));
  const exprs = (selector?.matchExpressions ?? []).map((req) => ({ key: req.key, text: requirement(req) }));
  return [...labels, ...exprs]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((part) => part.text)
    .join(',');
}

function setObservedCounts(ctx: PlanContext, status: RolloutStatus): void {
  const all = ctx.snapshot.replicaSets;
  const sum = (pick: (rs: (typeof all)[number]) => number) => all.reduce((total, rs) => total + pick(rs), 0);
  status.replicas = sum((rs) => rs.replicas);
  status.updatedReplicas = ctx.sets.desired?.replicas ?? 0;
  status.readyReplicas = sum((rs) => rs.readyReplicas);
  status.availableReplicas = sum((rs) => rs.availableReplicas);
  status.HPAReplicas = status.replicas;
  status.selector = selectorString(ctx.rollout.spec.selector);
  status.observedGeneration = String(ctx.rollout.metadata.generation ?? 0);
  if (ctx.rollout.spec.strategy.blueGreen) setActiveCounts(ctx, status);
}

/**
 * Blue-green (Argo `syncRolloutStatusBlueGreen`): available, ready and HPA replicas are the active
 * ReplicaSet's, and `selector` is the active ReplicaSet's (with its pod-template hash) so an HPA measures the
 * pods that serve; with no active ReplicaSet yet, the counts over all ReplicaSets stay.
 */
function setActiveCounts(ctx: PlanContext, status: RolloutStatus): void {
  const hash = status.blueGreen?.activeSelector;
  const active = ctx.snapshot.replicaSets.find((rs) => hash !== undefined && rs.podTemplateHash === hash);
  if (active === undefined || hash === undefined) return;
  status.availableReplicas = active.availableReplicas;
  status.readyReplicas = active.readyReplicas;
  status.HPAReplicas = active.replicas;
  const selector = ctx.rollout.spec.selector ?? {};
  status.selector = selectorString({
    ...selector,
    matchLabels: { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash },
  });
}

function indefiniteStep(ctx: PlanContext, status: RolloutStatus): boolean {
  const step = ctx.steps[status.currentStepIndex ?? ctx.steps.length];
  return step !== undefined && (step.pause !== undefined || step.analysis !== undefined);
}

function statusFacts(ctx: PlanContext, draft: Draft): StatusFacts {
  const status = draft.status;
  const r = ctx.settings.replicas;
  const paused = ctx.settings.paused || (status.pauseConditions ?? []).length > 0;
  const stepsDone = ctx.steps.length === 0 || status.currentStepIndex === ctx.steps.length;
  const promoted = status.stableRS === status.currentPodHash;
  const counts = status.replicas === r && status.updatedReplicas === r && status.availableReplicas === r;
  const healthy = !paused && counts && promoted && stepsDone;
  const deadlineApplies = !paused && !healthy && !isAborted(ctx, draft) && !indefiniteStep(ctx, status);
  return { paused, healthy, progressed: hasProgressed(ctx.old, status), deadlineApplies };
}

function tidy(ctx: PlanContext, draft: Draft): void {
  const status = draft.status;
  if ((status.pauseConditions ?? []).length === 0) {
    delete status.pauseConditions;
    if (draft.stepsPlanned) delete status.controllerPause;
  }
  if (!ctx.routed && status.canary) delete status.canary.weights;
  if (status.canary && Object.keys(status.canary).length === 0) delete status.canary;
  status.conditions = removeCondition(status.conditions ?? [], CONDITION.invalidSpec);
}

/**
 * Completes the next status (observed counts, selector, observedGeneration, conditions, phase and
 * message — with the progress of a paced return to stable, `rollbackTrafficNote`) and assembles the plan. `Progressing` comes first because its deadline is the one decision made
 * here (`progressDeadlineAbort` may abort); the facts of the other conditions are those of the status after
 * it. `controllerPause` without pause conditions (a user resumed) is reset only by a pass that planned the
 * steps, so a resume seen while `spec.paused` or during a restart is not lost; `requeueAfterMs` is the
 * earliest of the pause end and the progress deadline. A pass over an unchanged, converged world reproduces
 * the observed status exactly.
 */
export function finishPlan(ctx: PlanContext, draft: Draft): RolloutPlan {
  const status = draft.status;
  setObservedCounts(ctx, status);
  const wasAborted = isAborted(ctx, draft);
  let facts = statusFacts(ctx, draft);
  const deadlineMs = applyProgressing(ctx, draft, facts);
  if (isAborted(ctx, draft) !== wasAborted) facts = statusFacts(ctx, draft);
  tidy(ctx, draft);
  applyOtherConditions(ctx, draft, facts);
  const { phase, message } = rolloutPhase(ctx.rollout.spec, status);
  const note = rollbackTrafficNote(ctx, draft, rolesOf(ctx, draft));
  status.phase = phase;
  status.message = note === undefined ? message : `${message} (${note})`;
  const waits = deadlineMs === undefined ? draft.requeueMs : [...draft.requeueMs, deadlineMs];
  return {
    actions: draft.actions,
    status,
    ...(waits.length > 0 ? { requeueAfterMs: Math.min(...waits) } : {}),
  };
}
