import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type {
  Argument,
  Experiment,
  ExperimentAnalysisRunStatus,
  ExperimentStatus,
  PodMetadata,
  TemplateStatus,
} from '../../api/index.js';

/** What the planner needs of the ReplicaSet an Experiment template runs. */
export interface TemplateReplicaSetView {
  readonly name: string;
  /** `spec.replicas` (1 when unset, as Kubernetes defaults it). */
  readonly replicas: number;
  readonly statusReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  /** `metadata.labels` (the template's labels plus `rollouts-pod-template-hash`): the Service selector. */
  readonly labels: Readonly<Record<string, string>>;
  readonly podTemplateHash?: string;
  /** The `scale-down-deadline` annotation (RFC 3339), when set. */
  readonly scaleDownDeadline?: string;
  /** The container ports of its pod template, as Service ports (Argo's template Service). */
  readonly ports: readonly ServicePort[];
}

/** The Service found under a template's Service name; `owned` when this Experiment's template controls it. */
export interface TemplateServiceView {
  readonly name: string;
  readonly owned: boolean;
}

/** What the planner needs of an AnalysisRun named in the Experiment's status. */
export interface ExperimentRunView {
  readonly name: string;
  readonly phase?: string;
  readonly message?: string;
  readonly terminate: boolean;
}

/**
 * Everything one Experiment pass plans from, observed once: the Experiment (status = the last one written),
 * the ReplicaSet and Service of each template (by template name), the AnalysisRuns its status names (by
 * run name; absent = not found), why an analysis template cannot be used (by analysis name, only while the
 * Experiment is not available yet) and the time.
 */
export interface ExperimentSnapshot {
  readonly experiment: Experiment;
  readonly replicaSets: Readonly<Record<string, TemplateReplicaSetView>>;
  readonly services: Readonly<Record<string, TemplateServiceView>>;
  readonly runs: Readonly<Record<string, ExperimentRunView>>;
  readonly missingTemplates: Readonly<Record<string, string>>;
  readonly now: Date;
}

/** Create a template's ReplicaSet; an existing one the same template controls counts as created. */
export interface CreateReplicaSetAction {
  kind: 'createReplicaSet';
  template: string;
  replicaSet: ReplicaSet;
}

/** Set a template ReplicaSet's `spec.replicas` (absolute target; `from` is for the event). */
export interface ScaleReplicaSetAction {
  kind: 'scaleReplicaSet';
  template: string;
  name: string;
  from: number;
  replicas: number;
}

/** Set (a time) or remove (`null`) a template ReplicaSet's `scale-down-deadline` annotation. */
export interface SetScaleDownDeadlineAction {
  kind: 'setScaleDownDeadline';
  template: string;
  name: string;
  deadline: string | null;
}

/** Create a template's Service; an existing one the same template controls counts as created. */
export interface CreateServiceAction {
  kind: 'createService';
  template: string;
  service: Service;
}

/** Delete a template's Service (one already gone counts as deleted). */
export interface DeleteServiceAction {
  kind: 'deleteService';
  template: string;
  name: string;
}

/** Create the AnalysisRun of an analysis from its template (Argo's name collision counter applies). */
export interface CreateAnalysisRunAction {
  kind: 'createAnalysisRun';
  analysis: string;
  name: string;
  templateName: string;
  clusterScope: boolean;
  args: Argument[];
  dryRun?: Experiment['spec']['dryRun'];
  measurementRetention?: Experiment['spec']['measurementRetention'];
  metadata: PodMetadata;
}

/** Ask a running AnalysisRun to stop (`spec.terminate: true`). */
export interface TerminateAnalysisRunAction {
  kind: 'terminateAnalysisRun';
  analysis: string;
  name: string;
}

/** One idempotent side effect of an Experiment pass. */
export type ExperimentAction =
  | CreateReplicaSetAction
  | ScaleReplicaSetAction
  | SetScaleDownDeadlineAction
  | CreateServiceAction
  | DeleteServiceAction
  | CreateAnalysisRunAction
  | TerminateAnalysisRunAction;

/**
 * The first half of a pass (Argo `reconcileTemplate` and `reconcileAnalysisRun` for every entry): the
 * actions, and the template and analysis statuses they lead to if they succeed.
 */
export interface ExperimentDraft {
  readonly actions: ExperimentAction[];
  readonly templateStatuses: TemplateStatus[];
  readonly analysisRuns: ExperimentAnalysisRunStatus[];
  /** Earliest time a template's scale-down delay ends, when one is pending. */
  readonly scaleDownAt?: number;
}

/** What acting changed in a draft: an entry that failed (status code and message), or a run's real name. */
export type DraftAmendment =
  | { kind: 'template'; name: string; status: 'Error'; message: string }
  | { kind: 'analysis'; name: string; phase: 'Error'; message: string }
  | { kind: 'runName'; analysis: string; name: string };

/** A Kubernetes Event about the Experiment. */
export interface ExperimentEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/**
 * The end of a pass: the status to write (skipped when unchanged), when to look again, and the Events of
 * the transitions it records (templates, analyses, phase), to emit once the status is written.
 */
export interface ExperimentOutcome {
  readonly status: ExperimentStatus;
  readonly requeueAfterMs?: number;
  readonly events: readonly ExperimentEvent[];
}
