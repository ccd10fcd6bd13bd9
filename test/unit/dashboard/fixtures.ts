import type { AnalysisRun } from '../../../src/api/index.js';

/** A failed step AnalysisRun of `web` (revision 2, hash h2) with five measurements of success-rate. */
export function failedRun(): AnalysisRun {
  const values = ['0.99', '[0.42]', '0.41', 'oops', '0.40'];
  const phases = ['Successful', 'Failed', 'Failed', 'Error', 'Failed'];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: 'web-h2-2',
      namespace: 'shop',
      labels: { 'rollouts-pod-template-hash': 'h2', 'rollout-type': 'Step' },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u1' }],
      creationTimestamp: '2026-01-01T00:50:00Z',
    },
    spec: {
      metrics: [
        {
          name: 'success-rate',
          successCondition: 'result[0] >= 0.95',
          failureCondition: '0.5 > result[0]',
          failureLimit: 2,
          provider: { prometheus: { query: 'x' } },
        },
      ],
    },
    status: {
      phase: 'Failed',
      message: 'metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)',
      metricResults: [
        {
          name: 'success-rate',
          phase: 'Failed',
          failed: 3,
          error: 1,
          successful: 1,
          measurements: [
            ...values.map((value, i) => ({
              phase: phases[i] ?? 'Failed',
              value,
              startedAt: `2026-01-01T00:5${i}:00Z`,
              finishedAt: `2026-01-01T00:5${i}:01Z`,
            })),
            { phase: 'Running', startedAt: '2026-01-01T00:59:00Z' },
          ],
        },
      ],
    },
  } as AnalysisRun;
}
