import type { CanaryStep, CanaryStrategy, Rollout, RolloutStatus } from '../../api/index.js';
import { canarySettings, EVENT_REASON, resolveSurgeUnavailable, rolloutSettings } from '../../api/index.js';
import { rfc3339Seconds } from '../../util/time.js';
import type { RolloutAction } from '../core/actions.js';
import { stepsHash } from '../core/pod-template-hash.js';
import { type ClassifiedReplicaSets, classifyReplicaSets, desiredRevision } from '../core/replicasets.js';
import type { ReplicaSetView, RolloutSnapshot } from '../core/snapshot.js';

/** Everything a pass derives once from the snapshot; read-only for the planner steps. */
export interface PlanContext {
  snapshot: RolloutSnapshot;
  rollout: Rollout;
  name: string;
  nowMs: number;
  nowIso: string;
  old: RolloutStatus;
  settings: ReturnType<typeof rolloutSettings>;
  canary: CanaryStrategy;
  steps: readonly CanaryStep[];
  stepsHash: string;
  routed: boolean;
  maxWeight: number;
  maxSurge: number;
  maxUnavailable: number;
  sets: ClassifiedReplicaSets;
  revision: number;
}

/** The next status under construction plus what the pass decided to do. */
export interface Draft {
  status: RolloutStatus;
  actions: RolloutAction[];
  requeueMs: number[];
  created: boolean;
  retried: boolean;
  /** The recorded stable ReplicaSet is gone and the desired one differs: hold, never promote. */
  stableMissing: boolean;
  /** Step progression ran this pass (only then may a user's resume, `controllerPause` alone, be reset). */
  stepsPlanned: boolean;
  abortCause?: string;
}

/** ReplicaSets by role for the draft's stable hash; `stable` is `undefined` when it is the desired one. */
export interface Roles {
  desired: ReplicaSetView | undefined;
  stable: ReplicaSetView | undefined;
  others: ReplicaSetView[];
  promoted: boolean;
}

/** Builds the context of a valid canary Rollout (validation guarantees `strategy.canary`). */
export function planContext(snapshot: RolloutSnapshot): PlanContext {
  const { rollout } = snapshot;
  const canary = rollout.spec.strategy.canary ?? {};
  const settings = rolloutSettings(rollout.spec);
  const canaryDefaults = canarySettings(canary);
  const fence = resolveSurgeUnavailable(
    canaryDefaults.maxSurge,
    canaryDefaults.maxUnavailable,
    settings.replicas,
  );
  const sets = classifyReplicaSets(snapshot);
  const rest = snapshot.replicaSets.filter((rs) => rs !== sets.desired);
  return {
    snapshot,
    rollout,
    name: rollout.metadata.name ?? '',
    nowMs: snapshot.now.getTime(),
    nowIso: rfc3339Seconds(snapshot.now),
    old: rollout.status ?? {},
    settings,
    canary,
    steps: canaryDefaults.steps,
    stepsHash: stepsHash(canaryDefaults.steps),
    routed: canary.trafficRouting !== undefined,
    maxWeight: canary.trafficRouting ? canaryDefaults.maxTrafficWeight : 100,
    ...fence,
    sets,
    revision: desiredRevision(sets.desired, rest),
  };
}

/** A fresh draft: a copy of the observed status (nested objects copied where the planner edits them). */
export function startDraft(ctx: PlanContext): Draft {
  const status: RolloutStatus = { ...ctx.old, canary: { ...ctx.old.canary } };
  return {
    status,
    actions: [],
    requeueMs: [],
    created: false,
    retried: false,
    stableMissing: false,
    stepsPlanned: false,
  };
}

/** Adds an `emitEvent` action. */
export function emit(draft: Draft, type: 'Normal' | 'Warning', reason: string, message: string): void {
  draft.actions.push({ kind: 'emitEvent', type, reason, message });
}

/** Roles as seen by the draft (after a promotion or initial deploy in this pass, stable is the desired RS). */
export function rolesOf(ctx: PlanContext, draft: Draft): Roles {
  const { desired } = ctx.sets;
  const stableHash = draft.status.stableRS;
  const promoted = stableHash === ctx.sets.currentHash;
  const stable = promoted
    ? undefined
    : ctx.snapshot.replicaSets.find((rs) => rs.podTemplateHash === stableHash);
  const others = ctx.sets.others.concat(
    ctx.sets.stable && ctx.sets.stable !== stable ? [ctx.sets.stable] : [],
  );
  return { desired, stable, others: others.filter((rs) => rs !== desired && rs !== stable), promoted };
}

/** True while `status.abort` is set and the rollout is not fully promoted. */
export function isAborted(ctx: PlanContext, draft: Draft): boolean {
  return draft.status.abort === true && draft.status.stableRS !== ctx.sets.currentHash;
}

/**
 * Adds the pause condition `reason` (started now) and `controllerPause`, with one `RolloutPaused` event;
 * nothing when a pause of that reason is already recorded.
 */
export function addPause(ctx: PlanContext, draft: Draft, reason: string): void {
  if ((draft.status.pauseConditions ?? []).some((c) => c.reason === reason)) return;
  draft.status.pauseConditions = [...(draft.status.pauseConditions ?? []), { reason, startTime: ctx.nowIso }];
  draft.status.controllerPause = true;
  emit(draft, 'Normal', EVENT_REASON.rolloutPaused, `Rollout is paused (${reason})`);
}
