import { z } from 'zod';
import { ArgumentSchema } from './analysis.js';
import { DryRunSchema, MeasurementRetentionSchema } from './analysis-ref.js';
import {
  ConditionSchema,
  LabelSelectorSchema,
  ObjectMetaSchema,
  PodMetadataSchema,
  PodTemplateSpecSchema,
  TimeSchema,
} from './primitives.js';
import { API_VERSION } from './rollout.js';

/** A ReplicaSet an Experiment runs for its duration. */
export const ExperimentTemplateSchema = z.object({
  name: z.string(),
  replicas: z.int32().optional(),
  minReadySeconds: z.int32().optional(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
  service: z.object({ name: z.string().optional() }).optional(),
});
export type ExperimentTemplate = z.infer<typeof ExperimentTemplateSchema>;

/** An analysis run alongside the Experiment's ReplicaSets. */
export const ExperimentAnalysisSchema = z.object({
  name: z.string(),
  templateName: z.string(),
  clusterScope: z.boolean().optional(),
  args: z.array(ArgumentSchema).optional(),
  requiredForCompletion: z.boolean().optional(),
});
export type ExperimentAnalysis = z.infer<typeof ExperimentAnalysisSchema>;

/** `Experiment.spec`: ReplicaSets run side by side for `duration`, with analyses alongside. */
export const ExperimentSpecSchema = z.object({
  templates: z.array(ExperimentTemplateSchema),
  duration: z.string().optional(),
  progressDeadlineSeconds: z.int32().optional(),
  terminate: z.boolean().optional(),
  analyses: z.array(ExperimentAnalysisSchema).optional(),
  scaleDownDelaySeconds: z.int32().optional(),
  dryRun: z.array(DryRunSchema).optional(),
  measurementRetention: z.array(MeasurementRetentionSchema).optional(),
  analysisRunMetadata: PodMetadataSchema.optional(),
});
export type ExperimentSpec = z.infer<typeof ExperimentSpecSchema>;

/** One `status.templateStatuses[]` entry: a template's ReplicaSet counts and `status` code. */
export const TemplateStatusSchema = z.object({
  name: z.string(),
  replicas: z.int32().optional(),
  updatedReplicas: z.int32().optional(),
  readyReplicas: z.int32().optional(),
  availableReplicas: z.int32().optional(),
  collisionCount: z.int32().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: TimeSchema.optional(),
  serviceName: z.string().optional(),
  podTemplateHash: z.string().optional(),
});
export type TemplateStatus = z.infer<typeof TemplateStatusSchema>;

/** One `status.analysisRuns[]` entry: the run created for an analysis and its last seen phase. */
export const ExperimentAnalysisRunStatusSchema = z.object({
  name: z.string(),
  analysisRun: z.string().optional(),
  phase: z.string().optional(),
  message: z.string().optional(),
});
export type ExperimentAnalysisRunStatus = z.infer<typeof ExperimentAnalysisRunStatusSchema>;

/** `Experiment.status`. Phases are plain strings so Experiments written by Argo always parse. */
export const ExperimentStatusSchema = z.object({
  phase: z.string().optional(),
  message: z.string().optional(),
  templateStatuses: z.array(TemplateStatusSchema).optional(),
  analysisRuns: z.array(ExperimentAnalysisRunStatusSchema).optional(),
  conditions: z.array(ConditionSchema).optional(),
  availableAt: TimeSchema.optional(),
});
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

/** A whole Experiment object (`exp`). */
export const ExperimentSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Experiment'),
  metadata: ObjectMetaSchema,
  spec: ExperimentSpecSchema,
  status: ExperimentStatusSchema.optional(),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

/** Argo's Experiment defaults (`utils/defaults`): replicas per template, progress deadline, scale-down delay. */
export const EXPERIMENT_DEFAULTS = {
  replicas: 1,
  progressDeadlineSeconds: 600,
  scaleDownDelaySeconds: 30,
} as const;

/** The effective `progressDeadlineSeconds` and `scaleDownDelaySeconds` of a spec (defaults applied). */
export function experimentSettings(
  spec: Pick<ExperimentSpec, 'progressDeadlineSeconds' | 'scaleDownDelaySeconds'>,
) {
  return {
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? EXPERIMENT_DEFAULTS.progressDeadlineSeconds,
    scaleDownDelaySeconds: spec.scaleDownDelaySeconds ?? EXPERIMENT_DEFAULTS.scaleDownDelaySeconds,
  };
}
