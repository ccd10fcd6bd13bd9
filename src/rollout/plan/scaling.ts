import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { EVENT_REASON, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../../api/index.js';
import { antiAffinityOf, withAntiAffinity } from '../core/anti-affinity.js';
import { ephemeralSpecOf } from '../core/ephemeral-spec.js';
import { drainOthers } from '../core/replica-counts.js';
import { replicaSetName, revisionOf } from '../core/replicasets.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import { type Draft, emit, isAborted, type PlanContext, type Roles } from './context.js';
import { scalesStableDynamically } from './dynamic-stable.js';
import { type Ephemeral, ephemeralOf, ephemeralRecord } from './ephemeral-metadata.js';
import { stableRecordAnnotation } from './missing-stable.js';
import { targetCounts } from './replica-targets.js';
import {
  clearScaleDownDeadline,
  type ScaleDownTarget,
  scaleDownAfterDelay,
  scaleDownOldAfterDelay,
} from './scale-down-delay.js';

/** Argo's default for `scaleDownDelaySeconds` and `abortScaleDownDelaySeconds` (traffic-routed canaries). */
const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

function injected(ctx: PlanContext, roles: Roles): Ephemeral {
  const spec = ephemeralSpecOf(ctx.rollout.spec.strategy);
  return ephemeralOf(roles.stable ? spec.desired : spec.stable);
}

function podTemplate(ctx: PlanContext, roles: Roles): PodTemplateSpec {
  const template = ctx.rollout.spec.template ?? {};
  const ephemeral = injected(ctx, roles);
  const labels = {
    ...template.metadata?.labels,
    ...ephemeral?.labels,
    [POD_TEMPLATE_HASH_LABEL]: ctx.sets.currentHash,
  };
  const annotations = { ...template.metadata?.annotations, ...ephemeral?.annotations };
  const metadata = {
    ...template.metadata,
    labels,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  const antiAffinity = antiAffinityOf(ctx.rollout.spec.strategy);
  const namespace = ctx.rollout.metadata.namespace ?? '';
  return withAntiAffinity({ ...template, metadata }, antiAffinity, roles.stable?.podTemplateHash, namespace);
}

/**
 * Creates the desired ReplicaSet `<rollout>-<hash>` with `replicas` (emits `NewReplicaSetCreated`), labelled
 * like its pods' template plus the hash, as Argo (and a Deployment) label theirs, so `spec.selector` finds it;
 * while a distinct stable exists its pod template carries the strategy's `antiAffinity` term against the
 * stable's pods.
 */
export function createDesired(ctx: PlanContext, draft: Draft, roles: Roles, replicas: number): void {
  const hash = ctx.sets.currentHash;
  const name = replicaSetName(ctx.name, hash);
  const selector = ctx.rollout.spec.selector ?? {};
  draft.actions.push({
    kind: 'createReplicaSet',
    name,
    podTemplateHash: hash,
    revision: ctx.revision,
    replicas,
    labels: { ...ctx.rollout.spec.template?.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash },
    annotations: {
      [REVISION_ANNOTATION]: String(ctx.revision),
      ...ephemeralRecord(injected(ctx, roles)),
      ...stableRecordAnnotation(roles.stable),
    },
    selector: { ...selector, matchLabels: { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
    template: podTemplate(ctx, roles),
    minReadySeconds: ctx.settings.minReadySeconds,
  });
  draft.created = true;
  emit(
    draft,
    'Normal',
    EVENT_REASON.newReplicaSetCreated,
    `Created ReplicaSet ${name} (revision ${ctx.revision}) with ${replicas} replicas`,
  );
}

/** Bookkeeping only the desired ReplicaSet keeps in sync: its revision and `minReadySeconds`. */
export interface DesiredSync {
  revision: number;
  minReadySeconds: number;
}

/**
 * Scales `rs` to `replicas` (and, with `sync`, keeps its revision annotation and `minReadySeconds` in step);
 * no action when nothing differs.
 */
export function scale(draft: Draft, rs: ReplicaSetView, replicas: number, sync?: DesiredSync): void {
  const stale = sync !== undefined && revisionOf(rs) !== sync.revision;
  const slow = sync !== undefined && (rs.minReadySeconds ?? 0) !== sync.minReadySeconds;
  if (rs.specReplicas === replicas && !stale && !slow) return;
  const annotations = stale ? { annotations: { [REVISION_ANNOTATION]: String(sync.revision) } } : {};
  const minReady = slow ? { minReadySeconds: sync.minReadySeconds } : {};
  draft.actions.push({ kind: 'scaleReplicaSet', name: rs.name, replicas, ...annotations, ...minReady });
  if (rs.specReplicas !== replicas) {
    const direction = replicas > rs.specReplicas ? 'up' : 'down';
    emit(
      draft,
      'Normal',
      EVENT_REASON.scalingReplicaSet,
      `Scaled ${direction} ReplicaSet ${rs.name} from ${rs.specReplicas} to ${replicas}`,
    );
  }
}

function routedTo(ctx: PlanContext, draft: Draft, hash: string | undefined): boolean {
  const recorded = [ctx.old.canary?.weights, draft.status.canary?.weights];
  return recorded.some(
    (weights) =>
      weights !== undefined &&
      [weights.canary, weights.stable].some((d) => d.weight > 0 && d.podTemplateHash === hash),
  );
}

function othersTargets(ctx: PlanContext, draft: Draft, roles: Roles): number[] {
  if (ctx.routed)
    return roles.others.map((rs) => (routedTo(ctx, draft, rs.podTemplateHash) ? rs.specReplicas : 0));
  const all = [roles.desired, roles.stable, ...roles.others];
  const available = all.reduce((sum, rs) => sum + (rs?.availableReplicas ?? 0), 0);
  return drainOthers(roles.others, available, ctx.settings.replicas - ctx.maxUnavailable);
}

/**
 * Scales towards `targetCounts`, in the order stable → desired (created if missing) → older ReplicaSets, so
 * stable capacity is restored before the canary shrinks; the desired ReplicaSet's revision annotation and
 * `minReadySeconds` follow the Rollout (Argo syncs the new ReplicaSet the same way). Older ReplicaSets are
 * drained within maxUnavailable, or, with traffic routing, only once no recorded traffic weight points at
 * them and their `scaleDownDelaySeconds` (default 30) has passed, for at most `scaleDownDelayRevisionLimit`
 * of them at once (`scaleDownOldAfterDelay`); with `dynamicStableScale` at once (Argo: no delay there).
 */
export function planScaling(ctx: PlanContext, draft: Draft, roles: Roles): void {
  const counts = targetCounts(ctx, draft, roles);
  if (roles.stable) scale(draft, roles.stable, counts.stable);
  if (roles.desired) scaleCanary(ctx, draft, roles, counts.canary);
  else createDesired(ctx, draft, roles, counts.canary);
  const targets = othersTargets(ctx, draft, roles).map((replicas, i) => ({ rs: roles.others[i], replicas }));
  const pending = targets.filter(
    (t): t is ScaleDownTarget => t.rs !== undefined && t.replicas < t.rs.specReplicas,
  );
  if (ctx.routed && !scalesStableDynamically(ctx)) {
    const delay = ctx.canary.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    scaleDownOldAfterDelay(ctx, draft, pending, delay);
  } else for (const { rs, replicas } of pending) scale(draft, rs, replicas);
}

/**
 * The desired ReplicaSet towards `replicas`. With traffic routing, an aborted canary is scaled down only after
 * `abortScaleDownDelaySeconds` (default 30; 0 keeps it), as Argo does (see `scaleAbortedCanary` for
 * `dynamicStableScale`); otherwise a stale scale-down deadline is cleared (a retried or rolled-back-to
 * ReplicaSet).
 */
function scaleCanary(ctx: PlanContext, draft: Draft, roles: Roles, replicas: number): void {
  const desired = roles.desired;
  if (desired === undefined) return;
  if (ctx.routed && isAborted(ctx, draft) && replicas < desired.specReplicas) {
    scaleAbortedCanary(ctx, draft, roles, desired, replicas);
    return;
  }
  scale(draft, desired, replicas, { revision: ctx.revision, minReadySeconds: ctx.settings.minReadySeconds });
  if (!isAborted(ctx, draft)) clearScaleDownDeadline(draft, desired, replicas);
}

/**
 * A traffic-routed aborted canary going down to `replicas`: after `abortScaleDownDelaySeconds` (default 30;
 * 0 keeps it). With `dynamicStableScale` (Argo `shouldDelayScaleDownOnAbort`) the canary follows the traffic
 * step-down at once unless a positive delay is set explicitly; then it stays whole until the stable has all
 * `replicas` available, and its deadline starts from there.
 */
function scaleAbortedCanary(
  ctx: PlanContext,
  draft: Draft,
  roles: Roles,
  desired: ReplicaSetView,
  replicas: number,
): void {
  const explicit = ctx.canary.abortScaleDownDelaySeconds;
  if (!scalesStableDynamically(ctx)) {
    const delay = explicit ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
    if (delay > 0) scaleDownAfterDelay(ctx, draft, desired, replicas, delay);
  } else if (explicit === undefined || explicit <= 0) {
    scale(draft, desired, replicas);
  } else if ((roles.stable?.availableReplicas ?? 0) >= ctx.settings.replicas) {
    scaleDownAfterDelay(ctx, draft, desired, replicas, explicit);
  }
}

/**
 * Deletes the oldest ReplicaSets that are fully scaled down (spec and observed replicas 0) beyond
 * `revisionHistoryLimit`; never the desired or stable one.
 */
export function planHistory(ctx: PlanContext, draft: Draft, roles: Roles): void {
  const idle = roles.others.filter((rs) => rs.specReplicas === 0 && rs.replicas === 0);
  const excess = idle.length - ctx.settings.revisionHistoryLimit;
  for (const rs of idle.slice(0, Math.max(0, excess)))
    draft.actions.push({ kind: 'deleteReplicaSet', name: rs.name });
}
