import type { z } from 'zod';
import type { AntiAffinitySchema } from './canary.js';
import { type FieldPath, type Issue, invalid } from './issues.js';

/**
 * Issues of a strategy's `antiAffinity` (at `path`, Argo `ValidateRolloutStrategyAntiAffinity`): exactly one of
 * `preferredDuringSchedulingIgnoredDuringExecution` and `requiredDuringSchedulingIgnoredDuringExecution`, and a
 * preferred weight between 1 and 100. Examples: `{}` → one issue at `antiAffinity`;
 * `{preferred…: {weight: 0}}` → one issue at `antiAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight`.
 */
export function validateAntiAffinity(
  antiAffinity: z.infer<typeof AntiAffinitySchema> | undefined,
  path: FieldPath,
): Issue[] {
  if (antiAffinity === undefined) return [];
  const preferred = antiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
  const required = antiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if ((preferred === undefined) === (required === undefined)) {
    const message =
      'set exactly one of preferredDuringSchedulingIgnoredDuringExecution or requiredDuringSchedulingIgnoredDuringExecution';
    return [invalid(path, message)];
  }
  if (preferred !== undefined && (preferred.weight < 1 || preferred.weight > 100)) {
    const where = [...path, 'preferredDuringSchedulingIgnoredDuringExecution', 'weight'];
    return [invalid(where, `must be between 1 and 100, got ${preferred.weight}`)];
  }
  return [];
}

/**
 * The issue when `scaleDownDelayRevisionLimit` (at `path`) exceeds the effective `revisionHistoryLimit`: old
 * ReplicaSets kept running during their delay must also be kept in history. Example: (3, 2) → one issue.
 */
export function revisionLimitIssues(
  limit: number | undefined,
  revisionHistoryLimit: number,
  path: FieldPath,
): Issue[] {
  if (limit === undefined) return [];
  if (limit < 0) return [invalid(path, `must not be negative, got ${limit}`)];
  if (limit > revisionHistoryLimit) {
    return [invalid(path, `must not exceed revisionHistoryLimit (${revisionHistoryLimit})`)];
  }
  return [];
}
