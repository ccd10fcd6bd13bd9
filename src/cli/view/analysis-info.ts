import { type AnalysisRun, type MetricResult, ROLLOUT_TYPE_LABEL } from '../../api/index.js';
import { age } from './snapshot.js';

/** A metric of an AnalysisRun with the value of its latest finished measurement, if any. */
export interface MetricInfo {
  name: string;
  phase: string;
  value?: string;
  successful: number;
  failed: number;
}

/**
 * One AnalysisRun: phase (Pending when unset), success and failure counts, and its metrics; `type` is its
 * `rollout-type` label (`Step`, `Background`, `PrePromotion`, `PostPromotion`) when it has one.
 */
export interface AnalysisRunInfo {
  name: string;
  type?: string;
  phase: string;
  successful: number;
  failed: number;
  age: string;
  metrics: MetricInfo[];
}

function latestValue(result: MetricResult): string | undefined {
  const measurements = result.measurements ?? [];
  for (let i = measurements.length - 1; i >= 0; i--) {
    const value = measurements[i]?.value;
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function metricInfo(result: MetricResult): MetricInfo {
  const value = latestValue(result);
  return {
    name: result.name,
    phase: result.phase,
    ...(value === undefined ? {} : { value }),
    successful: result.successful ?? 0,
    failed: (result.failed ?? 0) + (result.error ?? 0),
  };
}

/**
 * The view of one AnalysisRun. Counts are summed over its metrics (failed includes errors, as Argo's
 * `✖ n` does); each metric carries the value of its newest measurement that has one.
 */
export function analysisRunInfo(run: AnalysisRun, now: Date): AnalysisRunInfo {
  const metrics = (run.status?.metricResults ?? []).map(metricInfo);
  const type = run.metadata.labels?.[ROLLOUT_TYPE_LABEL];
  return {
    name: run.metadata.name ?? '',
    ...(type === undefined ? {} : { type }),
    phase: run.status?.phase ?? 'Pending',
    successful: metrics.reduce((sum, m) => sum + m.successful, 0),
    failed: metrics.reduce((sum, m) => sum + m.failed, 0),
    age: age(run.metadata.creationTimestamp, now),
    metrics,
  };
}
