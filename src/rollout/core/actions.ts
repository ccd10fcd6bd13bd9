import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type {
  Experiment,
  LabelSelector,
  RolloutAnalysis,
  RolloutStatus,
  ServiceRoles,
} from '../../api/index.js';
import type { DesiredTraffic } from '../../traffic/desired-traffic.js';

/** Create ReplicaSet `<rollout>-<hash>` (owned by the Rollout); AlreadyExists means done. */
export interface CreateReplicaSetAction {
  kind: 'createReplicaSet';
  name: string;
  podTemplateHash: string;
  revision: number;
  replicas: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  selector: LabelSelector;
  template: PodTemplateSpec;
  minReadySeconds: number;
}

/** Set `spec.replicas` (and `spec.minReadySeconds`, and merge `annotations` into metadata) of an owned ReplicaSet. */
export interface ScaleReplicaSetAction {
  kind: 'scaleReplicaSet';
  name: string;
  replicas: number;
  annotations?: Record<string, string>;
  minReadySeconds?: number;
}

/** Delete an owned ReplicaSet that is scaled to zero and beyond `revisionHistoryLimit`; NotFound means done. */
export interface DeleteReplicaSetAction {
  kind: 'deleteReplicaSet';
  name: string;
}

/** Delete one pod of an owned ReplicaSet (restart); the uid precondition spares a replacement of the same name. */
export interface DeletePodAction {
  kind: 'deletePod';
  name: string;
  uid: string;
}

/**
 * Make the pod template of ReplicaSet `name` and its existing pods carry `labels`/`annotations` and not
 * `removeLabels`/`removeAnnotations`, then record `record` in its `rollout.argoproj.io/ephemeral-metadata`
 * annotation (last, so a failure part-way is redone by the next pass).
 */
export interface SyncEphemeralMetadataAction {
  kind: 'syncEphemeralMetadata';
  name: string;
  podTemplateHash: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  removeLabels: string[];
  removeAnnotations: string[];
  record: string;
}

/** Point a Service's `rollouts-pod-template-hash` selector at `podTemplateHash` (placeholder for the executor). */
export interface SetServiceSelectorAction {
  kind: 'setServiceSelector';
  service: string;
  podTemplateHash: string;
}

/**
 * Bring every router of the Rollout to this traffic, all decided by the plan: `canaryWeight` of the total to
 * `canaryHash`, `stableWeight` to `stableHash`, each listed Experiment Service its weight (retired ones
 * removed), exactly the listed header and mirror routes; `services` (set with `pingPong`) names the Services
 * in the canary and stable roles. The executor applies it as is.
 */
export interface ApplyTrafficAction extends DesiredTraffic {
  kind: 'applyTraffic';
  canaryHash: string;
  stableHash: string;
  services?: ServiceRoles;
}

/** Create the AnalysisRun of an `analysis` step, or the background run (`stepIndex` absent). */
export interface CreateAnalysisRunAction {
  kind: 'createAnalysisRun';
  name: string;
  podTemplateHash: string;
  revision: number;
  stepIndex?: number;
  labels: Record<string, string>;
  analysis: RolloutAnalysis;
}

/** Set `spec.terminate: true` on a running AnalysisRun (placeholder). */
export interface TerminateAnalysisRunAction {
  kind: 'terminateAnalysisRun';
  name: string;
}

/** Delete a completed AnalysisRun beyond the Rollout's run history limits (one already gone is done). */
export interface DeleteAnalysisRunAction {
  kind: 'deleteAnalysisRun';
  name: string;
}

/**
 * Create the Experiment of an `experiment` step (owned by the Rollout, built by the plan); an existing one of
 * that name controlled by this Rollout counts as created, one controlled by anything else is an error.
 */
export interface CreateExperimentAction {
  kind: 'createExperiment';
  experiment: Experiment;
}

/** Set `spec.terminate: true` on a running Experiment the Rollout owns (one already gone is done). */
export interface TerminateExperimentAction {
  kind: 'terminateExperiment';
  name: string;
}

/** Delete an Experiment the Rollout owns (beyond its history, or its ReplicaSet gone); NotFound is done. */
export interface DeleteExperimentAction {
  kind: 'deleteExperiment';
  name: string;
}

/** Record a Kubernetes Event on the Rollout. */
export interface EmitEventAction {
  kind: 'emitEvent';
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Set `spec.replicas` of the Deployment named by `spec.workloadRef` (its `scaleDown` migration). */
export interface ScaleDeploymentAction {
  kind: 'scaleDeployment';
  name: string;
  replicas: number;
}

/**
 * Set the Rollout's `rollout.argoproj.io/workload-generation` annotation to `generation` (the referenced
 * workload's generation); `null` removes it (the Rollout no longer uses `workloadRef`).
 */
export interface SetWorkloadGenerationAction {
  kind: 'setWorkloadGeneration';
  generation: string | null;
}

/**
 * One side effect the executor performs. Every action is idempotent: names are deterministic, creates
 * tolerate AlreadyExists, deletes tolerate NotFound, and scale/selector/traffic actions state absolute
 * targets, never increments.
 */
export type RolloutAction =
  | CreateReplicaSetAction
  | ScaleReplicaSetAction
  | DeleteReplicaSetAction
  | DeletePodAction
  | SyncEphemeralMetadataAction
  | SetServiceSelectorAction
  | ApplyTrafficAction
  | CreateAnalysisRunAction
  | TerminateAnalysisRunAction
  | DeleteAnalysisRunAction
  | CreateExperimentAction
  | TerminateExperimentAction
  | DeleteExperimentAction
  | EmitEventAction
  | ScaleDeploymentAction
  | SetWorkloadGenerationAction;

/**
 * The result of one planning pass: actions to run in order (stop at the first failure), the one status to
 * write afterwards (skipped when equal to the observed one), and when to look again at the latest.
 */
export interface RolloutPlan {
  actions: RolloutAction[];
  status: RolloutStatus;
  requeueAfterMs?: number;
}
