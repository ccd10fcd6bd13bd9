import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { Experiment, ExperimentTemplate } from '../../api/index.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.js';
import { podTemplateHash } from '../../rollout/core/pod-template-hash.js';

/** Argo's annotations on an Experiment's ReplicaSets and Services: which Experiment and template own them. */
export const EXPERIMENT_ANNOTATIONS = {
  name: 'experiment.argoproj.io/name',
  templateName: 'experiment.argoproj.io/template-name',
} as const;

/** Argo's name of a template's ReplicaSet: `<experiment>-<template>` (no hash). */
export function replicaSetName(experiment: Pick<Experiment, 'metadata'>, template: string): string {
  return `${experiment.metadata.name ?? ''}-${template}`;
}

/** The owner reference that makes the Experiment the controller of what it creates. */
export function experimentOwner(experiment: Pick<Experiment, 'metadata'>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    name: experiment.metadata.name ?? '',
    uid: experiment.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The annotations marking an object as template `template`'s of the Experiment. */
export function templateAnnotations(experiment: Pick<Experiment, 'metadata'>, template: string) {
  return {
    [EXPERIMENT_ANNOTATIONS.name]: experiment.metadata.name ?? '',
    [EXPERIMENT_ANNOTATIONS.templateName]: template,
  };
}

/**
 * The `rollouts-pod-template-hash` of a template: its pod template without that label, hashed with the
 * template's `collisionCount` (Vireo's hash function, as for Rollouts).
 */
export function templateHash(template: ExperimentTemplate, collisionCount?: number): string {
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template.template.metadata?.labels ?? {};
  const pod = { ...template.template, metadata: { ...template.template.metadata, labels } };
  return podTemplateHash(pod, collisionCount);
}

/**
 * Argo's `newReplicaSetFromTemplate`: named `<experiment>-<template>`, labels = the pod template's labels
 * plus the hash, the template's selector plus the hash, the template's `minReadySeconds`, annotated with the
 * Experiment and template names and controlled by the Experiment, with `replicas` pods.
 */
export function templateReplicaSet(
  experiment: Experiment,
  template: ExperimentTemplate,
  replicas: number,
  collisionCount?: number,
): ReplicaSet {
  const hash = templateHash(template, collisionCount);
  const labels = { ...template.template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const pod = structuredClone(template.template) as PodTemplateSpec;
  pod.metadata = { ...pod.metadata, labels };
  const selector = structuredClone(template.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: replicaSetName(experiment, template.name),
      namespace: experiment.metadata.namespace,
      labels,
      annotations: templateAnnotations(experiment, template.name),
      ownerReferences: [experimentOwner(experiment)],
    },
    spec: {
      replicas,
      ...(template.minReadySeconds === undefined ? {} : { minReadySeconds: template.minReadySeconds }),
      selector,
      template: pod,
    },
  };
}

/** Argo's template Service ports: one per container port (protocol, name kept; target = the port). */
export function servicePorts(pod: PodTemplateSpec | undefined): ServicePort[] {
  return (pod?.spec?.containers ?? []).flatMap((container) =>
    (container.ports ?? []).map((port) => ({
      ...(port.name ? { name: port.name } : {}),
      ...(port.protocol ? { protocol: port.protocol } : {}),
      port: port.containerPort,
      targetPort: port.containerPort,
    })),
  );
}

/**
 * Argo's template Service: named `service.name` or else the ReplicaSet's name, selecting the ReplicaSet's
 * labels (so only its pods), annotated and controlled like the ReplicaSet.
 */
export function templateService(
  experiment: Experiment,
  template: string,
  name: string,
  selector: Readonly<Record<string, string>>,
  ports: readonly ServicePort[],
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: experiment.metadata.namespace,
      annotations: templateAnnotations(experiment, template),
      ownerReferences: [experimentOwner(experiment)],
    },
    spec: { selector: { ...selector }, ports: ports.map((p) => ({ ...p })) },
  };
}
