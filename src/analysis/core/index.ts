/**
 * Pure AnalysisRun core: argument resolution and template merging, which metrics are due, measurement
 * bookkeeping, metric and run assessment, and the next reconcile time. No I/O and no clock: `now` is
 * always a parameter.
 */
export {
  assessMetric,
  assessRun,
  isWorse,
  limitBreach,
  type MetricAssessment,
  PHASE_ORDER,
  type RunAssessment,
} from './assess.js';
export { countReached, dueMeasurements, type MetricTask, retryIntervalMs } from './due-measurements.js';
export { INSECURE_METRIC_REASON, insecureMetricMessage, insecureMetrics } from './insecure.js';
export {
  type MeasurementTimes,
  newMetricResult,
  recordMeasurement,
  toMeasurement,
  trimMeasurements,
} from './measurement.js';
export { mergeTemplates, type RunSpecSources } from './merge-templates.js';
export { nextReconcileAt } from './next-reconcile.js';
export {
  keptTags,
  mergeArgs,
  REDACTED,
  type ResolvedArg,
  type ResolvedArgs,
  redactSecrets,
  resolveArgs,
  resolveMetric,
  type SubstituteOptions,
  secretValues,
  substituteArgs,
} from './resolve-args.js';
export { type RunHistoryEntry, type RunHistoryLimits, runsBeyondHistory, ttlExpiry } from './retention.js';
export { type RolloutArgSource, resolveRolloutArgs } from './run-builder.js';
export {
  checkRun,
  DEFAULT_MEASUREMENT_RETENTION,
  ERROR_RETRY_INTERVAL_MS,
  isCompletedPhase,
  isDryRun,
  isStopping,
  isTerminating,
  lastMeasurement,
  resultOf,
  retentionLimit,
  runMetrics,
} from './run-metrics.js';
export { analysisTemplateIssues, analysisTemplateRunIssues } from './template-issues.js';
export { timeMs, toTimestamp } from './time.js';
export type { MeasuredValue, Result } from './types.js';
export { parseWebUrl } from './web-url.js';
