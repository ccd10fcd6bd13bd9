import type { PodMetadata } from '../../api/index.js';
import { EPHEMERAL_METADATA_ANNOTATION, VIREO_EVENT_REASON } from '../../api/index.js';
import { ephemeralSpecOf } from '../core/ephemeral-spec.js';
import { canonicalJson } from '../core/pod-template-hash.js';
import type { ReplicaSetView } from '../core/snapshot.js';
import { type Draft, emit, type PlanContext, type Roles } from './context.js';

/** Ephemeral labels and annotations as injected: only non-empty maps are present. */
export interface Ephemeral {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The normal form of ephemeral metadata: copies of the non-empty maps. Example: `{labels: {}}` → `{}`. */
export function ephemeralOf(metadata: PodMetadata | undefined): Ephemeral {
  const labels = metadata?.labels ?? {};
  const annotations = metadata?.annotations ?? {};
  return {
    ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  };
}

/**
 * The `rollout.argoproj.io/ephemeral-metadata` annotations recording `injected` (none when nothing was
 * injected, so Rollouts without ephemeral metadata leave their ReplicaSets untouched).
 */
export function ephemeralRecord(injected: Ephemeral): Record<string, string> {
  return Object.keys(injected).length > 0 ? { [EPHEMERAL_METADATA_ANNOTATION]: canonicalJson(injected) } : {};
}

/** What the ReplicaSet records as injected; `{}` when unrecorded or malformed. */
export function recordedEphemeral(rs: ReplicaSetView): Ephemeral {
  const text = rs.annotations[EPHEMERAL_METADATA_ANNOTATION];
  if (text === undefined) return {};
  try {
    const value = JSON.parse(text) as PodMetadata;
    return value !== null && typeof value === 'object' ? ephemeralOf(value) : {};
  } catch {
    return {};
  }
}

/** Keys of `from` absent in `to` (what must be removed when moving from one injection to the other). */
function removed(from: Record<string, string> | undefined, to: Record<string, string> | undefined): string[] {
  return Object.keys(from ?? {}).filter((key) => to?.[key] === undefined);
}

function sync(draft: Draft, rs: ReplicaSetView | undefined, want: Ephemeral, role: string): void {
  if (rs?.podTemplateHash === undefined) return;
  const had = recordedEphemeral(rs);
  if (canonicalJson(had) === canonicalJson(want)) return;
  draft.actions.push({
    kind: 'syncEphemeralMetadata',
    name: rs.name,
    podTemplateHash: rs.podTemplateHash,
    labels: want.labels ?? {},
    annotations: want.annotations ?? {},
    removeLabels: removed(had.labels, want.labels),
    removeAnnotations: removed(had.annotations, want.annotations),
    record: canonicalJson(want),
  });
  const what = role === 'no' ? 'Removed injected metadata from' : `Applied ${role} metadata to`;
  emit(
    draft,
    'Normal',
    VIREO_EVENT_REASON.ephemeralMetadataUpdated,
    `${what} ReplicaSet ${rs.name} and its pods`,
  );
}

/**
 * Ephemeral metadata (Argo `reconcileEphemeralMetadata`, both strategies, see `EphemeralSpec`): the new
 * ReplicaSet's pod template and pods carry `canaryMetadata` / `previewMetadata` until it is fully promoted,
 * the stable one's (the new one once promoted) `stableMetadata` / `activeMetadata`; when the recorded
 * injection differs (a promotion, or the spec changed), the ReplicaSet template and its existing pods are
 * patched and the record updated. Any other ReplicaSet that still records an injection has it removed (an
 * old active ReplicaSet waiting for its scale-down delay no longer claims to be active). ReplicaSets that
 * never had an injection are left untouched.
 */
export function planEphemeral(ctx: PlanContext, draft: Draft, roles: Roles): void {
  const spec = ephemeralSpecOf(ctx.rollout.spec.strategy);
  const [stableRole, desiredRole] = ctx.rollout.spec.strategy.blueGreen
    ? ['active', 'preview']
    : ['stable', 'canary'];
  const stableMeta = ephemeralOf(spec.stable);
  if (roles.promoted) sync(draft, roles.desired, stableMeta, stableRole);
  else {
    sync(draft, roles.stable, stableMeta, stableRole);
    if (roles.stable !== undefined) sync(draft, roles.desired, ephemeralOf(spec.desired), desiredRole);
  }
  for (const rs of roles.others) {
    if (Object.keys(recordedEphemeral(rs)).length > 0) sync(draft, rs, {}, 'no');
  }
}
