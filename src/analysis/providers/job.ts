import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Measurement, Metric } from '../../api/index.js';
import type { KubeClient } from '../../kube/client.js';
import { Resources } from '../../kube/client.js';
import { isApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import { redactSecrets, toTimestamp } from '../core/index.js';
import type { MeasuredValue } from '../core/types.js';
import type { InFlightContext, InFlightProvider } from './in-flight.js';
import {
  JOB_ANNOTATIONS,
  JOB_METADATA,
  jobFor,
  jobOutcome,
  measuredJob,
  nextJobCheck,
  RUN_UID_LABEL,
  terminalPodProblem,
} from './job-object.js';

/** Reads cached objects of one kind (informer-backed in production). */
export interface JobCache {
  get(namespace: string | undefined, name: string): KubeObject | undefined;
  list(namespace?: string): KubeObject[];
}

/** What the job provider needs: the API, and the cache of Jobs labelled with `RUN_UID_LABEL`. */
export interface JobProviderDeps {
  readonly client: KubeClient;
  readonly jobs: JobCache;
}

function failed(measurement: Measurement, message: string, context: InFlightContext): Measurement {
  const { resumeAt: _resume, ...rest } = measurement;
  return {
    ...rest,
    phase: 'Error',
    message: redactSecrets(message, context.args),
    finishedAt: toTimestamp(context.now),
  };
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function controllerUid(job: KubeObject): string | undefined {
  return job.metadata?.ownerReferences?.find((ref) => ref.controller)?.uid;
}

async function createOrClaim(deps: JobProviderDeps, job: Job, context: InFlightContext): Promise<void> {
  const name = job.metadata?.name ?? '';
  try {
    await deps.client.create(Resources.jobs, context.run.namespace, job as KubeObject);
  } catch (err) {
    if (!isApiError(err, 'AlreadyExists')) throw err;
    const existing =
      deps.jobs.get(context.run.namespace, name) ??
      (await deps.client.get(Resources.jobs, context.run.namespace, name));
    if (controllerUid(existing) !== context.run.uid) throw err;
  }
}

async function readJob(deps: JobProviderDeps, namespace: string, name: string): Promise<Job> {
  const cached = deps.jobs.get(namespace, name);
  if (cached) return cached as Job;
  return (await deps.client.get(Resources.jobs, namespace, name)) as Job;
}

async function podsOf(deps: JobProviderDeps, job: Job): Promise<Pod[]> {
  const labels = job.spec?.selector?.matchLabels ?? {};
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (selector === '') return [];
  const list = await deps.client.list(Resources.pods, job.metadata?.namespace, { labelSelector: selector });
  return list.items as Pod[];
}

async function resumeJob(
  deps: JobProviderDeps,
  measurement: Measurement,
  context: InFlightContext,
): Promise<Measurement> {
  const ref = measuredJob(measurement, context.run.namespace);
  if (ref === undefined) return failed(measurement, 'job metadata reference missing', context);
  const job = await readJob(deps, ref.namespace, ref.name);
  const finishedAt = toTimestamp(context.now);
  const outcome = jobOutcome(job);
  if (outcome !== undefined) {
    const { resumeAt: _resume, ...rest } = measurement;
    return {
      ...rest,
      phase: outcome.phase,
      finishedAt,
      ...(outcome.message ? { message: outcome.message } : {}),
    };
  }
  const problem = terminalPodProblem(await podsOf(deps, job));
  if (problem !== undefined) {
    const { resumeAt: _resume, ...rest } = measurement;
    return { ...rest, phase: 'Inconclusive', message: problem, finishedAt };
  }
  return { ...measurement, resumeAt: nextJobCheck(measurement, context.now) };
}

async function deleteJob(deps: JobProviderDeps, namespace: string, name: string): Promise<void> {
  await deps.client
    .delete(Resources.jobs, { namespace, name }, { propagationPolicy: 'Foreground' })
    .catch((err: unknown) => {
      if (!isApiError(err, 'NotFound')) throw err;
    });
}

function createdAt(job: KubeObject): number {
  const at = job.metadata?.creationTimestamp;
  return at instanceof Date ? at.getTime() : Date.parse(at ?? '') || 0;
}

/** The cached Jobs of one metric of a run, oldest first. */
function jobsOfMetric(deps: JobProviderDeps, metric: Metric, context: InFlightContext): KubeObject[] {
  return deps.jobs
    .list(context.run.namespace)
    .filter(
      (job) =>
        job.metadata?.labels?.[RUN_UID_LABEL] === context.run.uid &&
        job.metadata?.annotations?.[JOB_ANNOTATIONS.metricName] === metric.name,
    )
    .sort(
      (a, b) => createdAt(a) - createdAt(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
    );
}

/**
 * Argo's `job` provider. `start` creates the measurement's Job (`jobFor`; an existing Job of that name
 * controlled by the same run is claimed) and returns it in flight with `resumeAt = now` and the Job's name
 * and namespace in `metadata`; a Job that cannot be created is an Error measurement. `resume` reads the Job
 * (cache first): Complete → Successful, Failed → Failed, a pod stuck on an image error → Inconclusive,
 * else still in flight with `resumeAt` √(2 × elapsed s) later; a Job that cannot be read is an Error.
 * `terminate` deletes the Job (foreground, so its pods stop) and returns Inconclusive. `collect` deletes the
 * metric's Jobs beyond the newest `keep`; `finished` tells from the cache that a Job is done. Messages never
 * contain secret argument values.
 */
export function createJobProvider(deps: JobProviderDeps): InFlightProvider {
  const guard =
    (step: (metric: Metric, m: Measurement, c: InFlightContext) => Promise<Measurement>) =>
    async (metric: Metric, m: Measurement, c: InFlightContext): Promise<Measurement> => {
      try {
        return await step(metric, m, c);
      } catch (err) {
        return failed(m, reason(err), c);
      }
    };
  const start = async (metric: Metric, context: InFlightContext): Promise<Measurement> => {
    const job = jobFor(context.run, metric, context.measurementNumber);
    const startedAt = toTimestamp(context.now);
    const running: Measurement = { phase: 'Running', startedAt };
    try {
      await createOrClaim(deps, job, context);
    } catch (err) {
      return failed(running, `job ${job.metadata?.name} could not be created: ${reason(err)}`, context);
    }
    const metadata = {
      [JOB_METADATA.name]: job.metadata?.name ?? '',
      [JOB_METADATA.namespace]: context.run.namespace,
    };
    return { ...running, metadata, resumeAt: startedAt };
  };
  const stop = async (_metric: Metric, m: Measurement, c: InFlightContext): Promise<Measurement> => {
    const ref = measuredJob(m, c.run.namespace);
    if (ref === undefined) return failed(m, 'job metadata reference missing', c);
    await deleteJob(deps, ref.namespace, ref.name);
    const { resumeAt: _resume, ...rest } = m;
    return { ...rest, phase: 'Inconclusive', finishedAt: toTimestamp(c.now) };
  };
  return {
    type: 'job',
    measure: async (): Promise<MeasuredValue> => ({ ok: false, error: 'job metrics are measured in flight' }),
    start,
    resume: guard((_metric, m, c) => resumeJob(deps, m, c)),
    terminate: guard(stop),
    finished: (m, run) => {
      const ref = measuredJob(m, run.namespace);
      const job = ref === undefined ? undefined : deps.jobs.get(ref.namespace, ref.name);
      return job !== undefined && jobOutcome(job as Job) !== undefined;
    },
    collect: async (metric, keep, context) => {
      const jobs = jobsOfMetric(deps, metric, context);
      for (const job of jobs.slice(0, Math.max(0, jobs.length - keep))) {
        await deleteJob(deps, job.metadata?.namespace ?? context.run.namespace, job.metadata?.name ?? '');
      }
    },
  };
}
