import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerProcess } from '../../harness/controller.js';
import { pollUntil } from '../../harness/wait.js';
import { experimentHealth } from '../support/argocd/health.js';
import { ensurePluginBuilt, runKubectl, startNamespaceController } from './support/cli.js';
import { adminKubeConfig } from './support/cluster.js';
import { jobMetric } from './support/jobs.js';
import { createNamespace, deleteNamespace } from './support/objects.js';

interface ExperimentObject {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: {
    phase?: string;
    message?: string;
    availableAt?: string;
    templateStatuses?: { name: string; status?: string; serviceName?: string; podTemplateHash?: string }[];
    analysisRuns?: { name: string; analysisRun?: string; phase?: string; message?: string }[];
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

const COMPLETED = ['Successful', 'Failed', 'Error', 'Inconclusive'];

function template(name: string, extra: object = {}): object {
  return {
    name,
    replicas: 1,
    selector: { matchLabels: { app: 'web', side: name } },
    template: {
      metadata: { labels: { app: 'web', side: name } },
      spec: {
        containers: [{ name: 'web', image: `web:${name}`, ports: [{ name: 'http', containerPort: 8080 }] }],
      },
    },
    ...extra,
  };
}

function experiment(name: string, analysisTemplate: string, spec: object = {}): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name },
    spec: {
      scaleDownDelaySeconds: 2,
      templates: [template('baseline'), template('canary', { service: {} })],
      analyses: [{ name: 'check', templateName: analysisTemplate }],
      ...spec,
    },
  };
}

