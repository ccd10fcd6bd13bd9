import { z } from 'zod';
import { BlueGreenStrategySchema } from './blue-green.js';
import { CanaryStrategySchema } from './canary.js';
import { LabelSelectorSchema, PodTemplateSpecSchema, TimeSchema } from './primitives.js';

/** `spec.strategy`: exactly one of `canary` or `blueGreen` (checked by `validateRollout`). */
export const RolloutStrategySchema = z.object({
  canary: CanaryStrategySchema.optional(),
  blueGreen: BlueGreenStrategySchema.optional(),
});
export type RolloutStrategy = z.infer<typeof RolloutStrategySchema>;

/**
 * `spec.workloadRef`: take the pod template (and, without `spec.selector`, the selector) from a Deployment,
 * ReplicaSet or PodTemplate; fields are checked by `workloadRefIssues`.
 */
export const WorkloadRefSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  scaleDown: z.string().optional(),
});

/** History limits for AnalysisRuns (and Experiments) the Rollout created. */
export const AnalysisRunStrategySchema = z.object({
  successfulRunHistoryLimit: z.int32().optional(),
  unsuccessfulRunHistoryLimit: z.int32().optional(),
});

/**
 * `Rollout.spec`. As in Argo's CRD only `strategy` is required; `selector` and `template` (optional with
 * `workloadRef`) are checked by `validateRollout` with actionable messages.
 */
export const RolloutSpecSchema = z.object({
  replicas: z.int32().optional(),
  selector: LabelSelectorSchema.meta({
    'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.selector is immutable' }],
  }).optional(),
  template: PodTemplateSpecSchema.optional(),
  workloadRef: WorkloadRefSchema.optional(),
  minReadySeconds: z.int32().optional(),
  rollbackWindow: z.object({ revisions: z.int32().optional() }).optional(),
  strategy: RolloutStrategySchema,
  revisionHistoryLimit: z.int32().optional(),
  paused: z.boolean().optional(),
  progressDeadlineSeconds: z.int32().optional(),
  progressDeadlineAbort: z.boolean().optional(),
  restartAt: TimeSchema.optional(),
  analysis: AnalysisRunStrategySchema.optional(),
});
export type RolloutSpec = z.infer<typeof RolloutSpecSchema>;
