import { describe, expect, it } from 'vitest';
import { type InFlightContext, isInFlightProvider } from '../../../../src/analysis/providers/in-flight.js';
import { createJobProvider } from '../../../../src/analysis/providers/job.js';
import {
  jobFor,
  jobName,
  nextJobCheck,
  RUN_UID_LABEL,
} from '../../../../src/analysis/providers/job-object.js';
import type { Metric } from '../../../../src/api/index.js';
import { Resources } from '../../../../src/kube/client.js';
import { ApiError } from '../../../../src/kube/errors.js';
import type { KubeObject } from '../../../../src/kube/types.js';
import { FakeKubeClient } from '../../traffic/fake-kube-client.js';
import { at, ts } from '../core/fixtures.js';

const run = { name: 'run', namespace: 'ns', uid: 'uid-1' };
const metric: Metric = {
  name: 'job-metric',
  provider: {
    job: {
      metadata: { labels: { foo: 'bar' }, annotations: { foo2: 'bar2' } },
      spec: {
        backoffLimit: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    },
  },
};

function context(n = 1, now = at(10), args: InFlightContext['args'] = []): InFlightContext {
  return { run, args, signal: new AbortController().signal, now, measurementNumber: n };
}

/** A fake API plus a Job cache reading the same objects (the informer, caught up). */
function world() {
  const client = new FakeKubeClient();
  const jobs = {
    get: (namespace: string | undefined, name: string) =>
      client.objects.get(`batch/jobs/${namespace ?? ''}/${name}`),
    list: (namespace?: string) =>
      [...client.objects].filter(([k]) => k.startsWith(`batch/jobs/${namespace ?? ''}/`)).map(([, v]) => v),
  };
  return { client, provider: createJobProvider({ client, jobs }) };
}

function setJobStatus(client: FakeKubeClient, name: string, status: object): void {
  const key = `batch/jobs/ns/${name}`;
  const job = client.objects.get(key) as KubeObject;
  client.objects.set(key, { ...job, status } as KubeObject);
}

describe('job metric objects (Argo names, labels, owner)', () => {
  it('names the Job <run uid>.<metric>.<n>, cutting the metric name to fit 63 characters', () => {
    expect(jobName(run, 'm', 2)).toBe('uid-1.m.2');
    const uid = 'a'.repeat(36);
    const long = jobName({ ...run, uid }, 'x'.repeat(40), 12);
    expect(long).toHaveLength(63);
    expect(long).toBe(`${uid}.${'x'.repeat(23)}.12`);
  });

  it('builds the Job with the metric metadata, run labels and annotations and the run as controller', () => {
    const job = jobFor(run, metric, 3);
    expect(job.metadata).toMatchObject({
      name: 'uid-1.job-metric.3',
      namespace: 'ns',
      labels: { foo: 'bar', [RUN_UID_LABEL]: 'uid-1' },
      annotations: {
        foo2: 'bar2',
        'analysisrun.argoproj.io/name': 'run',
        'analysisrun.argoproj.io/namespace': 'ns',
        'analysisrun.argoproj.io/metric-name': 'job-metric',
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          name: 'run',
          uid: 'uid-1',
          controller: true,
        },
      ],
    });
    expect(job.spec?.template.metadata?.labels).toEqual({ [RUN_UID_LABEL]: 'uid-1' });
    expect(job.spec?.backoffLimit).toBe(0);
  });

  it('checks a running Job again after √(2 × elapsed) seconds', () => {
    expect(nextJobCheck({ phase: 'Running', startedAt: ts(0) }, at(50))).toBe(ts(60));
    expect(nextJobCheck({ phase: 'Running', startedAt: ts(10) }, at(10))).toBe(ts(10));
  });
});

