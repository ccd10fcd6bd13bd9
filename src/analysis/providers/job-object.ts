import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Measurement, Metric } from '../../api/index.js';
import { timeMs, toTimestamp } from '../core/index.js';
import type { RunIdentity } from './in-flight.js';

/** Argo's label on a metric Job and its pods: the uid of the AnalysisRun (also what the Job cache selects). */
export const RUN_UID_LABEL = 'analysisrun.argoproj.io/uid';
/** Argo's annotations on a metric Job: which run (name, namespace) and metric it measures. */
export const JOB_ANNOTATIONS = {
  runName: 'analysisrun.argoproj.io/name',
  runNamespace: 'analysisrun.argoproj.io/namespace',
  metricName: 'analysisrun.argoproj.io/metric-name',
} as const;
/** Argo's keys of `measurement.metadata` that point at the measurement's Job. */
export const JOB_METADATA = { name: 'job-name', namespace: 'job-namespace' } as const;

/** The Job controller copies the Job name into a pod label, whose values are at most 63 characters. */
const LABEL_VALUE_LIMIT = 63;

/** Container waiting reasons after which a Job pod never starts on its own (Argo's terminal reasons). */
const TERMINAL_WAITING_REASONS: readonly string[] = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'];

/**
 * Argo's Job name `<run uid>.<metric>.<n>`; when that exceeds 63 characters the metric name is cut so it
 * fits. Example: uid `u`, metric `m`, 2 → `u.m.2`.
 */
export function jobName(run: RunIdentity, metricName: string, measurementNumber: number): string {
  const name = `${run.uid}.${metricName}.${measurementNumber}`;
  if (name.length <= LABEL_VALUE_LIMIT) return name;
  const keep = Math.max(0, metricName.length - (name.length - LABEL_VALUE_LIMIT));
  return `${run.uid}.${metricName.slice(0, keep)}.${measurementNumber}`;
}

/**
 * The batch/v1 Job of one measurement, as Argo builds it: `provider.job.spec` as written (arguments already
 * substituted), the metric's `provider.job.metadata` labels and annotations plus the run-uid label (also on
 * the pod template) and the run name/namespace/metric annotations, in the run's namespace, controlled by the
 * AnalysisRun so deleting the run deletes its Jobs.
 */
export function jobFor(run: RunIdentity, metric: Metric, measurementNumber: number): Job {
  const source = metric.provider.job;
  const spec = structuredClone(source?.spec ?? {}) as NonNullable<Job['spec']>;
  const template = spec.template ?? {};
  spec.template = {
    ...template,
    metadata: { ...template.metadata, labels: { ...template.metadata?.labels, [RUN_UID_LABEL]: run.uid } },
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(run, metric.name, measurementNumber),
      namespace: run.namespace,
      labels: { ...source?.metadata?.labels, [RUN_UID_LABEL]: run.uid },
      annotations: {
        ...source?.metadata?.annotations,
        [JOB_ANNOTATIONS.runName]: run.name,
        [JOB_ANNOTATIONS.runNamespace]: run.namespace,
        [JOB_ANNOTATIONS.metricName]: metric.name,
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          name: run.name,
          uid: run.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}

/** The Job a measurement points at (`metadata.job-name`, `job-namespace` defaulting to the run's), if any. */
export function measuredJob(
  measurement: Measurement,
  defaultNamespace: string,
): { namespace: string; name: string } | undefined {
  const name = measurement.metadata?.[JOB_METADATA.name];
  if (!name) return undefined;
  return { namespace: measurement.metadata?.[JOB_METADATA.namespace] || defaultNamespace, name };
}

/**
 * The verdict of a finished Job: Successful once it has a `Complete` condition, Failed with a `Failed` one
 * (its reason and message kept), `undefined` while it runs.
 */
export function jobOutcome(job: Job): { phase: 'Successful' | 'Failed'; message?: string } | undefined {
  for (const condition of job.status?.conditions ?? []) {
    if (condition.status === 'False') continue;
    if (condition.type === 'Complete') return { phase: 'Successful' };
    if (condition.type === 'Failed') {
      const text = [condition.reason, condition.message].filter(Boolean).join(': ');
      return { phase: 'Failed', ...(text === '' ? {} : { message: text }) };
    }
  }
  return undefined;
}

/**
 * Argo's `processJobPods`: the first container (init containers first) waiting for a reason after which it
 * never starts (image pull errors), as `Pod p, container c has terminal error (reason): message`.
 */
export function terminalPodProblem(pods: readonly Pod[]): string | undefined {
  for (const pod of pods) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const status of statuses) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && TERMINAL_WAITING_REASONS.includes(waiting.reason)) {
        const name = pod.metadata?.name ?? '';
        return `Pod ${name}, container ${status.name} has terminal error (${waiting.reason}): ${waiting.message ?? ''}`;
      }
    }
  }
  return undefined;
}

/**
 * When to look at a running Job again: Argo's growing delay of √(2 × seconds since the measurement started)
 * seconds after `now` (a measurement without `startedAt` counts from `now`).
 */
export function nextJobCheck(measurement: Measurement, now: Date): string {
  const started = timeMs(measurement.startedAt) ?? now.getTime();
  const elapsedSeconds = Math.max(0, (now.getTime() - started) / 1000);
  return toTimestamp(now.getTime() + Math.sqrt(2 * elapsedSeconds) * 1000);
}
