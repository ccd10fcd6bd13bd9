import { z } from 'zod';
import { RolloutAnalysisSchema } from './analysis-ref.js';
import { AntiAffinitySchema } from './canary.js';
import { intOrString, PodMetadataSchema } from './primitives.js';

/**
 * `spec.strategy.blueGreen`. Part of the schema so the API server keeps it and Argo manifests parse;
 * reported as unsupported by `validateRollout` until the blue-green issue lands.
 */
export const BlueGreenStrategySchema = z.object({
  activeService: z.string(),
  previewService: z.string().optional(),
  autoPromotionEnabled: z.boolean().optional(),
  autoPromotionSeconds: z.int32().optional(),
  previewReplicaCount: z.int32().optional(),
  prePromotionAnalysis: RolloutAnalysisSchema.optional(),
  postPromotionAnalysis: RolloutAnalysisSchema.optional(),
  scaleDownDelaySeconds: z.int32().optional(),
  scaleDownDelayRevisionLimit: z.int32().optional(),
  abortScaleDownDelaySeconds: z.int32().optional(),
  maxUnavailable: intOrString().optional(),
  antiAffinity: AntiAffinitySchema.optional(),
  previewMetadata: PodMetadataSchema.optional(),
  activeMetadata: PodMetadataSchema.optional(),
});
export type BlueGreenStrategy = z.infer<typeof BlueGreenStrategySchema>;
