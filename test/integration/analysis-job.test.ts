import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Job,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerProcess } from '../../harness/controller.js';
import { pollUntil } from '../../harness/wait.js';
import { startNamespaceController } from './support/cli.js';
import { adminKubeConfig } from './support/cluster.js';
import { jobMetric } from './support/jobs.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

interface Measurement {
  phase: string;
  message?: string;
  finishedAt?: string;
  metadata?: Record<string, string>;
}

interface Run {
  metadata: { uid: string };
  status?: {
    phase?: string;
    message?: string;
    metricResults?: {
      name: string;
      count?: number;
      successful?: number;
      failed?: number;
      measurements?: Measurement[];
    }[];
  };
}

const COMPLETED = ['Successful', 'Failed', 'Error', 'Inconclusive'];

describe('job metric provider with the real Job controller, as the deploy/ ServiceAccount', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let controller: ControllerProcess;
  const ref = () => ({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'analysisruns' });
  const runs = () => kc.makeApiClient(CustomObjectsApi);
  const jobs = () => kc.makeApiClient(BatchV1Api);

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'job-metric');
    dir = mkdtempSync(join(tmpdir(), 'vireo-job-metric-'));
    ({ controller } = await startNamespaceController(kc, namespace, dir));
  });
  afterAll(async () => {
    await controller?.process.stop();
    await deleteNamespace(kc, namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  async function createRun(name: string, metric: object): Promise<void> {
    const body = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name },
      spec: { metrics: [metric] },
    };
    await runs().createNamespacedCustomObject({ ...ref(), body });
  }

  const getRun = async (name: string) => (await runs().getNamespacedCustomObject({ ...ref(), name })) as Run;

  const waitForRun = (name: string, done: (run: Run) => boolean, what: string) =>
    pollUntil(
      async () => {
        const run = await getRun(name);
        return done(run) && run;
      },
      { timeoutMs: 90_000, description: `AnalysisRun ${name} ${what}` },
    );

  const jobsOf = async (uid: string): Promise<V1Job[]> =>
    (await jobs().listNamespacedJob({ namespace, labelSelector: `analysisrun.argoproj.io/uid=${uid}` }))
      .items;

  it('passes with count 2: one Job per measurement, named and labelled as Argo does', async () => {
    await createRun('passing', jobMetric('smoke', 0, { count: 2, interval: '1s' }));
    const run = await waitForRun('passing', (r) => COMPLETED.includes(r.status?.phase ?? ''), 'to complete');
    expect(run.status?.phase).toBe('Successful');
    expect(run.status?.metricResults?.[0]).toMatchObject({ count: 2, successful: 2 });
    const measurements = run.status?.metricResults?.[0]?.measurements ?? [];
    expect(measurements.map((m) => m.metadata?.['job-name'])).toEqual([
      `${run.metadata.uid}.smoke.1`,
      `${run.metadata.uid}.smoke.2`,
    ]);
    const created = await jobsOf(run.metadata.uid);
    expect(created.map((j) => j.metadata?.name).sort()).toEqual([
      `${run.metadata.uid}.smoke.1`,
      `${run.metadata.uid}.smoke.2`,
    ]);
    const job = created[0];
    expect(job?.metadata?.labels).toMatchObject({
      team: 'qa',
      'analysisrun.argoproj.io/uid': run.metadata.uid,
    });
    expect(job?.metadata?.annotations).toMatchObject({
      'vireo.test/purpose': 'metric',
      'analysisrun.argoproj.io/name': 'passing',
      'analysisrun.argoproj.io/namespace': namespace,
      'analysisrun.argoproj.io/metric-name': 'smoke',
    });
    expect(job?.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'AnalysisRun',
        name: 'passing',
        uid: run.metadata.uid,
        controller: true,
      }),
    ]);
    expect(job?.spec?.template.metadata?.labels?.['analysisrun.argoproj.io/uid']).toBe(run.metadata.uid);
  });

  it('fails with count 2 when both Jobs fail (failureLimit 1)', async () => {
    await createRun('failing', jobMetric('smoke', 1, { count: 2, interval: '1s', failureLimit: 1 }));
    const run = await waitForRun('failing', (r) => COMPLETED.includes(r.status?.phase ?? ''), 'to complete');
    expect(run.status?.phase).toBe('Failed');
    expect(run.status?.metricResults?.[0]).toMatchObject({ count: 2, failed: 2 });
    expect(run.status?.message).toContain('failed (2) > failureLimit (1)');
  });

  it('stops the running Job when the run is terminated, and the run deletion takes its Jobs', async () => {
    await createRun('stopped', jobMetric('forever', undefined));
    const started = await waitForRun(
      'stopped',
      (r) => r.status?.metricResults?.[0]?.measurements?.[0]?.metadata?.['job-name'] !== undefined,
      'to start its Job',
    );
    const uid = started.metadata.uid;
    await pollUntil(async () => (await jobsOf(uid)).length === 1, {
      timeoutMs: 30_000,
      description: 'the Job',
    });
    await runs().patchNamespacedCustomObject(
      { ...ref(), name: 'stopped', body: { spec: { terminate: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const run = await waitForRun('stopped', (r) => COMPLETED.includes(r.status?.phase ?? ''), 'to complete');
    expect(run.status?.metricResults?.[0]?.measurements?.[0]).toMatchObject({
      phase: 'Inconclusive',
      message: 'Metric Terminated',
    });
    await pollUntil(
      async () =>
        (await jobsOf(uid)).every((j) => j.metadata?.deletionTimestamp) || (await jobsOf(uid)).length === 0,
      {
        timeoutMs: 30_000,
        description: 'the running Job to be deleted',
      },
    );

    const passing = await getRun('passing');
    await runs().deleteNamespacedCustomObject({ ...ref(), name: 'passing' });
    await pollUntil(async () => (await jobsOf(passing.metadata.uid)).length === 0, {
      timeoutMs: 60_000,
      description: "the deleted run's Jobs to be garbage-collected",
    });
  });
});
