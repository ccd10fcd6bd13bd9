import { z } from 'zod';
import { RolloutAnalysisBackgroundSchema } from './analysis-ref.js';
import { CanaryStepSchema } from './canary-steps.js';
import { intOrString, PodMetadataSchema } from './primitives.js';
import { TrafficRoutingSchema } from './traffic-routing.js';

/** Pod anti-affinity against the other ReplicaSet: exactly one of the two members (unsupported for now). */
export const AntiAffinitySchema = z.object({
  preferredDuringSchedulingIgnoredDuringExecution: z.object({ weight: z.int32() }).optional(),
  requiredDuringSchedulingIgnoredDuringExecution: z.object({}).optional(),
});

/**
 * Two Services that swap the stable and canary roles at each promotion, instead of `canaryService` and
 * `stableService` (no selector switch on the Service carrying the stable traffic).
 */
export const PingPongSchema = z.object({ pingService: z.string(), pongService: z.string() });

/** Share of canary pods that must be available before a step counts as done (`Percent` or `Pods`). */
export const ReplicaProgressThresholdSchema = z.object({ type: z.string(), value: z.int32() });

/** Allowed values of `replicaProgressThreshold.type`. */
export const REPLICA_PROGRESS_THRESHOLD_TYPES = ['Percent', 'Pods'] as const;

/** `spec.strategy.canary`. Defaults are applied by `canarySettings`, never stored. */
export const CanaryStrategySchema = z.object({
  canaryService: z.string().optional(),
  stableService: z.string().optional(),
  steps: z.array(CanaryStepSchema).optional(),
  trafficRouting: TrafficRoutingSchema.optional(),
  maxSurge: intOrString().optional(),
  maxUnavailable: intOrString().optional(),
  analysis: RolloutAnalysisBackgroundSchema.optional(),
  antiAffinity: AntiAffinitySchema.optional(),
  canaryMetadata: PodMetadataSchema.optional(),
  stableMetadata: PodMetadataSchema.optional(),
  scaleDownDelaySeconds: z.int32().optional(),
  scaleDownDelayRevisionLimit: z.int32().optional(),
  abortScaleDownDelaySeconds: z.int32().optional(),
  dynamicStableScale: z.boolean().optional(),
  pingPong: PingPongSchema.optional(),
  minPodsPerReplicaSet: z.int32().optional(),
  replicaProgressThreshold: ReplicaProgressThresholdSchema.optional(),
});
export type CanaryStrategy = z.infer<typeof CanaryStrategySchema>;
