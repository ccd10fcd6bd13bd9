import { z } from 'zod';
import { ArgumentSchema } from './analysis.js';
import { DryRunSchema, MeasurementRetentionSchema } from './analysis-ref.js';
import {
  ConditionSchema,
  LabelSelectorSchema,
  ObjectMetaSchema,
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

/** An analysis run alongside the Experiment's ReplicaSets. */
export const ExperimentAnalysisSchema = z.object({
  name: z.string(),
  templateName: z.string(),
  clusterScope: z.boolean().optional(),
  args: z.array(ArgumentSchema).optional(),
  requiredForCompletion: z.boolean().optional(),
});

/** `Experiment.spec` (schema only: Vireo does not run Experiments yet). */
export const ExperimentSpecSchema = z.object({
  templates: z.array(ExperimentTemplateSchema),
  duration: z.string().optional(),
  progressDeadlineSeconds: z.int32().optional(),
  terminate: z.boolean().optional(),
  analyses: z.array(ExperimentAnalysisSchema).optional(),
  scaleDownDelaySeconds: z.int32().optional(),
  dryRun: z.array(DryRunSchema).optional(),
  measurementRetention: z.array(MeasurementRetentionSchema).optional(),
});

/** `Experiment.status` (schema only). */
export const ExperimentStatusSchema = z.object({
  phase: z.string().optional(),
  message: z.string().optional(),
  templateStatuses: z
    .array(
      z.object({
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
      }),
    )
    .optional(),
  analysisRuns: z
    .array(
      z.object({
        name: z.string(),
        analysisRun: z.string().optional(),
        phase: z.string().optional(),
        message: z.string().optional(),
      }),
    )
    .optional(),
  conditions: z.array(ConditionSchema).optional(),
  availableAt: TimeSchema.optional(),
});

/** A whole Experiment object (`exp`). */
export const ExperimentSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Experiment'),
  metadata: ObjectMetaSchema,
  spec: ExperimentSpecSchema,
  status: ExperimentStatusSchema.optional(),
});
export type Experiment = z.infer<typeof ExperimentSchema>;
