import { z } from 'zod';
import { PAUSE_REASON } from './argo-constants.js';
import { ConditionSchema, preserveUnknown, TimeSchema } from './primitives.js';

/** Rollout phases (`status.phase`). Status fields stay `string` so objects written by Argo always parse. */
export const RolloutPhaseSchema = z.enum(['Healthy', 'Progressing', 'Paused', 'Degraded']);
export type RolloutPhase = z.infer<typeof RolloutPhaseSchema>;

/** Reasons of `status.pauseConditions[].reason`. */
export const PauseReasonSchema = z.enum([
  PAUSE_REASON.canaryPauseStep,
  PAUSE_REASON.blueGreenPause,
  PAUSE_REASON.inconclusiveAnalysis,
  PAUSE_REASON.inconclusiveExperiment,
]);
export type PauseReason = z.infer<typeof PauseReasonSchema>;

/** A pause added by the controller; users clear it to promote. */
export const PauseConditionSchema = z.object({ reason: z.string(), startTime: TimeSchema });

/** Name, phase and message of an AnalysisRun the rollout is waiting on. */
export const RolloutAnalysisRunStatusSchema = z.object({
  name: z.string(),
  status: z.string(),
  message: z.string().optional(),
});

/** Traffic weight sent to one ReplicaSet through one Service. */
export const WeightDestinationSchema = z.object({
  weight: z.int32(),
  serviceName: z.string().optional(),
  podTemplateHash: z.string().optional(),
});

/** Weights last applied to the traffic router; present only with trafficRouting. */
export const TrafficWeightsSchema = z.object({
  canary: WeightDestinationSchema,
  stable: WeightDestinationSchema,
  additional: z.array(WeightDestinationSchema).optional(),
  verified: z.boolean().optional(),
});
export type TrafficWeights = z.infer<typeof TrafficWeightsSchema>;

/** `status.canary`. */
export const CanaryStatusSchema = z.object({
  currentStepAnalysisRunStatus: RolloutAnalysisRunStatusSchema.optional(),
  currentBackgroundAnalysisRunStatus: RolloutAnalysisRunStatusSchema.optional(),
  currentExperiment: z.string().optional(),
  weights: TrafficWeightsSchema.optional(),
  /** With `spec.strategy.canary.pingPong`: the side (`ping` or `pong`) whose Service is stable now. */
  stablePingPong: z.enum(['ping', 'pong']).optional(),
  stepPluginStatuses: z.array(preserveUnknown()).optional(),
});
export type CanaryStatus = z.infer<typeof CanaryStatusSchema>;

/** `status.blueGreen`. */
export const BlueGreenStatusSchema = z.object({
  activeSelector: z.string().optional(),
  previewSelector: z.string().optional(),
  scaleUpPreviewCheckPoint: z.boolean().optional(),
  prePromotionAnalysisRunStatus: RolloutAnalysisRunStatusSchema.optional(),
  postPromotionAnalysisRunStatus: RolloutAnalysisRunStatusSchema.optional(),
});

/** `status.duration` (Argo 1.10): timing of the current or last update. */
export const RolloutDurationSchema = z.object({
  rolloutStartedAt: TimeSchema.optional(),
  manualPauseStartedAt: TimeSchema.optional(),
  totalManualPauseDurationSeconds: z.int().optional(),
  finishedAt: TimeSchema.optional(),
  completionStatus: z.string().optional(),
});

/**
 * `Rollout.status`. `observedGeneration` is a string holding the decimal `metadata.generation`;
 * `HPAReplicas` and `selector` back the scale subresource.
 */
export const RolloutStatusSchema = z.object({
  phase: z.string().optional(),
  message: z.string().optional(),
  observedGeneration: z.string().optional(),
  pauseConditions: z.array(PauseConditionSchema).optional(),
  controllerPause: z.boolean().optional(),
  abort: z.boolean().optional(),
  abortedAt: TimeSchema.optional(),
  currentPodHash: z.string().optional(),
  stableRS: z.string().optional(),
  currentStepIndex: z.int32().optional(),
  currentStepHash: z.string().optional(),
  collisionCount: z.int32().optional(),
  replicas: z.int32().optional(),
  updatedReplicas: z.int32().optional(),
  readyReplicas: z.int32().optional(),
  availableReplicas: z.int32().optional(),
  HPAReplicas: z.int32().optional(),
  selector: z.string().optional(),
  restartedAt: TimeSchema.optional(),
  promoteFull: z.boolean().optional(),
  conditions: z.array(ConditionSchema).optional(),
  canary: CanaryStatusSchema.optional(),
  blueGreen: BlueGreenStatusSchema.optional(),
  workloadObservedGeneration: z.string().optional(),
  alb: preserveUnknown().optional(),
  albs: z.array(preserveUnknown()).optional(),
  duration: RolloutDurationSchema.optional(),
});
export type RolloutStatus = z.infer<typeof RolloutStatusSchema>;
