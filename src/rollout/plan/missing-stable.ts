import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  STABLE_TEMPLATE_ANNOTATION,
  VIREO_EVENT_REASON,
  VIREO_REASON,
} from '../../api/index.js';
import { replicaSetName, revisionOf } from '../core/replicasets.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import { type Draft, emit, type PlanContext } from './context.js';

/**
 * The largest record written (characters). Kubernetes caps all annotations of an object at 256 KiB; a larger
 * template is not recorded and a deleted stable then holds the Rollout instead of being recreated.
 */
export const MAX_STABLE_RECORD = 128 * 1024;

/** What a canary ReplicaSet records about the stable one it was created against. */
export interface StableRecord {
  hash: string;
  revision: number;
  template: PodTemplateSpec;
}

/**
 * The `vireo.dev/stable-template` annotation value for a stable ReplicaSet, as annotations to merge
 * into a canary ReplicaSet at creation, so a stable ReplicaSet deleted by hand can be recreated exactly
 * (Argo cannot); `{}` when the stable's hash or template is unknown or the record would exceed
 * `MAX_STABLE_RECORD`.
 */
export function stableRecordAnnotation(stable: ReplicaSetView | undefined): Record<string, string> {
  if (stable?.podTemplateHash === undefined || stable.template === undefined) return {};
  const record: StableRecord = {
    hash: stable.podTemplateHash,
    revision: revisionOf(stable),
    template: stable.template,
  };
  const text = JSON.stringify(record);
  return text.length <= MAX_STABLE_RECORD ? { [STABLE_TEMPLATE_ANNOTATION]: text } : {};
}

/** The stable record on `rs` for `hash`, or `undefined` when absent, malformed or about another hash. */
export function stableRecordOf(rs: ReplicaSetView | undefined, hash: string): StableRecord | undefined {
  const text = rs?.annotations[STABLE_TEMPLATE_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<StableRecord>;
    const valid =
      record.hash === hash && typeof record.template === 'object' && typeof record.revision === 'number';
    return valid ? (record as StableRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The message of the hold when the stable ReplicaSet is gone and cannot be recreated. */
export function stableMissingMessage(ctx: PlanContext, hash: string): string {
  return (
    `stable ReplicaSet "${replicaSetName(ctx.name, hash)}" was deleted and its pod template is unknown; ` +
    `the canary is held, not promoted. Promote fully to accept revision ${ctx.revision}, or set ` +
    'spec.template back to the stable template to recreate it'
  );
}

/**
 * A stable ReplicaSet deleted by hand mid-update (`draft.stableMissing`): recreated with 0 replicas from
 * the record on the desired (else any other) ReplicaSet; the next pass scales it back within maxSurge,
 * stable first, as after any drift. When there is no record, the pass holds: nothing is scaled, no step
 * moves, the canary is never promoted, and one Warning event `StableReplicaSetMissing` is emitted when the
 * hold starts. Clears `draft.stableMissing` when the stable is being recreated.
 */
export function planMissingStable(ctx: PlanContext, draft: Draft): void {
  const hash = draft.status.stableRS ?? '';
  const carriers = [ctx.sets.desired, ...ctx.sets.others];
  const record = carriers.map((rs) => stableRecordOf(rs, hash)).find((r) => r !== undefined);
  if (record === undefined) {
    const already = ctx.old.conditions?.some((c) => c.reason === VIREO_REASON.stableMissing);
    if (!already)
      emit(draft, 'Warning', VIREO_EVENT_REASON.stableReplicaSetMissing, stableMissingMessage(ctx, hash));
    return;
  }
  draft.stableMissing = false;
  const name = replicaSetName(ctx.name, hash);
  const selector = ctx.rollout.spec.selector ?? {};
  const revision = record.revision > 0 ? record.revision : 1;
  draft.actions.push({
    kind: 'createReplicaSet',
    name,
    podTemplateHash: hash,
    revision,
    replicas: 0,
    labels: { [POD_TEMPLATE_HASH_LABEL]: hash },
    annotations: { [REVISION_ANNOTATION]: String(revision) },
    selector: { ...selector, matchLabels: { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
    template: record.template,
    minReadySeconds: ctx.settings.minReadySeconds,
  });
  emit(
    draft,
    'Warning',
    VIREO_EVENT_REASON.stableReplicaSetRecreated,
    `Recreated deleted stable ReplicaSet ${name}`,
  );
}
