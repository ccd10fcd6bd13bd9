import type { BlueGreenStrategy } from './blue-green.js';
import { ROLLOUT_DEFAULTS } from './defaults.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import { validateRolloutAnalysis } from './validate-analysis-ref.js';
import { revisionLimitIssues, validateAntiAffinity } from './validate-anti-affinity.js';

const NON_NEGATIVE = ['autoPromotionSeconds', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds'] as const;

/**
 * Issues of `spec.strategy.blueGreen` (Argo's rules): `activeService` set, `previewService` different from
 * it, `previewReplicaCount` ≥ 1, delays and `autoPromotionSeconds` not negative, `scaleDownDelayRevisionLimit`
 * within 0..`revisionHistoryLimit` (the effective Rollout value), `antiAffinity` well formed, analysis
 * references valid.
 */
export function validateBlueGreen(
  bg: BlueGreenStrategy,
  path: FieldPath,
  revisionHistoryLimit: number = ROLLOUT_DEFAULTS.revisionHistoryLimit,
): Issue[] {
  const issues: Issue[] = [
    ...revisionLimitIssues(bg.scaleDownDelayRevisionLimit, revisionHistoryLimit, [
      ...path,
      'scaleDownDelayRevisionLimit',
    ]),
    ...validateAntiAffinity(bg.antiAffinity, [...path, 'antiAffinity']),
  ];
  if (bg.activeService.trim() === '') issues.push(invalid([...path, 'activeService'], 'must be set'));
  if (bg.previewService !== undefined && bg.previewService === bg.activeService) {
    issues.push(invalid([...path, 'previewService'], 'must differ from activeService'));
  }
  if (bg.previewReplicaCount !== undefined && bg.previewReplicaCount < 1) {
    issues.push(
      invalid([...path, 'previewReplicaCount'], `must be at least 1, got ${bg.previewReplicaCount}`),
    );
  }
  for (const field of NON_NEGATIVE) {
    const value = bg[field];
    if (value !== undefined && value < 0)
      issues.push(invalid([...path, field], `must not be negative, got ${value}`));
  }
  for (const field of ['prePromotionAnalysis', 'postPromotionAnalysis'] as const) {
    const analysis = bg[field];
    if (analysis) issues.push(...validateRolloutAnalysis(analysis, [...path, field]));
  }
  return issues;
}
