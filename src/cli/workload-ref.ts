import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Rollout } from '../api/index.js';
import { resolvedWorkloadRef, type WorkloadKind, workloadRefIssues } from '../api/index.js';
import type { JsonPatchOp } from '../kube/client.js';
import { CliError } from './errors.js';

/** A Deployment, ReplicaSet or PodTemplate as `set image` and `undo` read it. */
export interface WorkloadDocument {
  metadata?: { name?: string; resourceVersion?: string };
  spec?: { template?: PodTemplateSpec };
  template?: PodTemplateSpec;
}

/** The workload a Rollout's `spec.workloadRef` names. */
export interface WorkloadTarget {
  kind: WorkloadKind;
  name: string;
}

/**
 * The workload `rollout` takes its pod template from, or undefined without `spec.workloadRef`. Throws a
 * {@link CliError} for a reference the controller would reject (unknown kind, no name).
 */
export function workloadTarget(rollout: Rollout): WorkloadTarget | undefined {
  if (rollout.spec.workloadRef === undefined) return undefined;
  const ref = resolvedWorkloadRef({ ...rollout.spec, template: undefined });
  if (ref === undefined) {
    const issue = workloadRefIssues({ ...rollout.spec, template: undefined })[0];
    throw new CliError(`rollout "${rollout.metadata.name}" has an invalid ${issue?.path}: ${issue?.message}`);
  }
  return { kind: ref.kind, name: ref.name };
}

/** JSON-pointer of the pod template in an object of `kind`: `/template` (PodTemplate) or `/spec/template`. */
export function templatePointer(kind: WorkloadKind): string {
  return kind === 'PodTemplate' ? '/template' : '/spec/template';
}

/** The pod template of a workload document of `kind`. */
export function workloadTemplate(kind: WorkloadKind, doc: WorkloadDocument): PodTemplateSpec | undefined {
  return kind === 'PodTemplate' ? doc.template : doc.spec?.template;
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * `set image` on any pod template at JSON-pointer `base`: one `replace` per matching container image in
 * `{initContainers,containers,ephemeralContainers}` (`*` matches all), preceded by a `test` of
 * `metadata.resourceVersion` when known (a concurrent change fails with Conflict, like Argo's full Update).
 * Throws a {@link CliError} when no container matches.
 */
export function imageOps(
  template: PodTemplateSpec | undefined,
  base: string,
  resourceVersion: string | undefined,
  assignment: { container: string; image: string },
): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  for (const list of CONTAINER_LISTS) {
    (template?.spec?.[list] ?? []).forEach((c: { name: string }, i: number) => {
      if (assignment.container === '*' || c.name === assignment.container) {
        ops.push({ op: 'replace', path: `${base}/spec/${list}/${i}/image`, value: assignment.image });
      }
    });
  }
  if (ops.length === 0) throw new CliError(`unable to find container named "${assignment.container}"`);
  return resourceVersion === undefined
    ? ops
    : [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }, ...ops];
}

/** `get rollout`'s line for the reference: `Deployment/web (scaleDown: onsuccess)`; undefined without one. */
export function workloadRefText(rollout: Rollout): string | undefined {
  const ref = rollout.spec.workloadRef;
  if (ref === undefined) return undefined;
  return `${ref.kind ?? '?'}/${ref.name ?? '?'} (scaleDown: ${ref.scaleDown ?? 'never'})`;
}
