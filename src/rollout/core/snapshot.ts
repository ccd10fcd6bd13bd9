import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Issue, LabelSelector, Rollout } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import type { WorkloadObservation } from './workload-ref.js';

/**
 * What the planner needs of one ReplicaSet the Rollout owns. `specReplicas` is the desired count;
 * `replicas`/`readyReplicas`/`availableReplicas` are observed (`status`), all ≥ 0.
 */
export interface ReplicaSetView {
  name: string;
  podTemplateHash: string | undefined;
  specReplicas: number;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  annotations: Readonly<Record<string, string>>;
  /** `spec.minReadySeconds` (absent means 0). */
  minReadySeconds?: number;
  creationTimestamp?: string;
  template?: PodTemplateSpec;
  /** `spec.selector` (an `experiment` step copies it into the Experiment's templates). */
  selector?: LabelSelector;
}

/** One `status.templateStatuses[]` entry of an Experiment: where its template's traffic would go. */
export interface ExperimentTemplateView {
  name: string;
  serviceName?: string;
  podTemplateHash?: string;
}

/** What the planner needs of one AnalysisRun the Rollout owns; `phase` is absent before the first reconcile. */
export interface AnalysisRunView {
  name: string;
  labels: Readonly<Record<string, string>>;
  phase?: string;
  message?: string;
  terminate?: boolean;
  /** `metadata.creationTimestamp` (RFC 3339): orders the run history. */
  createdAt?: string;
}

/**
 * What the planner needs of one Experiment the Rollout owns (created by an `experiment` step): the fields of
 * a run (`phase` absent before the Experiment controller's first pass) and where its templates' traffic goes.
 */
export interface ExperimentView extends AnalysisRunView {
  templateStatuses: readonly ExperimentTemplateView[];
}

/**
 * What the planner needs of one pod of an owned ReplicaSet (only observed while a restart is pending).
 * `ready` is the pod's Ready condition; `terminating` is true once it has a deletionTimestamp.
 */
export interface PodView {
  name: string;
  uid: string;
  replicaSet: string;
  creationTimestamp: string;
  ready: boolean;
  terminating: boolean;
}

/** The pod hash a Service named in the canary strategy currently selects (`undefined`: no hash key). */
export interface ServiceView {
  name: string;
  podTemplateHash: string | undefined;
  /** The Rollout its `argo-rollouts.argoproj.io/managed-by-rollouts` annotation names, if any. */
  managedBy?: string;
}

/**
 * What the Rollout's traffic routers show now (read from caches): the canary/stable weights every router
 * agrees on (absent when not reported or not agreed); `drifted` when the routed objects differ from the
 * traffic `status.canary.weights` records (edited by hand); and `reference` issues that would stop an edit
 * (missing VirtualService or route, a route without both destinations…).
 */
export interface TrafficView {
  canaryWeight?: number;
  stableWeight?: number;
  drifted: boolean;
  issues: readonly Issue[];
}

/**
 * The AnalysisTemplates (of the Rollout's namespace) and ClusterAnalysisTemplates a Rollout reaches — named
 * by one of its analyses or composed through a reached template's `spec.templates` — by name, as cached
 * (raw objects: the planner parses and checks them). A name missing from a map does not exist. A scope that
 * cannot be read (ClusterAnalysisTemplates in a namespaced install) is absent and its references unchecked.
 */
export interface ObservedAnalysisTemplates {
  namespaced?: ReadonlyMap<string, unknown>;
  cluster?: ReadonlyMap<string, unknown>;
}

/**
 * Everything one planning pass may look at, read once per reconcile. Invariant: the planner is a pure
 * function of this value; `now` is the only time source. `services` is optional: a Service absent from it
 * is treated as unknown and never written.
 */
export interface RolloutSnapshot {
  rollout: Rollout;
  replicaSets: readonly ReplicaSetView[];
  analysisRuns: readonly AnalysisRunView[];
  /** The Experiments the Rollout owns; absent is read as none. */
  experiments?: readonly ExperimentView[];
  services?: readonly ServiceView[];
  /** The pods of the owned ReplicaSets; present only when `needsPods(rollout)` (restart pending). */
  pods?: readonly PodView[];
  /** Observed traffic; present only with traffic routing. Absent → weights are trusted from status. */
  traffic?: TrafficView;
  /**
   * With `spec.workloadRef`: the reference and the referenced object as observed. When the object was
   * found, `rollout` is already the effective Rollout (template and selector from the workload).
   */
  workload?: WorkloadObservation;
  /** The analysis templates the Rollout reaches; absent → analysis references are not checked. */
  analysisTemplates?: ObservedAnalysisTemplates;
  now: Date;
}

/** The parts of a `apps/v1` ReplicaSet that `replicaSetView` reads (structural, so any client type fits). */
export interface ReplicaSetLike {
  metadata?: {
    name?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    template?: PodTemplateSpec;
    selector?: LabelSelector;
  };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

/**
 * The planner's view of a ReplicaSet object. Missing counts are 0 except `spec.replicas`, which defaults
 * to 1 as the API server does.
 */
export function replicaSetView(rs: ReplicaSetLike): ReplicaSetView {
  const meta = rs.metadata ?? {};
  return {
    name: meta.name ?? '',
    podTemplateHash: meta.labels?.[POD_TEMPLATE_HASH_LABEL],
    specReplicas: rs.spec?.replicas ?? 1,
    replicas: rs.status?.replicas ?? 0,
    readyReplicas: rs.status?.readyReplicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
    annotations: meta.annotations ?? {},
    ...(rs.spec?.minReadySeconds ? { minReadySeconds: rs.spec.minReadySeconds } : {}),
    ...(meta.creationTimestamp === undefined ? {} : { creationTimestamp: meta.creationTimestamp }),
    ...(rs.spec?.template === undefined ? {} : { template: rs.spec.template }),
    ...(rs.spec?.selector === undefined ? {} : { selector: rs.spec.selector }),
  };
}
