import { z } from 'zod';
import { ArgumentSchema, MetricSchema } from './analysis.js';
import { DryRunSchema, MeasurementRetentionSchema } from './analysis-ref.js';
import { ObjectMetaSchema, StringMapSchema, TimeSchema } from './primitives.js';
import { API_VERSION } from './rollout.js';

/** Phases of an AnalysisRun, a metric result and a measurement. */
export const AnalysisPhaseSchema = z.enum([
  'Pending',
  'Running',
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
]);
export type AnalysisPhase = z.infer<typeof AnalysisPhaseSchema>;

/** The phases after which an AnalysisRun, metric or measurement never changes again. */
export const COMPLETED_ANALYSIS_PHASES: readonly AnalysisPhase[] = [
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
];

/** Garbage collection of a completed AnalysisRun, in seconds after completion. */
export const TtlStrategySchema = z.object({
  secondsAfterCompletion: z.int32().optional(),
  secondsAfterFailure: z.int32().optional(),
  secondsAfterSuccess: z.int32().optional(),
});

/** `AnalysisRun.spec`: resolved metrics and args; `terminate` stops the run early. */
export const AnalysisRunSpecSchema = z.object({
  metrics: z.array(MetricSchema),
  args: z.array(ArgumentSchema).optional(),
  terminate: z.boolean().optional(),
  dryRun: z.array(DryRunSchema).optional(),
  measurementRetention: z.array(MeasurementRetentionSchema).optional(),
  ttlStrategy: TtlStrategySchema.optional(),
});
export type AnalysisRunSpec = z.infer<typeof AnalysisRunSpecSchema>;

/** One measurement; `finishedAt` is absent while it is in flight. `value` is the text form of the result. */
export const MeasurementSchema = z.object({
  phase: z.string(),
  message: z.string().optional(),
  startedAt: TimeSchema.optional(),
  finishedAt: TimeSchema.optional(),
  value: z.string().optional(),
  metadata: StringMapSchema.optional(),
  resumeAt: TimeSchema.optional(),
});
export type Measurement = z.infer<typeof MeasurementSchema>;

/** Per-metric result: phase, the kept measurements and the counters the phase is derived from. */
export const MetricResultSchema = z.object({
  name: z.string(),
  phase: z.string(),
  measurements: z.array(MeasurementSchema).optional(),
  message: z.string().optional(),
  count: z.int32().optional(),
  successful: z.int32().optional(),
  failed: z.int32().optional(),
  inconclusive: z.int32().optional(),
  error: z.int32().optional(),
  consecutiveError: z.int32().optional(),
  consecutiveSuccess: z.int32().optional(),
  dryRun: z.boolean().optional(),
  metadata: StringMapSchema.optional(),
});
export type MetricResult = z.infer<typeof MetricResultSchema>;

/** Counts of metrics by outcome. */
export const RunSummarySchema = z.object({
  count: z.int32().optional(),
  successful: z.int32().optional(),
  failed: z.int32().optional(),
  inconclusive: z.int32().optional(),
  error: z.int32().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** `AnalysisRun.status`. Phases are plain strings so runs written by Argo always parse. */
export const AnalysisRunStatusSchema = z.object({
  phase: z.string().optional(),
  message: z.string().optional(),
  metricResults: z.array(MetricResultSchema).optional(),
  startedAt: TimeSchema.optional(),
  completedAt: TimeSchema.optional(),
  runSummary: RunSummarySchema.optional(),
  dryRunSummary: RunSummarySchema.optional(),
});
export type AnalysisRunStatus = z.infer<typeof AnalysisRunStatusSchema>;

/** A whole AnalysisRun object (`ar`). */
export const AnalysisRunSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('AnalysisRun'),
  metadata: ObjectMetaSchema,
  spec: AnalysisRunSpecSchema,
  status: AnalysisRunStatusSchema.optional(),
});
export type AnalysisRun = z.infer<typeof AnalysisRunSchema>;
