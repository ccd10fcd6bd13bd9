import { z } from 'zod';
import { DryRunSchema, MeasurementRetentionSchema } from './analysis-ref.js';
import { MetricProviderSchema } from './metric-providers.js';
import { intOrString, ObjectMetaSchema } from './primitives.js';
import { API_VERSION } from './rollout.js';

/** `valueFrom` of a template argument: a Secret key or a field of the Rollout. */
export const ArgumentValueFromSchema = z.object({
  secretKeyRef: z.object({ name: z.string(), key: z.string() }).optional(),
  fieldRef: z.object({ fieldPath: z.string() }).optional(),
});

/** A template or run argument. A template `value` is a default; a missing value is an AnalysisRun Error. */
export const ArgumentSchema = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: ArgumentValueFromSchema.optional(),
});
export type Argument = z.infer<typeof ArgumentSchema>;

/**
 * One metric. Counts and limits are int-or-string so `{{args.x}}` can fill them; defaults (failureLimit 0,
 * inconclusiveLimit 0, consecutiveErrorLimit 4, consecutiveSuccessLimit 0, count) come from `metricSettings`.
 */
export const MetricSchema = z.object({
  name: z.string(),
  interval: z.string().optional(),
  initialDelay: z.string().optional(),
  count: intOrString().optional(),
  successCondition: z.string().optional(),
  failureCondition: z.string().optional(),
  failureLimit: intOrString().optional(),
  inconclusiveLimit: intOrString().optional(),
  consecutiveErrorLimit: intOrString().optional(),
  consecutiveSuccessLimit: intOrString().optional(),
  provider: MetricProviderSchema,
});
export type Metric = z.infer<typeof MetricSchema>;

/** A reference to another template whose metrics and args are merged in (`spec.templates[]`). */
export const AnalysisTemplateCompositionSchema = z.object({
  templateName: z.string(),
  clusterScope: z.boolean().optional(),
});

/** Spec shared by AnalysisTemplate and ClusterAnalysisTemplate. */
export const AnalysisTemplateSpecSchema = z.object({
  metrics: z.array(MetricSchema).optional(),
  args: z.array(ArgumentSchema).optional(),
  dryRun: z.array(DryRunSchema).optional(),
  measurementRetention: z.array(MeasurementRetentionSchema).optional(),
  templates: z.array(AnalysisTemplateCompositionSchema).optional(),
});
export type AnalysisTemplateSpec = z.infer<typeof AnalysisTemplateSpecSchema>;

/** A namespaced AnalysisTemplate (`at`). */
export const AnalysisTemplateSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('AnalysisTemplate'),
  metadata: ObjectMetaSchema,
  spec: AnalysisTemplateSpecSchema,
});
export type AnalysisTemplate = z.infer<typeof AnalysisTemplateSchema>;

/** A cluster-scoped ClusterAnalysisTemplate (`cat`); same spec as AnalysisTemplate. */
export const ClusterAnalysisTemplateSchema = AnalysisTemplateSchema.extend({
  kind: z.literal('ClusterAnalysisTemplate'),
});
export type ClusterAnalysisTemplate = z.infer<typeof ClusterAnalysisTemplateSchema>;

/** Either template kind; `validateAnalysisTemplate` accepts both. */
export type AnyAnalysisTemplate = AnalysisTemplate | ClusterAnalysisTemplate;
