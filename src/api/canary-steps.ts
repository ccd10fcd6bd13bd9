import { z } from 'zod';
import { DryRunSchema, RolloutAnalysisArgSchema, RolloutAnalysisSchema } from './analysis-ref.js';
import { intOrString, PodMetadataSchema, preserveUnknown } from './primitives.js';

/** `pause: {}` waits for a user; `pause: {duration}` waits for an int (seconds) or Go duration string. */
export const PauseStepSchema = z.object({ duration: intOrString().optional() });

/** `setCanaryScale`: exactly one of `weight`, `replicas` or `matchTrafficWeight: true`. */
export const SetCanaryScaleSchema = z.object({
  weight: z.int32().optional(),
  replicas: z.int32().optional(),
  matchTrafficWeight: z.boolean().optional(),
});
export type SetCanaryScale = z.infer<typeof SetCanaryScaleSchema>;

/** A string match with exactly one of `exact`, `prefix` or `regex`. */
export const StringMatchSchema = z.object({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});
export type StringMatch = z.infer<typeof StringMatchSchema>;

/** A header match of a `setHeaderRoute` step. */
export const HeaderRoutingMatchSchema = z.object({
  headerName: z.string(),
  headerValue: StringMatchSchema.optional(),
});

/** `setHeaderRoute`: sends requests matching all headers to the canary through managed route `name`. */
export const SetHeaderRouteSchema = z.object({
  name: z.string().optional(),
  match: z.array(HeaderRoutingMatchSchema).optional(),
});
export type SetHeaderRoute = z.infer<typeof SetHeaderRouteSchema>;

/** One match of a `setMirrorRoute` step (method, path and headers are ANDed). */
export const RouteMatchSchema = z.object({
  method: StringMatchSchema.optional(),
  path: StringMatchSchema.optional(),
  headers: z.record(z.string(), StringMatchSchema).optional(),
});

/** `setMirrorRoute`: mirrors `percentage` of matching requests to the canary through managed route `name`. */
export const SetMirrorRouteSchema = z.object({
  name: z.string(),
  match: z.array(RouteMatchSchema).optional(),
  percentage: z.int32().optional(),
});
export type SetMirrorRoute = z.infer<typeof SetMirrorRouteSchema>;

/** A template of an `experiment` step: a copy of the stable or canary ReplicaSet (`specRef`). */
export const RolloutExperimentTemplateSchema = z.object({
  name: z.string(),
  specRef: z.string(),
  replicas: z.int32().optional(),
  metadata: PodMetadataSchema.optional(),
  selector: preserveUnknown().optional(),
  weight: z.int32().optional(),
  service: z.object({ name: z.string().optional() }).optional(),
});

/** An analysis of an `experiment` step; its arguments are resolved on the Rollout side. */
export const RolloutExperimentAnalysisSchema = z.object({
  name: z.string(),
  templateName: z.string(),
  clusterScope: z.boolean().optional(),
  args: z.array(RolloutAnalysisArgSchema).optional(),
  requiredForCompletion: z.boolean().optional(),
});

/** `experiment` step: runs an Experiment (templates from the stable/canary ReplicaSets) and waits for it. */
export const RolloutExperimentStepSchema = z.object({
  templates: z.array(RolloutExperimentTemplateSchema),
  duration: z.string().optional(),
  analyses: z.array(RolloutExperimentAnalysisSchema).optional(),
  dryRun: z.array(DryRunSchema).optional(),
  analysisRunMetadata: PodMetadataSchema.optional(),
  scaleDownDelaySeconds: z.int32().optional(),
});

/** `plugin` step (schema only; reported as unsupported). */
export const PluginStepSchema = z.object({ name: z.string(), config: preserveUnknown().optional() });

/**
 * One canary step. The schema allows any combination of keys (a CRD cannot express "exactly one" without
 * CEL); `validateRollout` reports steps with zero or several kinds.
 */
export const CanaryStepSchema = z.object({
  setWeight: z.int32().optional(),
  pause: PauseStepSchema.optional(),
  analysis: RolloutAnalysisSchema.optional(),
  experiment: RolloutExperimentStepSchema.optional(),
  setCanaryScale: SetCanaryScaleSchema.optional(),
  setHeaderRoute: SetHeaderRouteSchema.optional(),
  setMirrorRoute: SetMirrorRouteSchema.optional(),
  plugin: PluginStepSchema.optional(),
});
export type CanaryStep = z.infer<typeof CanaryStepSchema>;

/** Every step kind (key of `CanaryStep`), supported or not. */
export const STEP_KINDS = [
  'setWeight',
  'pause',
  'analysis',
  'experiment',
  'setCanaryScale',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
] as const satisfies readonly (keyof CanaryStep)[];
export type StepKind = (typeof STEP_KINDS)[number];

/** The kinds a step sets, in `STEP_KINDS` order; a valid step has exactly one. */
export function stepKinds(step: CanaryStep): StepKind[] {
  return STEP_KINDS.filter((kind) => step[kind] !== undefined);
}
