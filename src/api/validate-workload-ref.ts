import { type FieldPath, type Issue, invalid } from './issues.js';
import type { RolloutSpec } from './rollout-spec.js';

/** `spec.workloadRef.scaleDown` values (Argo's `ScaleDownNever`, `ScaleDownOnSuccess`, `ScaleDownProgressively`). */
export const SCALE_DOWN_MODES = ['never', 'onsuccess', 'progressively'] as const;

/** How the referenced Deployment is scaled down; an absent `scaleDown` means `never`. */
export type ScaleDownMode = (typeof SCALE_DOWN_MODES)[number];

/** The workload kinds a Rollout may take its pod template from, with the `apiVersion` each is served at. */
export const WORKLOAD_KINDS = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  PodTemplate: 'v1',
} as const satisfies Record<string, string>;

/** One of the `WORKLOAD_KINDS`. */
export type WorkloadKind = keyof typeof WORKLOAD_KINDS;

/** A `spec.workloadRef` that passed `workloadRefIssues`: every field known, `scaleDown` defaulted. */
export interface ResolvedWorkloadRef {
  apiVersion: string;
  kind: WorkloadKind;
  name: string;
  scaleDown: ScaleDownMode;
}

const REF: FieldPath = ['spec', 'workloadRef'];

function isWorkloadKind(kind: string | undefined): kind is WorkloadKind {
  return kind !== undefined && Object.hasOwn(WORKLOAD_KINDS, kind);
}

function isScaleDownMode(mode: string): mode is ScaleDownMode {
  return (SCALE_DOWN_MODES as readonly string[]).includes(mode);
}

function kindIssues(ref: NonNullable<RolloutSpec['workloadRef']>): Issue[] {
  const kinds = Object.keys(WORKLOAD_KINDS).join(', ');
  if (!isWorkloadKind(ref.kind)) {
    return [invalid([...REF, 'kind'], `must be one of ${kinds}, got ${JSON.stringify(ref.kind ?? '')}`)];
  }
  const apiVersion = WORKLOAD_KINDS[ref.kind];
  if (ref.apiVersion !== undefined && ref.apiVersion !== apiVersion) {
    return [invalid([...REF, 'apiVersion'], `must be "${apiVersion}" for kind ${ref.kind}`)];
  }
  return [];
}

/** Argo's `EmptyTemplate`: a template without labels and annotations counts as empty. */
function templateIsEmpty(spec: RolloutSpec): boolean {
  const meta = spec.template?.metadata;
  return Object.keys(meta?.labels ?? {}).length === 0 && Object.keys(meta?.annotations ?? {}).length === 0;
}

/**
 * The problems of `spec.workloadRef` itself (no object is looked up): `name` is required, `kind` is one of
 * `WORKLOAD_KINDS` at its `apiVersion`, `scaleDown` one of `SCALE_DOWN_MODES`, `spec.template` carries no
 * labels or annotations (Argo's "template must be empty"), and a PodTemplate (which has no selector)
 * needs `spec.selector`. Empty without `workloadRef`. Pure.
 */
export function workloadRefIssues(spec: RolloutSpec): Issue[] {
  const ref = spec.workloadRef;
  if (ref === undefined) return [];
  const issues: Issue[] = [];
  if (!ref.name) issues.push(invalid([...REF, 'name'], 'is required (the name of the referenced workload)'));
  issues.push(...kindIssues(ref));
  if (ref.scaleDown !== undefined && !isScaleDownMode(ref.scaleDown)) {
    const modes = SCALE_DOWN_MODES.join(', ');
    issues.push(invalid([...REF, 'scaleDown'], `must be one of ${modes}, got "${ref.scaleDown}"`));
  }
  if (!templateIsEmpty(spec)) {
    issues.push(invalid(['spec', 'template'], 'must be empty when spec.workloadRef is set'));
  }
  if (ref.kind === 'PodTemplate' && spec.selector === undefined) {
    issues.push(
      invalid(['spec', 'selector'], 'is required with a PodTemplate workloadRef (it has no selector)'),
    );
  }
  return issues;
}

/** `spec.workloadRef` with defaults applied, or undefined when it is absent or has `workloadRefIssues`. */
export function resolvedWorkloadRef(spec: RolloutSpec): ResolvedWorkloadRef | undefined {
  const ref = spec.workloadRef;
  if (ref === undefined || workloadRefIssues(spec).length > 0 || !isWorkloadKind(ref.kind)) return undefined;
  const scaleDown = ref.scaleDown !== undefined && isScaleDownMode(ref.scaleDown) ? ref.scaleDown : 'never';
  return { apiVersion: WORKLOAD_KINDS[ref.kind], kind: ref.kind, name: ref.name ?? '', scaleDown };
}
