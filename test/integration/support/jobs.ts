/**
 * A `job` metric whose Job runs one pod that kwok finishes with `exitCode` (label vireo.test/exit-code, see
 * harness/kwok-stages.yaml and docs/testing.md); without an exit code the pod runs until stopped.
 */
export function jobMetric(name: string, exitCode: number | undefined, extra: object = {}): object {
  const labels = exitCode === undefined ? {} : { 'vireo.test/exit-code': String(exitCode) };
  return {
    name,
    provider: {
      job: {
        metadata: { labels: { team: 'qa' }, annotations: { 'vireo.test/purpose': 'metric' } },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels },
            spec: { restartPolicy: 'Never', containers: [{ name: 'check', image: 'busybox:1.36' }] },
          },
        },
      },
    },
    ...extra,
  };
}