describe('Experiment controller against the real control plane, as the deploy/ ServiceAccount', () => {
  let kc: KubeConfig;
  let namespace: string;
  let dir: string;
  let controller: ControllerProcess;
  const custom = () => kc.makeApiClient(CustomObjectsApi);
  const at = (plural: string) => ({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural });

  beforeAll(async () => {
    kc = adminKubeConfig();
    namespace = await createNamespace(kc, 'experiment');
    for (const [name, exitCode] of [
      ['job-pass', 0],
      ['job-fail', 1],
    ] as const) {
      const body = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name },
        spec: { metrics: [jobMetric('job', exitCode)] },
      };
      await custom().createNamespacedCustomObject({ ...at('analysistemplates'), body });
    }
    dir = mkdtempSync(join(tmpdir(), 'vireo-experiment-'));
    ({ controller } = await startNamespaceController(kc, namespace, dir));
    ensurePluginBuilt();
  });
  afterAll(async () => {
    await controller?.process.stop();
    await deleteNamespace(kc, namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  const getExperiment = async (name: string) =>
    (await custom().getNamespacedCustomObject({ ...at('experiments'), name })) as ExperimentObject;

  const waitFor = (name: string, done: (ex: ExperimentObject) => boolean, what: string) =>
    pollUntil(
      async () => {
        const ex = await getExperiment(name);
        return done(ex) && ex;
      },
      { timeoutMs: 90_000, description: `Experiment ${name} ${what}` },
    );

  const replicas = async (name: string) =>
    (await kc.makeApiClient(AppsV1Api).readNamespacedReplicaSet({ namespace, name })).spec?.replicas;

  const serviceExists = async (name: string) =>
    kc
      .makeApiClient(CoreV1Api)
      .readNamespacedService({ namespace, name })
      .then(() => true)
      .catch(() => false);

  it('runs two templates and one analysis to Successful, then scales down and removes the Service', async () => {
    await custom().createNamespacedCustomObject({
      ...at('experiments'),
      body: experiment('good', 'job-pass', { duration: '6s' }),
    });
    const running = await waitFor('good', (ex) => ex.status?.phase === 'Running', 'to run');
    expect(experimentHealth(running)).toEqual({ status: 'Progressing', message: 'Experiment is running' });
    expect(running.status?.availableAt).toBeDefined();
    const rs = await kc.makeApiClient(AppsV1Api).readNamespacedReplicaSet({ namespace, name: 'good-canary' });
    const hash = rs.metadata?.labels?.['rollouts-pod-template-hash'];
    expect(rs.metadata).toMatchObject({
      labels: { app: 'web', side: 'canary', 'rollouts-pod-template-hash': hash },
      annotations: {
        'experiment.argoproj.io/name': 'good',
        'experiment.argoproj.io/template-name': 'canary',
      },
    });
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Experiment',
      name: 'good',
      controller: true,
    });
    const withService = await waitFor(
      'good',
      (ex) => ex.status?.templateStatuses?.some((t) => t.serviceName === 'good-canary') === true,
      'to record its Service',
    );
    expect(withService.status?.templateStatuses?.find((t) => t.name === 'canary')?.podTemplateHash).toBe(
      hash,
    );
    expect(await serviceExists('good-canary')).toBe(true);

    const done = await waitFor('good', (ex) => COMPLETED.includes(ex.status?.phase ?? ''), 'to complete');
    expect(done.status?.phase).toBe('Successful');
    expect(done.status?.analysisRuns).toEqual([
      { name: 'check', analysisRun: 'good-check', phase: 'Successful' },
    ]);
    expect(done.status?.templateStatuses?.map((t) => t.status)).toEqual(['Successful', 'Successful']);
    expect(done.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ExperimentCompleted' }),
    );
    expect(experimentHealth(done)).toEqual({ status: 'Healthy', message: 'Experiment is successful' });

    await pollUntil(
      async () => (await replicas('good-baseline')) === 0 && (await replicas('good-canary')) === 0,
      {
        timeoutMs: 60_000,
        description: 'the template ReplicaSets to scale down after scaleDownDelaySeconds',
      },
    );
    await pollUntil(async () => !(await serviceExists('good-canary')), {
      timeoutMs: 60_000,
      description: 'the template Service to be deleted once no pod is left',
    });
    const events = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({
      namespace,
      fieldSelector: 'involvedObject.kind=Experiment,involvedObject.name=good',
    });
    const reasons = events.items.map((e) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(['ExperimentPending', 'ExperimentRunning', 'ExperimentSuccessful']),
    );
  });

  it('shows the Experiment as a tree with kubectl vireo get experiment', async () => {
    const result = await runKubectl(['vireo', 'get', 'experiment', 'good', '-n', namespace, '--no-color'])
      .done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Status:\s+✔ Successful$/m);
    expect(result.stdout).toMatch(/^Σ good\s+Experiment\s+✔ Successful/m);
    expect(result.stdout).toMatch(/⧉ good-baseline\s+ReplicaSet\s+• ScaledDown/);
    expect(result.stdout).toMatch(/α good-check\s+AnalysisRun\s+✔ Successful/);
  });

  it('fails when its analysis fails, with the analysis message, and scales down', async () => {
    await custom().createNamespacedCustomObject({
      ...at('experiments'),
      body: experiment('bad', 'job-fail'),
    });
    const done = await waitFor('bad', (ex) => COMPLETED.includes(ex.status?.phase ?? ''), 'to complete');
    expect(done.status?.phase).toBe('Failed');
    expect(done.status?.message).toContain('Metric "job" assessed Failed');
    expect(done.status?.analysisRuns?.[0]).toMatchObject({
      name: 'check',
      analysisRun: 'bad-check',
      phase: 'Failed',
    });
    expect(experimentHealth(done)).toEqual({ status: 'Degraded', message: 'Experiment has failed' });
    await pollUntil(
      async () => (await replicas('bad-baseline')) === 0 && (await replicas('bad-canary')) === 0,
      {
        timeoutMs: 60_000,
        description: 'the template ReplicaSets of the failed Experiment to scale down',
      },
    );
  });

  it('reports an invalid spec in the InvalidSpec condition and creates nothing', async () => {
    const body = experiment('invalid', 'job-pass', { duration: 'soon' });
    await custom().createNamespacedCustomObject({ ...at('experiments'), body });
    const ex = await waitFor(
      'invalid',
      (e) => (e.status?.conditions ?? []).some((c) => c.type === 'InvalidSpec'),
      'to be refused',
    );
    expect(ex.status?.conditions?.find((c) => c.type === 'InvalidSpec')).toMatchObject({
      status: 'True',
      reason: 'InvalidSpec',
      message: 'spec.duration: must be a duration such as 30s, 5m or 1h, got "soon"',
    });
    const sets = await kc.makeApiClient(AppsV1Api).listNamespacedReplicaSet({ namespace });
    expect(sets.items.some((s) => s.metadata?.name?.startsWith('invalid-'))).toBe(false);
  });
});
