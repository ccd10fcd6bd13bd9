export { POD_TEMPLATE_HASH_LABEL } from '../traffic/model.js';

/** Revision number of a ReplicaSet (and of the Rollout): one more than the highest older revision. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** RFC 3339 time after which a ReplicaSet may be scaled to zero (no prefix, as in Argo). */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
/** Argo's sharding label: a controller with `--instance-id` reconciles only objects carrying it with that value. */
export const CONTROLLER_INSTANCE_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

/**
 * The label selector of the objects a controller instance owns: `<label>=<id>`, or, without an id, the
 * objects without the label (Argo's rule, so unsharded and sharded controllers never overlap).
 */
export function instanceSelector(instanceId: string | undefined): string {
  return instanceId ? `${CONTROLLER_INSTANCE_LABEL}=${instanceId}` : `!${CONTROLLER_INSTANCE_LABEL}`;
}

/** Label on AnalysisRuns: `Step`, `Background`, `PrePromotion` or `PostPromotion`. */
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
/** Label on step AnalysisRuns: the index of the step that created them. */
export const STEP_INDEX_LABEL = 'step-index';
/** `rollout-type` of a step AnalysisRun. */
export const STEP_ROLLOUT_TYPE = 'Step';
/** `rollout-type` of the background AnalysisRun (`strategy.canary.analysis`). */
export const BACKGROUND_ROLLOUT_TYPE = 'Background';
/**
 * On a canary ReplicaSet: JSON `{hash, revision, template}` of the stable ReplicaSet it was created against,
 * so a stable ReplicaSet deleted by hand can be recreated (Vireo only; Argo has no equivalent).
 */
export const STABLE_TEMPLATE_ANNOTATION = 'vireo.dev/stable-template';
/** On a ReplicaSet: JSON `{labels, annotations}` of the canary/stable metadata injected into its pods. */
export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';
