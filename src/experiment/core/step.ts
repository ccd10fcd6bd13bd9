import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type {
  Argument,
  CanaryStep,
  Experiment,
  ExperimentTemplate,
  LabelSelector,
  Rollout,
} from '../../api/index.js';
import { CONTROLLER_INSTANCE_LABEL, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../../api/index.js';

/** An `experiment` canary step. */
export type ExperimentStep = NonNullable<CanaryStep['experiment']>;

/** What `specRef: stable` or `specRef: canary` points at: that ReplicaSet's pod template and selector. */
export interface StepReplicaSet {
  readonly template: PodTemplateSpec;
  readonly selector: LabelSelector;
  readonly minReadySeconds?: number;
}

/**
 * Everything the Rollout side knows when its current step is an `experiment` step: the Rollout, the step
 * and its index, the Rollout's current pod-template hash and revision, the stable and canary ReplicaSets,
 * and each analysis's arguments already resolved on the Rollout side (`podTemplateHashValue`, `fieldRef`,
 * literal values), by analysis name.
 */
export interface StepExperimentInput {
  readonly rollout: Pick<Rollout, 'metadata' | 'spec'>;
  readonly step: ExperimentStep;
  readonly stepIndex: number;
  readonly podTemplateHash: string;
  readonly revision: string;
  readonly stable: StepReplicaSet;
  readonly canary: StepReplicaSet;
  readonly analysisArgs: Readonly<Record<string, readonly Argument[]>>;
}

function stepTemplate(
  input: StepExperimentInput,
  t: ExperimentStep['templates'][number],
): ExperimentTemplate {
  const source = t.specRef === 'stable' ? input.stable : input.canary;
  const template = structuredClone(source.template) as ExperimentTemplate['template'];
  const selector = structuredClone((t.selector as LabelSelector | undefined) ?? source.selector);
  const labels = t.metadata?.labels ?? {};
  if (Object.keys(labels).length > 0) {
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
    selector.matchLabels = { ...selector.matchLabels, ...labels };
  }
  const annotations = t.metadata?.annotations ?? {};
  if (Object.keys(annotations).length > 0) {
    template.metadata = {
      ...template.metadata,
      annotations: { ...template.metadata?.annotations, ...annotations },
    };
  }
  const withService = t.weight !== undefined || t.service !== undefined;
  return {
    name: t.name,
    ...(t.replicas === undefined ? {} : { replicas: t.replicas }),
    ...(source.minReadySeconds ? { minReadySeconds: source.minReadySeconds } : {}),
    selector,
    template,
    ...(withService ? { service: t.service?.name ? { name: t.service.name } : {} } : {}),
  };
}

/**
 * Argo's `GetExperimentFromTemplate`, pure: the Experiment `<rollout>-<pod hash>-<revision>-<step index>`
 * owned by the Rollout, labelled with the Rollout's labels plus `rollouts-pod-template-hash` (and its
 * controller-instance label), annotated with the revision; templates copied from the stable or canary
 * ReplicaSet (`specRef`), step metadata merged into the pod labels (and selector) and annotations, a
 * Service for templates with a `weight` or `service`; the step's duration, dryRun, analysisRunMetadata and
 * scaleDownDelaySeconds and the Rollout's progressDeadlineSeconds; analyses with their resolved arguments.
 * `specRef` values other than `stable` are read as `canary` (validation refuses them).
 */
export function experimentForStep(input: StepExperimentInput): Experiment {
  const { rollout, step } = input;
  const meta = rollout.metadata;
  const instance = meta.labels?.[CONTROLLER_INSTANCE_LABEL];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name: `${meta.name}-${input.podTemplateHash}-${input.revision}-${input.stepIndex}`,
      namespace: meta.namespace,
      labels: {
        ...meta.labels,
        [POD_TEMPLATE_HASH_LABEL]: input.podTemplateHash,
        ...(instance ? { [CONTROLLER_INSTANCE_LABEL]: instance } : {}),
      },
      annotations: { [REVISION_ANNOTATION]: input.revision },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: meta.name ?? '',
          uid: meta.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      templates: step.templates.map((t) => stepTemplate(input, t)),
      ...(step.duration === undefined ? {} : { duration: step.duration }),
      ...(rollout.spec.progressDeadlineSeconds === undefined
        ? {}
        : { progressDeadlineSeconds: rollout.spec.progressDeadlineSeconds }),
      ...(step.dryRun === undefined ? {} : { dryRun: step.dryRun }),
      ...(step.analysisRunMetadata === undefined ? {} : { analysisRunMetadata: step.analysisRunMetadata }),
      ...(step.scaleDownDelaySeconds === undefined
        ? {}
        : { scaleDownDelaySeconds: step.scaleDownDelaySeconds }),
      ...(step.analyses === undefined
        ? {}
        : {
            analyses: step.analyses.map((a) => ({
              name: a.name,
              templateName: a.templateName,
              ...(a.clusterScope === undefined ? {} : { clusterScope: a.clusterScope }),
              args: [...(input.analysisArgs[a.name] ?? [])],
              ...(a.requiredForCompletion === undefined
                ? {}
                : { requiredForCompletion: a.requiredForCompletion }),
            })),
          }),
    },
  };
}
