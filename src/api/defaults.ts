import type { Metric } from './analysis.js';
import type { CanaryStrategy } from './canary.js';
import { parseGoDuration } from './duration.js';
import { intOrStringToInt, scaledIntOrPercent } from './int-or-string.js';
import type { IntOrString } from './primitives.js';
import type { RolloutSpec } from './rollout-spec.js';

/**
 * Argo's defaults for omitted Rollout fields. They are applied in code, never written into the CRD
 * (server-side defaulting would change what is stored and diverge from Argo's CRDs).
 */
export const ROLLOUT_DEFAULTS = {
  replicas: 1,
  minReadySeconds: 0,
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
  successfulRunHistoryLimit: 5,
  unsuccessfulRunHistoryLimit: 5,
  maxSurge: '25%',
  maxUnavailable: '25%',
  scaleDownDelaySeconds: 30,
  abortScaleDownDelaySeconds: 30,
  maxTrafficWeight: 100,
  nginxAnnotationPrefix: 'nginx.ingress.kubernetes.io',
} as const;

/** Argo's defaults for omitted metric fields (limits, provider timeouts). */
export const METRIC_DEFAULTS = {
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  consecutiveSuccessLimit: 0,
  prometheusTimeoutSeconds: 30,
  webTimeoutSeconds: 10,
  webMethod: 'GET',
  webJsonPath: '{$}',
  /** Measurements kept per metric when no `measurementRetention` rule applies (Argo's history limit). */
  measurementRetention: 10,
} as const;

/** Top-level Rollout settings with every default applied; the spec itself is not modified. */
export function rolloutSettings(spec: RolloutSpec) {
  const d = ROLLOUT_DEFAULTS;
  return {
    replicas: spec.replicas ?? d.replicas,
    minReadySeconds: spec.minReadySeconds ?? d.minReadySeconds,
    revisionHistoryLimit: spec.revisionHistoryLimit ?? d.revisionHistoryLimit,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? d.progressDeadlineSeconds,
    progressDeadlineAbort: spec.progressDeadlineAbort ?? false,
    paused: spec.paused ?? false,
    successfulRunHistoryLimit: spec.analysis?.successfulRunHistoryLimit ?? d.successfulRunHistoryLimit,
    unsuccessfulRunHistoryLimit: spec.analysis?.unsuccessfulRunHistoryLimit ?? d.unsuccessfulRunHistoryLimit,
  };
}

/** Canary settings with every default applied (surge/unavailable still unresolved int-or-percent). */
export function canarySettings(canary: CanaryStrategy) {
  const d = ROLLOUT_DEFAULTS;
  const routing = canary.trafficRouting;
  return {
    steps: canary.steps ?? [],
    maxSurge: canary.maxSurge ?? d.maxSurge,
    maxUnavailable: canary.maxUnavailable ?? d.maxUnavailable,
    scaleDownDelaySeconds: canary.scaleDownDelaySeconds ?? d.scaleDownDelaySeconds,
    abortScaleDownDelaySeconds: canary.abortScaleDownDelaySeconds ?? d.abortScaleDownDelaySeconds,
    maxTrafficWeight: routing?.maxTrafficWeight ?? d.maxTrafficWeight,
    nginxAnnotationPrefix: routing?.nginx?.annotationPrefix ?? d.nginxAnnotationPrefix,
    minPodsPerReplicaSet: canary.minPodsPerReplicaSet,
    dynamicStableScale: canary.dynamicStableScale ?? false,
  };
}

/**
 * Kubernetes `ResolveFenceposts`: maxSurge (rounded up) and maxUnavailable (rounded down) as pod counts for
 * `replicas`; if both are 0, maxUnavailable becomes 1. Invalid strings count as 0 (validation reports them).
 * Examples (replicas 10): defaults → {3, 2}; ("0%", "0%") → {0, 1}; (1, 0) → {1, 0}.
 */
export function resolveSurgeUnavailable(
  maxSurge: IntOrString,
  maxUnavailable: IntOrString,
  replicas: number,
): { maxSurge: number; maxUnavailable: number } {
  const surge = scaledIntOrPercent(maxSurge, replicas, true) ?? 0;
  const unavailable = scaledIntOrPercent(maxUnavailable, replicas, false) ?? 0;
  return { maxSurge: surge, maxUnavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

function limit(value: IntOrString | undefined, fallback: number): number {
  return value === undefined ? fallback : (intOrStringToInt(value) ?? 0);
}

/**
 * A metric's effective settings after argument substitution. `count` is `undefined` for an unbounded metric
 * (interval without count); neither count (or count 0) nor interval → 1. A non-integer string counts as 0,
 * as Kubernetes `IntValue` does. Durations are in milliseconds (`undefined` when absent or unparseable).
 */
export function metricSettings(metric: Metric) {
  const d = METRIC_DEFAULTS;
  const count = metric.count === undefined ? 0 : (intOrStringToInt(metric.count) ?? 0);
  const intervalMs = metric.interval === undefined ? undefined : parseGoDuration(metric.interval);
  return {
    count: count === 0 ? (metric.interval ? undefined : 1) : count,
    intervalMs,
    initialDelayMs: metric.initialDelay === undefined ? 0 : (parseGoDuration(metric.initialDelay) ?? 0),
    failureLimit: limit(metric.failureLimit, d.failureLimit),
    inconclusiveLimit: limit(metric.inconclusiveLimit, d.inconclusiveLimit),
    consecutiveErrorLimit: limit(metric.consecutiveErrorLimit, d.consecutiveErrorLimit),
    consecutiveSuccessLimit: limit(metric.consecutiveSuccessLimit, d.consecutiveSuccessLimit),
  };
}

/** The Rollout with `spec.replicas` filled in when omitted (Argo writes it back so the HPA can scale). */
export function withDefaultReplicas<T extends { spec: RolloutSpec }>(rollout: T): T {
  if (rollout.spec.replicas !== undefined) return rollout;
  return { ...rollout, spec: { ...rollout.spec, replicas: ROLLOUT_DEFAULTS.replicas } };
}
