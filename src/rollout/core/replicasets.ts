import { REVISION_ANNOTATION } from '../../api/index.js';
import { ephemeralSpecOf } from './ephemeral-spec.js';
import { podTemplateHash } from './pod-template-hash.js';
import type { ReplicaSetView, RolloutSnapshot } from './snapshot.js';
import { findSameTemplate } from './template-match.js';

/**
 * The Rollout's ReplicaSets by role. `desired` carries the hash of the current `spec.template`; `stable`
 * carries `status.stableRS` (the same object as `desired` when fully promoted); `others` is every other
 * ReplicaSet, oldest revision first. No ReplicaSet appears in two roles except desired/stable.
 */
export interface ClassifiedReplicaSets {
  currentHash: string;
  desired: ReplicaSetView | undefined;
  stable: ReplicaSetView | undefined;
  others: ReplicaSetView[];
}

/** The `rollout.argoproj.io/revision` of a ReplicaSet; 0 when absent or not a positive integer. */
export function revisionOf(rs: ReplicaSetView): number {
  const text = rs.annotations[REVISION_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

/** The highest revision among `replicaSets` (0 for none). Examples: [1, 3, 2] → 3; [] → 0. */
export function maxRevision(replicaSets: readonly ReplicaSetView[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/**
 * The revision the desired ReplicaSet should carry: its own when it is already the newest, otherwise one
 * more than the highest other revision (a new RS, or an old one brought back by undo).
 * Examples: new RS with others [1, 2] → 3; desired at 3 with others [1, 2] → 3; desired at 1, others [2] → 3.
 */
export function desiredRevision(
  desired: ReplicaSetView | undefined,
  rest: readonly ReplicaSetView[],
): number {
  const highestOther = maxRevision(rest);
  const own = desired === undefined ? 0 : revisionOf(desired);
  return own > highestOther ? own : highestOther + 1;
}

/** `<rollout>-<hash>`: the deterministic name of the ReplicaSet for a pod-template hash. */
export function replicaSetName(rolloutName: string, hash: string): string {
  return `${rolloutName}-${hash}`;
}

/**
 * Splits the snapshot's ReplicaSets by role (see `ClassifiedReplicaSets`); roles are found by the pod hash
 * label, never by name, so adopting renamed ReplicaSets keeps working. When no ReplicaSet carries the
 * template's own hash, one whose template is semantically the same (`findSameTemplate`: an undo copied its
 * template back) is the desired one, and `currentHash` is its hash.
 */
export function classifyReplicaSets(snapshot: RolloutSnapshot): ClassifiedReplicaSets {
  const { rollout } = snapshot;
  const ownHash = podTemplateHash(rollout.spec.template, rollout.status?.collisionCount);
  const stableHash = rollout.status?.stableRS;
  const byRevision = [...snapshot.replicaSets].sort(
    (a, b) => revisionOf(a) - revisionOf(b) || a.name.localeCompare(b.name),
  );
  const desired =
    snapshot.replicaSets.find((rs) => rs.podTemplateHash === ownHash) ??
    findSameTemplate(rollout.spec.template, ephemeralSpecOf(rollout.spec.strategy), byRevision, stableHash);
  const currentHash = desired?.podTemplateHash ?? ownHash;
  const stable = stableHash
    ? snapshot.replicaSets.find((rs) => rs.podTemplateHash === stableHash)
    : undefined;
  const others = byRevision.filter((rs) => rs !== desired && rs !== stable);
  return { currentHash, desired, stable, others };
}
