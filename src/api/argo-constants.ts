/**
 * Every label, annotation, condition type, condition reason, pause reason and event reason Vireo reads or
 * writes on Argo Rollouts objects, in one place. The Argo values are Argo's exactly (a unit test pins each one
 * to the Argo Rollouts source it comes from); the `VIREO_*` values are Vireo's own additions and never reuse
 * an Argo key. Pure data: no imports.
 */

/** Label that ties pods, ReplicaSets, Services, DestinationRule subsets and AnalysisRuns to one revision. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
/** Argo's sharding label: a controller with `--instance-id` reconciles only objects carrying it with that value. */
export const CONTROLLER_INSTANCE_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';
/** Label on AnalysisRuns: which analysis of the Rollout created them (a {@link ROLLOUT_TYPE} value). */
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
/** Label on step AnalysisRuns: the index of the step that created them. */
export const STEP_INDEX_LABEL = 'step-index';

/** Values of {@link ROLLOUT_TYPE_LABEL}. */
export const ROLLOUT_TYPE = {
  step: 'Step',
  background: 'Background',
  prePromotion: 'PrePromotion',
  postPromotion: 'PostPromotion',
} as const;

/** Revision number of a ReplicaSet (and of the Rollout): one more than the highest older revision. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** On Services, Ingresses and DestinationRules: the name of the Rollout that manages them. */
export const MANAGED_BY_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';
/** RFC 3339 time after which a ReplicaSet may be scaled to zero (no prefix, as in Argo). */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
/** On a ReplicaSet: JSON `{labels, annotations}` of the canary/stable metadata injected into its pods. */
export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';
/** On a Rollout: the `metadata.generation` of the workload `spec.workloadRef` names. */
export const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';

/** On an ALB Ingress: JSON map of Rollout name → the `alb.ingress.kubernetes.io/…` annotation keys it manages. */
export const MANAGED_ALB_ANNOTATIONS_ANNOTATION = 'rollouts.argoproj.io/managed-alb-annotations';
/** Default `trafficRouting.alb.annotationPrefix` (the AWS Load Balancer Controller's annotation prefix). */
export const ALB_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io';

/** `status.pauseConditions[].reason` values. */
export const PAUSE_REASON = {
  canaryPauseStep: 'CanaryPauseStep',
  blueGreenPause: 'BlueGreenPause',
  inconclusiveAnalysis: 'InconclusiveAnalysisRun',
  inconclusiveExperiment: 'InconclusiveExperiment',
} as const;

/** Rollout condition types Vireo writes. */
export const CONDITION = {
  progressing: 'Progressing',
  available: 'Available',
  healthy: 'Healthy',
  paused: 'Paused',
  completed: 'Completed',
  invalidSpec: 'InvalidSpec',
} as const;

/** Rollout condition reasons Vireo writes (Argo `utils/conditions`). */
export const REASON = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  replicaSetNotAvailable: 'ReplicaSetNotAvailable',
  paused: 'RolloutPaused',
  resumed: 'RolloutResumed',
  retry: 'RolloutRetry',
  aborted: 'RolloutAborted',
  timedOut: 'ProgressDeadlineExceeded',
  available: 'AvailableReason',
  healthy: 'RolloutHealthy',
  completed: 'RolloutCompleted',
  invalidSpec: 'InvalidSpec',
} as const;

/** Vireo's own `Progressing` reason: the stable ReplicaSet was deleted and cannot be recreated (False). */
export const VIREO_REASON = { stableMissing: 'StableReplicaSetMissing' } as const;

/** Reasons of the Events Vireo records on a Rollout, as Argo names them (`rolloutRetry` is Argo's condition reason). */
export const EVENT_REASON = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  scalingReplicaSet: 'ScalingReplicaSet',
  rolloutPaused: 'RolloutPaused',
  rolloutResumed: 'RolloutResumed',
  rolloutRetry: 'RolloutRetry',
  rolloutAborted: 'RolloutAborted',
  rolloutStepCompleted: 'RolloutStepCompleted',
  rolloutCompleted: 'RolloutCompleted',
  trafficWeightUpdated: 'TrafficWeightUpdated',
  skipSteps: 'SkipSteps',
  experimentCreated: 'ExperimentCreated',
} as const;

/** Reasons of the Events only Vireo records on a Rollout (Argo has no such event). */
export const VIREO_EVENT_REASON = {
  analysisRunCreated: 'AnalysisRunCreated',
  promoteFull: 'PromoteFull',
  trafficWeightRestored: 'TrafficWeightRestored',
  trafficRoutesSynced: 'TrafficRoutesSynced',
  ephemeralMetadataUpdated: 'EphemeralMetadataUpdated',
  rolloutRestarted: 'RolloutRestarted',
  restartingPod: 'RestartingPod',
  stableReplicaSetMissing: 'StableReplicaSetMissing',
  stableReplicaSetRecreated: 'StableReplicaSetRecreated',
  /** Warning: a failed analysis paused the Rollout (`vireo.dev/analysis-failure-action: pause`). */
  pausedOnFailedAnalysis: 'PausedOnFailedAnalysis',
  /** A resumed failure pause started the failed analysis again. */
  analysisRetried: 'AnalysisRetried',
} as const;

/**
 * Vireo only, on a canary ReplicaSet: JSON `{hash, revision, template}` of the stable ReplicaSet it was
 * created against, so a stable ReplicaSet deleted by hand can be recreated (Argo has no equivalent).
 */
export const STABLE_TEMPLATE_ANNOTATION = 'vireo.dev/stable-template';

// ─── Vireo's own opt-in keys (`vireo.dev/*`): not Argo's, never read by Argo ────────────────────────────────
// A Rollout or AnalysisTemplate without these annotations behaves exactly as under Argo Rollouts.
// Documented in docs/beyond-argo.md.

/** Opt-in annotations of the behaviour Argo Rollouts lacks (issue 24). */
export const VIREO_ANNOTATION = {
  /**
   * On a Rollout: `pause` answers a Failed/Error analysis (step or background) with traffic back to stable,
   * the canary kept at its size and the Rollout paused, instead of an abort; `abort` (the default) is Argo's.
   */
  analysisFailureAction: 'vireo.dev/analysis-failure-action',
  /**
   * On an AnalysisTemplate or ClusterAnalysisTemplate (copied onto the AnalysisRun): `metric=N[,metric=N…]`
   * (`*=N` for every metric of that template). The metric fails after N consecutive Failed measurements.
   */
  consecutiveFailureLimit: 'vireo.dev/consecutive-failure-limit',
  /**
   * On a Rollout: `"true"` makes an abort (or a pause on failure) move traffic back to stable only as fast as
   * stable's available pods can carry it, and keep the canary until stable holds all traffic.
   */
  capacityAwareRollback: 'vireo.dev/capacity-aware-rollback',
} as const;

/** Values of {@link VIREO_ANNOTATION}`.analysisFailureAction`. */
export const VIREO_ANALYSIS_FAILURE_ACTION = { abort: 'abort', pause: 'pause' } as const;

/** Vireo's own `status.pauseConditions[].reason`: paused because an analysis failed (failure action `pause`). */
export const VIREO_PAUSE_REASON = { failedAnalysis: 'FailedAnalysisRun' } as const;
