import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Issue, LabelSelector, ResolvedWorkloadRef, Rollout, WorkloadKind } from '../../api/index.js';
import { reference } from '../../api/index.js';

/**
 * What a Rollout needs of the workload its `workloadRef` names. `generation` is the object's
 * `metadata.generation` (0 when the kind keeps none, as PodTemplates do); `replicas` is a Deployment's
 * `spec.replicas` (1 when unset, as the API server defaults it) and absent for other kinds; `selector` is
 * absent for a PodTemplate.
 */
export interface WorkloadObject {
  generation: number;
  template: PodTemplateSpec;
  selector?: LabelSelector;
  replicas?: number;
}

/** The reference and, when the object exists, what was observed of it (`object` absent: not found). */
export interface WorkloadObservation {
  ref: ResolvedWorkloadRef;
  object?: WorkloadObject;
}

/** The parts of a Deployment, ReplicaSet or PodTemplate `workloadObject` reads (structural: any client type fits). */
export interface WorkloadLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplateSpec };
  template?: PodTemplateSpec;
}

/**
 * The planner's view of a referenced object of `kind`: the pod template at `spec.template` (Deployment,
 * ReplicaSet) or `template` (PodTemplate), an empty template when there is none.
 */
export function workloadObject(kind: WorkloadKind, obj: WorkloadLike): WorkloadObject {
  const generation = obj.metadata?.generation ?? 0;
  if (kind === 'PodTemplate') return { generation, template: obj.template ?? {} };
  const selector = obj.spec?.selector === undefined ? {} : { selector: obj.spec.selector };
  const replicas = kind === 'Deployment' ? { replicas: obj.spec?.replicas ?? 1 } : {};
  return { generation, template: obj.spec?.template ?? {}, ...selector, ...replicas };
}

/**
 * The Rollout the planner sees for a resolved `workloadRef` (Argo `SetResolvedTemplate` /
 * `SetResolvedSelector`): `spec.template` is the workload's template, `spec.selector` the Rollout's own or
 * else the workload's, and `spec.workloadRef` is dropped (the snapshot's `workload` carries it), so the
 * effective Rollout is validated like one written with an inline template. Metadata and status are kept.
 */
export function effectiveRollout(rollout: Rollout, object: WorkloadObject): Rollout {
  const { workloadRef: _ref, ...spec } = rollout.spec;
  const selector = rollout.spec.selector ?? object.selector;
  return {
    ...rollout,
    spec: { ...spec, template: object.template, ...(selector === undefined ? {} : { selector }) },
  };
}

/** The `reference` issue of a workload that does not exist: Argo's `InvalidSpec` on `spec.workloadRef`. */
export function missingWorkloadIssue(ref: ResolvedWorkloadRef, namespace: string | undefined): Issue {
  const where = namespace ? ` in namespace "${namespace}"` : '';
  return reference(['spec', 'workloadRef', 'name'], `${ref.kind} "${ref.name}" not found${where}`);
}

/**
 * Issues of the effective Rollout (its template and selector come from the workload) restated on
 * `spec.workloadRef`, so the user is pointed at the referenced object: `spec.template.metadata.labels:
 * must match spec.selector` becomes `spec.workloadRef: Deployment "web": spec.template.metadata.labels
 * must match spec.selector`. Issues on other paths are kept as they are.
 */
export function restateOnWorkloadRef(issues: readonly Issue[], ref: ResolvedWorkloadRef): Issue[] {
  return issues.map((issue) =>
    issue.path.startsWith('spec.template') || issue.path.startsWith('spec.selector')
      ? {
          ...issue,
          path: 'spec.workloadRef',
          message: `${ref.kind} "${ref.name}": ${issue.path} ${issue.message}`,
        }
      : issue,
  );
}
