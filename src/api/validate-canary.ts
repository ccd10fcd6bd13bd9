import type { CanaryStrategy } from './canary.js';
import { REPLICA_PROGRESS_THRESHOLD_TYPES } from './canary.js';
import { canarySettings, ROLLOUT_DEFAULTS } from './defaults.js';
import { isIntOrPercent, scaledIntOrPercent } from './int-or-string.js';
import { type FieldPath, type Issue, invalid } from './issues.js';
import { routersWithout, routingCan } from './router-capabilities.js';
import { validateRolloutAnalysis } from './validate-analysis-ref.js';
import { revisionLimitIssues, validateAntiAffinity } from './validate-anti-affinity.js';
import { validatePingPong } from './validate-ping-pong.js';
import { type StepContext, validateStep } from './validate-steps.js';
import { requiresCanaryServices, validateTrafficRouting } from './validate-traffic.js';

function serviceIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  if (canary.pingPong !== undefined) return validatePingPong(canary, path);
  const { canaryService, stableService } = canary;
  if (requiresCanaryServices(canary.trafficRouting)) {
    const why = 'is required with this trafficRouting (every router but an Istio subset-level split)';
    const missing: Issue[] = [];
    if (!canaryService) missing.push(invalid([...path, 'canaryService'], why));
    if (!stableService) missing.push(invalid([...path, 'stableService'], why));
    if (missing.length > 0) return missing;
  }
  if (canaryService && canaryService === stableService) {
    return [invalid([...path, 'stableService'], `must differ from canaryService ("${canaryService}")`)];
  }
  return [];
}

function surgeIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  const { maxSurge, maxUnavailable } = canarySettings(canary);
  const issues: Issue[] = [];
  for (const [field, value] of [
    ['maxSurge', maxSurge],
    ['maxUnavailable', maxUnavailable],
  ] as const) {
    if (!isIntOrPercent(value)) {
      issues.push(
        invalid(
          [...path, field],
          `must be a non-negative integer or a percentage like "25%", got ${JSON.stringify(value)}`,
        ),
      );
    }
  }
  const zero = (v: typeof maxSurge) => scaledIntOrPercent(v, 100, true) === 0;
  if (issues.length === 0 && zero(maxSurge) && zero(maxUnavailable)) {
    issues.push(invalid([...path, 'maxUnavailable'], 'maxSurge and maxUnavailable cannot both be 0'));
  }
  return issues;
}

const ROUTING_ONLY = ['scaleDownDelaySeconds', 'abortScaleDownDelaySeconds', 'minPodsPerReplicaSet'] as const;

function delayIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  const issues: Issue[] = [];
  for (const field of [...ROUTING_ONLY, 'scaleDownDelayRevisionLimit'] as const) {
    const value = canary[field];
    if (value === undefined) continue;
    if (value < 0) issues.push(invalid([...path, field], `must not be negative, got ${value}`));
    else if (canary.trafficRouting === undefined && (ROUTING_ONLY as readonly string[]).includes(field)) {
      issues.push(invalid([...path, field], `${field} can only be used with trafficRouting`));
    }
  }
  return issues;
}

/** `dynamicStableScale` needs trafficRouting and excludes `scaleDownDelaySeconds` (Argo). */
function dynamicScaleIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  if (canary.dynamicStableScale !== true) return [];
  const where = [...path, 'dynamicStableScale'];
  if (canary.trafficRouting === undefined) {
    return [invalid(where, 'dynamicStableScale can only be used with trafficRouting')];
  }
  if (canary.scaleDownDelaySeconds !== undefined) {
    return [invalid(where, 'dynamicStableScale cannot be used with scaleDownDelaySeconds')];
  }
  return [];
}

function thresholdIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  const threshold = canary.replicaProgressThreshold;
  if (threshold === undefined) return [];
  if (!(REPLICA_PROGRESS_THRESHOLD_TYPES as readonly string[]).includes(threshold.type)) {
    return [invalid([...path, 'type'], `must be Percent or Pods, got "${threshold.type}"`)];
  }
  const max = threshold.type === 'Percent' ? 100 : Number.POSITIVE_INFINITY;
  if (threshold.value < 0 || threshold.value > max) {
    return [
      invalid(
        [...path, 'value'],
        `must be between 0 and ${max === 100 ? 100 : 'replicas'}, got ${threshold.value}`,
      ),
    ];
  }
  return [];
}

function backgroundIssues(canary: CanaryStrategy, path: FieldPath): Issue[] {
  const analysis = canary.analysis;
  if (analysis === undefined) return [];
  const issues = validateRolloutAnalysis(analysis, path);
  const steps = canary.steps?.length ?? 0;
  const start = analysis.startingStep;
  if (start !== undefined && (start < 0 || start > steps)) {
    issues.push(
      invalid(
        [...path, 'startingStep'],
        `must be between 0 and the number of steps (${steps}), got ${start}`,
      ),
    );
  }
  return issues;
}

function stepContext(canary: CanaryStrategy): StepContext {
  const routing = canary.trafficRouting;
  return {
    hasTrafficRouting: routing !== undefined,
    maxTrafficWeight: routing?.maxTrafficWeight ?? ROLLOUT_DEFAULTS.maxTrafficWeight,
    managedRoutes: new Set((routing?.managedRoutes ?? []).map((r) => r.name)),
    routeCapabilities: {
      headerRouting: routingCan(routing, 'headerRouting'),
      mirroring: routingCan(routing, 'mirroring'),
    },
    exactHeaderValuesOnly: routing?.alb !== undefined,
    routersWithoutExperimentWeights: routersWithout(routing, 'experimentWeights'),
  };
}

/**
 * Checks `spec.strategy.canary` (at `path`): services, surge/unavailable, routing-only fields,
 * `scaleDownDelayRevisionLimit` ≤ `revisionHistoryLimit`, `dynamicStableScale`, `antiAffinity`, traffic
 * routing, background analysis and every step. `revisionHistoryLimit` is the effective Rollout value.
 */
export function validateCanary(
  canary: CanaryStrategy,
  revisionHistoryLimit: number,
  path: FieldPath,
): Issue[] {
  const issues = [...serviceIssues(canary, path), ...surgeIssues(canary, path), ...delayIssues(canary, path)];
  const limit = canary.scaleDownDelayRevisionLimit;
  if (limit !== undefined && limit >= 0) {
    issues.push(
      ...revisionLimitIssues(limit, revisionHistoryLimit, [...path, 'scaleDownDelayRevisionLimit']),
    );
  }
  issues.push(...dynamicScaleIssues(canary, path));
  issues.push(...validateAntiAffinity(canary.antiAffinity, [...path, 'antiAffinity']));
  issues.push(...thresholdIssues(canary, [...path, 'replicaProgressThreshold']));
  if (canary.trafficRouting)
    issues.push(...validateTrafficRouting(canary.trafficRouting, [...path, 'trafficRouting']));
  issues.push(...backgroundIssues(canary, [...path, 'analysis']));
  const ctx = stepContext(canary);
  let canaryWeight = 0;
  (canary.steps ?? []).forEach((step, i) => {
    canaryWeight = step.setWeight ?? canaryWeight;
    issues.push(...validateStep(step, ctx, [...path, 'steps', i], canaryWeight));
  });
  return issues;
}
