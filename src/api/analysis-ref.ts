import { z } from 'zod';
import { PodMetadataSchema } from './primitives.js';

/** A reference from a Rollout to an AnalysisTemplate (or a ClusterAnalysisTemplate when `clusterScope`). */
export const AnalysisTemplateRefSchema = z.object({
  templateName: z.string(),
  clusterScope: z.boolean().optional(),
});
export type AnalysisTemplateRef = z.infer<typeof AnalysisTemplateRefSchema>;

/** `valueFrom` of a Rollout-side analysis argument: exactly one of the two members is set. */
export const RolloutArgValueFromSchema = z.object({
  podTemplateHashValue: z.string().optional(),
  fieldRef: z.object({ fieldPath: z.string() }).optional(),
});

/** An argument passed by a Rollout to its AnalysisRuns: a literal `value` or a `valueFrom`. */
export const RolloutAnalysisArgSchema = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: RolloutArgValueFromSchema.optional(),
});
export type RolloutAnalysisArg = z.infer<typeof RolloutAnalysisArgSchema>;

/** Marks metrics (by name or `*`) whose results never affect the run's phase. */
export const DryRunSchema = z.object({ metricName: z.string() });

/** Keeps the last `limit` measurements of a metric instead of the default 10. */
export const MeasurementRetentionSchema = z.object({ metricName: z.string(), limit: z.int32() });

/** Argo's `RolloutAnalysis`: the templates, arguments and options of one AnalysisRun a Rollout creates. */
export const RolloutAnalysisSchema = z.object({
  templates: z.array(AnalysisTemplateRefSchema).optional(),
  args: z.array(RolloutAnalysisArgSchema).optional(),
  dryRun: z.array(DryRunSchema).optional(),
  measurementRetention: z.array(MeasurementRetentionSchema).optional(),
  analysisRunMetadata: PodMetadataSchema.optional(),
});
export type RolloutAnalysis = z.infer<typeof RolloutAnalysisSchema>;

/** Background analysis: a `RolloutAnalysis` that is not started before step index `startingStep`. */
export const RolloutAnalysisBackgroundSchema = RolloutAnalysisSchema.extend({
  startingStep: z.int32().optional(),
});
export type RolloutAnalysisBackground = z.infer<typeof RolloutAnalysisBackgroundSchema>;

/** Allowed values of `valueFrom.podTemplateHashValue`. */
export const POD_TEMPLATE_HASH_VALUES = ['Stable', 'Latest'] as const;
