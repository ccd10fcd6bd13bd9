import type { CanaryStep, Rollout, TrafficRouting } from '../../../src/api/index.js';

/** Options of `aRollout`; everything has a small, valid default. */
export interface RolloutOptions {
  name?: string;
  replicas?: number;
  image?: string;
  steps?: CanaryStep[];
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  trafficRouting?: TrafficRouting;
  progressDeadlineSeconds?: number;
  progressDeadlineAbort?: boolean;
}

/** Istio host-level routing, the smallest valid `trafficRouting`. */
export const ISTIO: TrafficRouting = { istio: { virtualService: { name: 'demo', routes: ['primary'] } } };

/** A valid canary Rollout (generation 1, no status) built from `options`. */
export function aRollout(options: RolloutOptions = {}): Rollout {
  const routed = options.trafficRouting !== undefined;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: options.name ?? 'demo', namespace: 'default', generation: 1 },
    spec: {
      replicas: options.replicas ?? 10,
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: { containers: [{ name: 'demo', image: options.image ?? 'demo:v1' }] },
      },
      ...(options.progressDeadlineSeconds === undefined
        ? {}
        : { progressDeadlineSeconds: options.progressDeadlineSeconds }),
      ...(options.progressDeadlineAbort === undefined
        ? {}
        : { progressDeadlineAbort: options.progressDeadlineAbort }),
      strategy: {
        canary: {
          ...(routed ? { canaryService: 'demo-canary', stableService: 'demo-stable' } : {}),
          ...(options.trafficRouting ? { trafficRouting: options.trafficRouting } : {}),
          ...(options.maxSurge === undefined ? {} : { maxSurge: options.maxSurge }),
          ...(options.maxUnavailable === undefined ? {} : { maxUnavailable: options.maxUnavailable }),
          steps: options.steps ?? [],
        },
      },
    },
  };
}

/** The rollout with a new container image and the generation bumped, as `kubectl argo rollouts set image` does. */
export function withImage(rollout: Rollout, image: string): Rollout {
  const template = rollout.spec.template ?? {};
  const containers = (template.spec?.containers ?? []).map((c) => ({ ...c, image }));
  return {
    ...rollout,
    metadata: { ...rollout.metadata, generation: (rollout.metadata.generation ?? 0) + 1 },
    spec: { ...rollout.spec, template: { ...template, spec: { ...template.spec, containers } } },
  };
}
