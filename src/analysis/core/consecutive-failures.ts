import { type Metric, type MetricResult, metricSettings } from '../../api/index.js';

/**
 * The Failed streak at the end of a metric's kept measurements: how many of the last completed measurements
 * in a row are Failed (a measurement still in flight is skipped; a Successful, Inconclusive or Error one ends
 * the streak). Exact while the streak fits in the kept measurements, which validation ensures for the limit.
 * Example: phases [Failed, Successful, Failed, Failed, (in flight)] → 2.
 */
export function failedStreak(result: MetricResult): number {
  const measurements = result.measurements ?? [];
  const completed = measurements.at(-1)?.finishedAt === undefined ? measurements.slice(0, -1) : measurements;
  let streak = 0;
  for (let i = completed.length - 1; i >= 0 && completed[i]?.phase === 'Failed'; i--) streak++;
  return streak;
}

/**
 * Vireo's Failed rule for a metric under `vireo.dev/consecutive-failure-limit` `limit`: Failed once `limit`
 * measurements in a row failed; the metric's `failureLimit` then applies only when it is set explicitly (a cap
 * on failures in total), never its default 0. `undefined` when neither holds.
 * Examples (limit 3): streak 3 → Failed "consecutiveFailed (3) >= consecutiveFailureLimit (3)"; failed 4 in
 * total, streak 1, no failureLimit → undefined; the same with `failureLimit: 3` → Failed "failed (4) > failureLimit (3)".
 */
export function consecutiveFailureBreach(
  metric: Metric,
  result: MetricResult,
  limit: number,
): { phase: 'Failed'; reason: string } | undefined {
  const streak = failedStreak(result);
  if (streak >= limit) {
    return { phase: 'Failed', reason: `consecutiveFailed (${streak}) >= consecutiveFailureLimit (${limit})` };
  }
  const failed = result.failed ?? 0;
  const { failureLimit } = metricSettings(metric);
  if (metric.failureLimit === undefined || failureLimit < 0 || failed <= failureLimit) return undefined;
  return { phase: 'Failed', reason: `failed (${failed}) > failureLimit (${failureLimit})` };
}