describe('job provider', () => {
  it('is an in-flight provider', () => {
    expect(isInFlightProvider(world().provider)).toBe(true);
  });

  it('creates the Job and returns the measurement in flight, resumed at once', async () => {
    const { client, provider } = world();
    const m = await provider.start(metric, context());
    expect(m).toEqual({
      phase: 'Running',
      startedAt: ts(10),
      resumeAt: ts(10),
      metadata: { 'job-name': 'uid-1.job-metric.1', 'job-namespace': 'ns' },
    });
    expect(client.writes).toEqual(['create batch/jobs/ns/uid-1.job-metric.1']);
  });

  it('claims an existing Job of the same run and refuses one of another run', async () => {
    const { client, provider } = world();
    client.seed(Resources.jobs, jobFor(run, metric, 1) as KubeObject);
    expect((await provider.start(metric, context(1))).phase).toBe('Running');
    const clash = jobFor({ ...run, uid: 'x' }, metric, 5);
    client.seed(Resources.jobs, {
      ...clash,
      metadata: { ...clash.metadata, name: 'uid-1.job-metric.5' },
    } as KubeObject);
    const refused = await provider.start(metric, context(5));
    expect(refused).toMatchObject({ phase: 'Error', finishedAt: ts(10) });
    expect(refused.message).toContain('could not be created');
  });

  it('is an Error when the Job cannot be created, without secret values in the message', async () => {
    const { client, provider } = world();
    client.create = async () => {
      throw new ApiError(422, 'Invalid', 'env value "s3cr3t" is invalid');
    };
    const args = [{ name: 'token', value: 's3cr3t', secret: true }];
    const m = await provider.start(metric, context(1, at(10), args));
    expect(m.phase).toBe('Error');
    expect(m.message).not.toContain('s3cr3t');
    expect(m.message).toContain('*****');
  });

  it.each([
    [{ conditions: [{ type: 'Complete', status: 'True' }] }, 'Successful', undefined],
    [
      {
        conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'gave up' }],
      },
      'Failed',
      'BackoffLimitExceeded: gave up',
    ],
  ])('resumes a finished Job as its verdict (%j)', async (status, phase, message) => {
    const { client, provider } = world();
    const started = await provider.start(metric, context(1, at(0)));
    setJobStatus(client, 'uid-1.job-metric.1', status);
    const m = await provider.resume(metric, started, context(1, at(7)));
    expect(m.phase).toBe(phase);
    expect(m.message).toBe(message);
    expect(m.finishedAt).toBe(ts(7));
    expect(m.resumeAt).toBeUndefined();
    expect(m.metadata?.['job-name']).toBe('uid-1.job-metric.1');
  });

  it('keeps a running Job in flight with a growing delay, and is Inconclusive when its image cannot be pulled', async () => {
    const { client, provider } = world();
    const started = await provider.start(metric, context(1, at(0)));
    setJobStatus(client, 'uid-1.job-metric.1', { active: 1 });
    const job = client.objects.get('batch/jobs/ns/uid-1.job-metric.1') as KubeObject;
    client.objects.set('batch/jobs/ns/uid-1.job-metric.1', {
      ...job,
      spec: { ...(job as { spec: object }).spec, selector: { matchLabels: { 'controller-uid': 'j' } } },
    } as KubeObject);
    const waiting = await provider.resume(metric, started, context(1, at(50)));
    expect(waiting).toMatchObject({ phase: 'Running', resumeAt: ts(60) });
    client.seed(Resources.pods, {
      metadata: { name: 'p', namespace: 'ns', labels: { 'controller-uid': 'j' } },
      status: {
        containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff', message: 'no' } } }],
      },
    } as KubeObject);
    const stuck = await provider.resume(metric, waiting, context(1, at(60)));
    expect(stuck).toMatchObject({
      phase: 'Inconclusive',
      message: 'Pod p, container c has terminal error (ImagePullBackOff): no',
      finishedAt: ts(60),
    });
  });

  it('is an Error when the Job is gone or the measurement names none', async () => {
    const { provider } = world();
    const gone = await provider.resume(
      metric,
      { phase: 'Running', startedAt: ts(0), metadata: { 'job-name': 'nope' } },
      context(),
    );
    expect(gone.phase).toBe('Error');
    const none = await provider.resume(metric, { phase: 'Running', startedAt: ts(0) }, context());
    expect(none).toMatchObject({ phase: 'Error', message: 'job metadata reference missing' });
  });

  it('tells from the cache whether the measured Job has finished', async () => {
    const { client, provider } = world();
    const started = await provider.start(metric, context(1, at(0)));
    expect(provider.finished?.(started, run)).toBe(false);
    setJobStatus(client, 'uid-1.job-metric.1', { conditions: [{ type: 'Failed', status: 'True' }] });
    expect(provider.finished?.(started, run)).toBe(true);
    expect(provider.finished?.({ phase: 'Running' }, run)).toBe(false);
  });

  it('terminates by deleting the Job: Inconclusive', async () => {
    const { client, provider } = world();
    const started = await provider.start(metric, context(1, at(0)));
    const m = await provider.terminate(metric, started, context(1, at(3)));
    expect(m).toMatchObject({ phase: 'Inconclusive', finishedAt: ts(3) });
    expect(client.writes).toContain('delete batch/jobs/ns/uid-1.job-metric.1');
  });

  it('collects the Jobs of a metric beyond the newest kept ones, oldest first', async () => {
    const { client, provider } = world();
    for (const n of [1, 2, 3]) {
      const job = jobFor(run, metric, n);
      client.seed(Resources.jobs, {
        ...job,
        metadata: { ...job.metadata, creationTimestamp: ts(n) },
      } as KubeObject);
    }
    const other = jobFor(run, { ...metric, name: 'other' }, 1);
    client.seed(Resources.jobs, other as KubeObject);
    await provider.collect(metric, 1, context());
    expect(client.writes).toEqual([
      'delete batch/jobs/ns/uid-1.job-metric.1',
      'delete batch/jobs/ns/uid-1.job-metric.2',
    ]);
  });
});
