import { describe, expect, it } from 'vitest';
import * as keys from '../../../src/api/argo-constants.js';

/**
 * Argo Rollouts v1.10.2's value of every Argo label, annotation and reason Vireo uses, with where Argo
 * defines it (`ar:` = github.com/argoproj/argo-rollouts). A key added to the table without an entry here
 * fails the coverage test below.
 */
const ARGO: Record<string, [value: string, source: string]> = {
  POD_TEMPLATE_HASH_LABEL: [
    'rollouts-pod-template-hash',
    'ar:pkg/apis/rollouts/v1alpha1/types.go DefaultRolloutUniqueLabelKey',
  ],
  CONTROLLER_INSTANCE_LABEL: [
    'argo-rollouts.argoproj.io/controller-instance-id',
    'ar:pkg/apis/rollouts/v1alpha1/types.go LabelKeyControllerInstanceID',
  ],
  ROLLOUT_TYPE_LABEL: ['rollout-type', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutTypeLabel'],
  STEP_INDEX_LABEL: ['step-index', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutCanaryStepIndexLabel'],
  'ROLLOUT_TYPE.step': ['Step', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutTypeStepLabel'],
  'ROLLOUT_TYPE.background': [
    'Background',
    'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutTypeBackgroundRunLabel',
  ],
  'ROLLOUT_TYPE.prePromotion': [
    'PrePromotion',
    'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutTypePrePromotionLabel',
  ],
  'ROLLOUT_TYPE.postPromotion': [
    'PostPromotion',
    'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutTypePostPromotionLabel',
  ],
  REVISION_ANNOTATION: [
    'rollout.argoproj.io/revision',
    'ar:utils/annotations/annotations.go RevisionAnnotation',
  ],
  MANAGED_BY_ANNOTATION: [
    'argo-rollouts.argoproj.io/managed-by-rollouts',
    'ar:pkg/apis/rollouts/v1alpha1/types.go ManagedByRolloutsKey',
  ],
  SCALE_DOWN_DEADLINE_ANNOTATION: [
    'scale-down-deadline',
    'ar:pkg/apis/rollouts/v1alpha1/types.go DefaultReplicaSetScaleDownDeadlineAnnotationKey',
  ],
  EPHEMERAL_METADATA_ANNOTATION: [
    'rollout.argoproj.io/ephemeral-metadata',
    'ar:utils/replicaset/canary.go EphemeralMetadataAnnotation',
  ],
  WORKLOAD_GENERATION_ANNOTATION: [
    'rollout.argoproj.io/workload-generation',
    'ar:utils/annotations/annotations.go WorkloadGenerationAnnotation',
  ],
  MANAGED_ALB_ANNOTATIONS_ANNOTATION: [
    'rollouts.argoproj.io/managed-alb-annotations',
    'ar:utils/ingress/ingress.go ManagedAnnotations',
  ],
  ALB_ANNOTATION_PREFIX: ['alb.ingress.kubernetes.io', 'ar:utils/ingress/ingress.go ALBIngressAnnotation'],
  'PAUSE_REASON.canaryPauseStep': [
    'CanaryPauseStep',
    'ar:pkg/apis/rollouts/v1alpha1/types.go PauseReasonCanaryPauseStep',
  ],
  'PAUSE_REASON.blueGreenPause': [
    'BlueGreenPause',
    'ar:pkg/apis/rollouts/v1alpha1/types.go PauseReasonBlueGreenPause',
  ],
  'PAUSE_REASON.inconclusiveAnalysis': [
    'InconclusiveAnalysisRun',
    'ar:pkg/apis/rollouts/v1alpha1/types.go PauseReasonInconclusiveAnalysis',
  ],
  'PAUSE_REASON.inconclusiveExperiment': [
    'InconclusiveExperiment',
    'ar:pkg/apis/rollouts/v1alpha1/types.go PauseReasonInconclusiveExperiment',
  ],
  'CONDITION.progressing': ['Progressing', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutProgressing'],
  'CONDITION.available': ['Available', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutAvailable'],
  'CONDITION.healthy': ['Healthy', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutHealthy'],
  'CONDITION.paused': ['Paused', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutPaused'],
  'CONDITION.completed': ['Completed', 'ar:pkg/apis/rollouts/v1alpha1/types.go RolloutCompleted'],
  'CONDITION.invalidSpec': ['InvalidSpec', 'ar:pkg/apis/rollouts/v1alpha1/types.go InvalidSpec'],
  'REASON.newReplicaSetCreated': [
    'NewReplicaSetCreated',
    'ar:utils/conditions/conditions.go NewReplicaSetReason',
  ],
  'REASON.replicaSetUpdated': [
    'ReplicaSetUpdated',
    'ar:utils/conditions/conditions.go ReplicaSetUpdatedReason',
  ],
  'REASON.newReplicaSetAvailable': [
    'NewReplicaSetAvailable',
    'ar:utils/conditions/conditions.go NewRSAvailableReason',
  ],
  'REASON.replicaSetNotAvailable': [
    'ReplicaSetNotAvailable',
    'ar:utils/conditions/conditions.go ReplicaSetNotAvailableReason',
  ],
  'REASON.paused': ['RolloutPaused', 'ar:utils/conditions/conditions.go RolloutPausedReason'],
  'REASON.resumed': ['RolloutResumed', 'ar:utils/conditions/conditions.go RolloutResumedReason'],
  'REASON.retry': ['RolloutRetry', 'ar:utils/conditions/conditions.go RolloutRetryReason'],
  'REASON.aborted': ['RolloutAborted', 'ar:utils/conditions/conditions.go RolloutAbortedReason'],
  'REASON.timedOut': ['ProgressDeadlineExceeded', 'ar:utils/conditions/conditions.go TimedOutReason'],
  'REASON.available': ['AvailableReason', 'ar:utils/conditions/conditions.go AvailableReason'],
  'REASON.healthy': ['RolloutHealthy', 'ar:utils/conditions/conditions.go RolloutHealthyReason'],
  'REASON.completed': ['RolloutCompleted', 'ar:utils/conditions/conditions.go RolloutCompletedReason'],
  'REASON.invalidSpec': ['InvalidSpec', 'ar:utils/conditions/conditions.go InvalidSpecReason'],
  'EVENT_REASON.newReplicaSetCreated': [
    'NewReplicaSetCreated',
    'ar:rollout/sync.go conditions.NewReplicaSetReason',
  ],
  'EVENT_REASON.scalingReplicaSet': [
    'ScalingReplicaSet',
    'ar:rollout/sync.go conditions.ScalingReplicaSetReason',
  ],
  'EVENT_REASON.rolloutPaused': ['RolloutPaused', 'ar:rollout/sync.go conditions.RolloutPausedReason'],
  'EVENT_REASON.rolloutResumed': ['RolloutResumed', 'ar:rollout/sync.go conditions.RolloutResumedReason'],
  'EVENT_REASON.rolloutRetry': [
    'RolloutRetry',
    'ar:utils/conditions/conditions.go RolloutRetryReason (Argo sets it as the condition reason; Vireo also records the Event)',
  ],
  'EVENT_REASON.rolloutAborted': ['RolloutAborted', 'ar:rollout/sync.go conditions.RolloutAbortedReason'],
  'EVENT_REASON.rolloutStepCompleted': [
    'RolloutStepCompleted',
    'ar:rollout/canary.go conditions.RolloutStepCompletedReason',
  ],
  'EVENT_REASON.rolloutCompleted': [
    'RolloutCompleted',
    'ar:rollout/sync.go conditions.RolloutCompletedReason',
  ],
  'EVENT_REASON.trafficWeightUpdated': [
    'TrafficWeightUpdated',
    'ar:rollout/trafficrouting.go conditions.TrafficWeightUpdatedReason',
  ],
  'EVENT_REASON.skipSteps': ['SkipSteps', 'ar:rollout/canary.go EventReason "SkipSteps"'],
  'EVENT_REASON.experimentCreated': [
    'ExperimentCreated',
    'ar:rollout/experiment.go EventReason "ExperimentCreated"',
  ],
};

/** Every string value of the table module, by dotted name (`REASON.aborted`, `POD_TEMPLATE_HASH_LABEL`). */
function flatten(module: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'string') out.set(name, value);
    else for (const [key, inner] of Object.entries(value as object)) out.set(`${name}.${key}`, String(inner));
  }
  return out;
}

const table = flatten(keys);
const isVireo = (name: string) => name.startsWith('VIREO_') || name === 'STABLE_TEMPLATE_ANNOTATION';

describe("Argo's labels, annotations and reasons (src/api/argo-constants.ts)", () => {
  it.each(Object.entries(ARGO))('%s is Argo’s value', (name, [value, source]) => {
    expect(table.get(name), source).toBe(value);
  });

  it('pins every Argo entry of the table (a new key needs its Argo value here)', () => {
    const argoNames = [...table.keys()].filter((name) => !isVireo(name)).sort();
    expect(argoNames).toEqual(Object.keys(ARGO).sort());
  });

  it("keeps Vireo's own keys apart from Argo's: no Argo value reused, labels and annotations under vireo.dev/", () => {
    const argoValues = new Set(Object.values(ARGO).map(([value]) => value));
    const vireo = [...table].filter(([name]) => isVireo(name));
    expect(vireo.length).toBeGreaterThan(0);
    for (const [name, value] of vireo) {
      const key =
        name.endsWith('_ANNOTATION') || name.endsWith('_LABEL') || name.startsWith('VIREO_ANNOTATION.');
      if (key) expect(value).toMatch(/^vireo\.dev\//);
      else expect(argoValues.has(value), `${name} reuses Argo's ${value}`).toBe(false);
    }
  });
});
