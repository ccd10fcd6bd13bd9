import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceSubresources,
  JSONSchemaProps,
} from 'kubernetes-types/apiextensions/v1.js';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { AnalysisTemplateSpecSchema } from '../analysis.js';
import { AnalysisRunSpecSchema, AnalysisRunStatusSchema } from '../analysis-run.js';
import { ExperimentSpecSchema, ExperimentStatusSchema } from '../experiment.js';
import { GROUP, VERSION } from '../rollout.js';
import { RolloutSpecSchema } from '../rollout-spec.js';
import { RolloutStatusSchema } from '../rollout-status.js';
import { toCrdSchema } from './crd-schema.js';

interface CrdOptions {
  kind: string;
  plural: string;
  shortNames: string[];
  scope: 'Namespaced' | 'Cluster';
  description: string;
  spec: z.ZodType;
  status?: z.ZodType;
  columns: CustomResourceColumnDefinition[];
  subresources?: CustomResourceSubresources;
}

const AGE: CustomResourceColumnDefinition = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since the resource was created',
};

function column(
  name: string,
  type: string,
  jsonPath: string,
  description: string,
): CustomResourceColumnDefinition {
  return { name, type, jsonPath, description };
}

function rootSchema(opts: CrdOptions): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: toCrdSchema(opts.spec),
  };
  if (opts.status) properties.status = toCrdSchema(opts.status);
  return { description: opts.description, type: 'object', properties, required: ['spec'] };
}

function buildCrd(opts: CrdOptions): CustomResourceDefinition {
  const singular = opts.kind.toLowerCase();
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${opts.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/name': opts.plural, 'app.kubernetes.io/part-of': 'vireo' },
    },
    spec: {
      group: GROUP,
      names: {
        kind: opts.kind,
        listKind: `${opts.kind}List`,
        plural: opts.plural,
        singular,
        shortNames: opts.shortNames,
      },
      scope: opts.scope,
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: opts.columns,
          ...(opts.subresources ? { subresources: opts.subresources } : {}),
          schema: { openAPIV3Schema: rootSchema(opts) },
        },
      ],
    },
  };
}

/** The Rollout CRD: status and scale subresources (`.spec.replicas`, `.status.HPAReplicas`, `.status.selector`). */
export function rolloutCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: 'Rollout',
    plural: 'rollouts',
    shortNames: ['ro'],
    scope: 'Namespaced',
    description: 'Rollout replaces a Deployment and updates its pods through canary steps.',
    spec: RolloutSpecSchema,
    status: RolloutStatusSchema,
    columns: [
      column('Desired', 'integer', '.spec.replicas', 'Number of desired pods'),
      column('Current', 'integer', '.status.replicas', 'Total number of non-terminated pods'),
      column('Up-to-date', 'integer', '.status.updatedReplicas', 'Total number of updated pods'),
      column('Available', 'integer', '.status.availableReplicas', 'Total number of available pods'),
      column('Phase', 'string', '.status.phase', 'Healthy, Progressing, Paused or Degraded'),
      column('Step', 'integer', '.status.currentStepIndex', 'Index of the current canary step'),
      AGE,
    ],
    subresources: {
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.HPAReplicas',
        labelSelectorPath: '.status.selector',
      },
    },
  });
}

/** The namespaced AnalysisTemplate CRD (`at`). */
export function analysisTemplateCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: 'AnalysisTemplate',
    plural: 'analysistemplates',
    shortNames: ['at'],
    scope: 'Namespaced',
    description: 'AnalysisTemplate holds the metrics an AnalysisRun measures.',
    spec: AnalysisTemplateSpecSchema,
    columns: [AGE],
  });
}

/** The cluster-scoped ClusterAnalysisTemplate CRD (`cat`). */
export function clusterAnalysisTemplateCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: 'ClusterAnalysisTemplate',
    plural: 'clusteranalysistemplates',
    shortNames: ['cat'],
    scope: 'Cluster',
    description: 'ClusterAnalysisTemplate is an AnalysisTemplate usable from every namespace.',
    spec: AnalysisTemplateSpecSchema,
    columns: [AGE],
  });
}

/** The AnalysisRun CRD (`ar`) with a status subresource and a Status column. */
export function analysisRunCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: 'AnalysisRun',
    plural: 'analysisruns',
    shortNames: ['ar'],
    scope: 'Namespaced',
    description: 'AnalysisRun measures metrics and reports whether a release is healthy.',
    spec: AnalysisRunSpecSchema,
    status: AnalysisRunStatusSchema,
    columns: [column('Status', 'string', '.status.phase', 'AnalysisRun status'), AGE],
    subresources: { status: {} },
  });
}

/** The Experiment CRD (`exp`) with a status subresource and a Status column. */
export function experimentCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: 'Experiment',
    plural: 'experiments',
    shortNames: ['exp'],
    scope: 'Namespaced',
    description: 'Experiment runs ReplicaSets and analyses side by side for a duration.',
    spec: ExperimentSpecSchema,
    status: ExperimentStatusSchema,
    columns: [column('Status', 'string', '.status.phase', 'Experiment status'), AGE],
    subresources: { status: {} },
  });
}

const HEADER = '# Generated by `npm run gen:crds` from src/api (zod schemas). Do not edit by hand.\n';

/** The CRD files of `crds/` by file name; rendering is deterministic, so a golden test can compare bytes. */
export function renderCrdFiles(): Record<string, string> {
  const crds: Record<string, CustomResourceDefinition> = {
    'rollouts.yaml': rolloutCrd(),
    'analysistemplates.yaml': analysisTemplateCrd(),
    'clusteranalysistemplates.yaml': clusterAnalysisTemplateCrd(),
    'analysisruns.yaml': analysisRunCrd(),
    'experiments.yaml': experimentCrd(),
  };
  const files: Record<string, string> = {};
  for (const [name, crd] of Object.entries(crds)) files[name] = HEADER + stringify(crd, { lineWidth: 0 });
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: Object.keys(crds),
  };
  files['kustomization.yaml'] = HEADER + stringify(kustomization, { lineWidth: 0 });
  return files;
}
