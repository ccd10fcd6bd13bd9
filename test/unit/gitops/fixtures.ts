import { GIT_ANNOTATION } from '../../../src/gitops/annotations.js';
import type { ObservedRollout, ObservedRun, WriteBackRequest } from '../../../src/gitops/plan.js';
import { MESSAGE } from '../../../src/rollout/core/conditions.js';

/** `status.abortedAt` of the aborted fixture. */
export const ABORTED_AT = '2026-11-27T03:12:00Z';

/** An opted-in Rollout of `shop` aborted with `cause` (undefined: a user abort). */
export function abortedRollout(cause?: string, annotations: Record<string, string> = {}): ObservedRollout {
  return {
    metadata: {
      name: 'shop',
      namespace: 'prod',
      uid: 'uid-1',
      annotations: {
        [GIT_ANNOTATION.repo]: 'https://git.example/team/config.git',
        [GIT_ANNOTATION.path]: 'apps/shop/kustomization.yaml',
        [GIT_ANNOTATION.image]: 'registry.example/shop',
        ...annotations,
      },
    },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example/shop:1.3.0' }] } } },
    status: {
      abort: true,
      abortedAt: ABORTED_AT,
      currentPodHash: 'canaryhash',
      stableRS: 'stablehash',
      conditions: [
        {
          type: 'Progressing',
          reason: 'RolloutAborted',
          message: `${MESSAGE.aborted(3)}${cause ? `: ${cause}` : ''}`,
        },
      ],
    },
  };
}

/** A failed step AnalysisRun of the canary, created before the abort. */
export function failedRun(name = 'shop-canaryhash-3-1', created = '2026-11-27T03:11:00Z'): ObservedRun {
  return {
    metadata: {
      name,
      uid: `uid-of-${name}`,
      labels: { 'rollouts-pod-template-hash': 'canaryhash' },
      creationTimestamp: created,
      ownerReferences: [{ uid: 'uid-1' }],
    },
    spec: { metrics: [{ name: 'error-rate', successCondition: 'result[0] < 0.05' }] },
    status: {
      phase: 'Failed',
      message: 'Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)',
      metricResults: [
        {
          name: 'error-rate',
          phase: 'Failed',
          message: 'failed (2) > failureLimit (1)',
          measurements: [
            { phase: 'Successful', value: '[0.01]' },
            { phase: 'Failed', value: '[0.08]' },
            { phase: 'Failed', value: '[0.09]' },
          ],
        },
      ],
    },
  };
}

/** A write-back request as the planner makes it for the fixture Rollout. */
export function request(overrides: Partial<WriteBackRequest> = {}): WriteBackRequest {
  return {
    target: {
      repoUrl: 'file:///repo.git',
      branch: 'main',
      path: 'kustomization.yaml',
      locator: { kind: 'kustomize', imageName: 'registry.example/shop' },
    },
    pushBranch: 'main',
    facts: {
      namespace: 'prod',
      rollout: 'shop',
      uid: 'uid-1',
      abortId: `uid-1@${ABORTED_AT}/3/run-uid-1`,
      revision: '3',
      fromImage: 'registry.example/shop:1.3.0',
      toImage: 'registry.example/shop:1.2.0',
      abortedAt: ABORTED_AT,
      path: 'kustomization.yaml',
      reason: { kind: 'other', summary: 'boom' },
    },
    ...overrides,
  };
}
