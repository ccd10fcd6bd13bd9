import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, type Rollout } from '../api/index.js';
import type { JsonPatchOp } from '../kube/client.js';
import { CliError } from './errors.js';
import { imageOps } from './workload-ref.js';

/**
 * `set image NAME CONTAINER=IMAGE` on a Rollout with its own template: `imageOps` on `/spec/template`,
 * conditional on the Rollout's resourceVersion. Throws a {@link CliError} when no container matches or the
 * Rollout uses `workloadRef` (then the referenced workload is patched instead: `runSetImage`).
 */
export function setImageOps(rollout: Rollout, container: string, image: string): JsonPatchOp[] {
  if (rollout.spec.workloadRef !== undefined) {
    throw new CliError(`rollout "${rollout.metadata.name}" uses workloadRef; set the image on the workload`);
  }
  const template = rollout.spec.template as PodTemplateSpec | undefined;
  return imageOps(template, '/spec/template', rollout.metadata.resourceVersion, { container, image });
}

/** Parses `CONTAINER=IMAGE`; throws a {@link CliError} naming the expected form otherwise. */
export function parseImageAssignment(text: string): { container: string; image: string } {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw new CliError(`expected CONTAINER=IMAGE (or *=IMAGE), got "${text}"`);
  }
  return { container: text.slice(0, at), image: text.slice(at + 1) };
}

/** A ReplicaSet as `undo` needs it. */
export interface RevisionSource {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { template?: PodTemplateSpec };
}

function revisionOf(rs: RevisionSource): number {
  const text = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

/**
 * The ReplicaSet `undo --to-revision N` restores: revision N, or for N = 0 the previous one (the highest
 * revision below the newest), as `kubectl rollout undo` picks it. Throws a {@link CliError} when absent.
 * Example: revisions [1, 2, 3] → N=0 picks 2, N=1 picks 1, N=7 throws.
 */
export function undoTarget(replicaSets: readonly RevisionSource[], toRevision: number): RevisionSource {
  const byRevision = [...replicaSets].filter((rs) => revisionOf(rs) > 0);
  byRevision.sort((a, b) => revisionOf(b) - revisionOf(a));
  const found = toRevision === 0 ? byRevision[1] : byRevision.find((rs) => revisionOf(rs) === toRevision);
  if (found !== undefined) return found;
  if (toRevision === 0) throw new CliError('no previous revision to roll back to');
  throw new CliError(`unable to find specified revision ${toRevision} in history`);
}

/** `template` without the pod-template-hash label (the form a Rollout's own template has). */
export function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...template.metadata, labels } };
}

/**
 * `undo NAME`: JSON-patch `replace` of the template at `pointer` (`/spec/template` of the Rollout, or of the
 * workload `spec.workloadRef` names; `/template` of a PodTemplate) with the target ReplicaSet's template
 * minus the hash label.
 */
export function undoOps(target: RevisionSource, pointer = '/spec/template'): JsonPatchOp[] {
  const template = target.spec?.template;
  if (template === undefined) throw new CliError(`replicaset "${target.metadata?.name}" has no pod template`);
  return [{ op: 'replace', path: pointer, value: templateWithoutHash(template) }];
}

/** The revision number a ReplicaSet carries (0 when absent), for messages. */
export function revisionNumber(rs: RevisionSource): number {
  return revisionOf(rs);
}
