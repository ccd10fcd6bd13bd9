/**
 * Public surface of the Vireo API package: zod schemas and inferred types of the Argo Rollouts v1alpha1
 * kinds, Argo's labels, annotations and reasons, defaults and validation (the CRD generator is `./crd/`, outside
 * this barrel, so `yaml` stays out of the planner's imports). Pure: no Kubernetes client, no I/O, no clock.
 */
export * from './analysis.js';
export * from './analysis-ref.js';
export * from './analysis-run.js';
export * from './analysis-sites.js';
export * from './argo-constants.js';
export * from './blue-green.js';
export * from './canary.js';
export * from './canary-steps.js';
export * from './consecutive-failures.js';
export * from './defaults.js';
export * from './duration.js';
export * from './experiment.js';
export * from './int-or-string.js';
export * from './issues.js';
export * from './judge.js';
export * from './metric-providers.js';
export * from './metric-rules.js';
export * from './ping-pong.js';
export * from './primitives.js';
export * from './rollout.js';
export * from './rollout-spec.js';
export * from './rollout-status.js';
export * from './router-capabilities.js';
export * from './selector.js';
export * from './traffic-routing.js';
export * from './unsupported.js';
export * from './user-commands.js';
export * from './validate-analysis.js';
export * from './validate-analysis-ref.js';
export * from './validate-canary.js';
export * from './validate-experiment.js';
export * from './validate-metric.js';
export * from './validate-ping-pong.js';
export * from './validate-references.js';
export * from './validate-rollout.js';
export * from './validate-steps.js';
export * from './validate-traffic.js';
export * from './validate-workload-ref.js';
export * from './vireo-rollout.js';
