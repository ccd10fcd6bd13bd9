import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHttp } from '../../harness/probes.js';
import { pollUntil } from '../../harness/wait.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { errorRateMetric } from './support/exporter.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';

const SECRET = 'metrics-s3cr3t-value';

describe('/metrics of a running controller process (reference 7.1)', () => {
  let env: EngineEnv;
  const scrape = async () => {
    const res = await getHttp(`http://127.0.0.1:${env.controller.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const sample = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));

  beforeAll(async () => {
    env = await startEngine('metrics');
    await env.kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: env.namespace,
      body: { metadata: { name: 'token' }, stringData: { token: SECRET } },
    });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('exposes Argo’s Rollout gauges computed from the cache, following the Rollout', async () => {
    const { api, namespace } = env;
    await api.create(
      canaryRollout('web', 'registry.example/web:1', { steps: [{ setWeight: 50 }, { pause: {} }] }),
    );
    await api.waitFor('web', 'Healthy', (r) => r.status?.phase === 'Healthy');
    const base = `namespace="${namespace}",name="web"`;
    const healthy = await pollUntil(
      async () => {
        const text = await scrape();
        return (
          sample(text, `rollout_info{${base},strategy="canary",traffic_router="",phase="Healthy"} 1`) && text
        );
      },
      { timeoutMs: 10_000, description: 'rollout_info Healthy' },
    );
    expect(sample(healthy, `rollout_info_replicas_desired{${base}}`)).toBe(
      `rollout_info_replicas_desired{${base}} 4`,
    );
    expect(sample(healthy, `rollout_info_replicas_available{${base}}`)).toBe(
      `rollout_info_replicas_available{${base}} 4`,
    );
    expect(sample(healthy, `rollout_phase{${base},strategy="canary",phase="Healthy"}`)).toMatch(/ 1$/);
    await api.patchSpec('web', imagePatch('registry.example/web:2'));
    await api.waitFor('web', 'Paused', (r) => r.status?.phase === 'Paused');
    const paused = await scrape();
    expect(
      sample(paused, `rollout_info{${base},strategy="canary",traffic_router="",phase="Paused"}`),
    ).toMatch(/ 1$/);
    expect(sample(paused, `rollout_info_replicas_updated{${base}}`)).toBe(
      `rollout_info_replicas_updated{${base}} 2`,
    );
  });

  it('exposes AnalysisRun gauges, reconcile histograms, work-queue and process metrics; no secret values', async () => {
    const custom = env.kc.makeApiClient(CustomObjectsApi);
    const body = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'run-1' },
      spec: {
        args: [
          { name: 'app', value: 'none' },
          { name: 'token', valueFrom: { secretKeyRef: { name: 'token', key: 'token' } } },
        ],
        metrics: [
          errorRateMetric(
            { headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }] },
            { count: 1 },
          ),
        ],
      },
    };
    await custom.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: env.namespace,
      plural: 'analysisruns',
      body,
    });
    const base = `namespace="${env.namespace}",name="run-1"`;
    const text = await pollUntil(
      async () => {
        const t = await scrape();
        const done = t
          .split('\n')
          .some((l) => l.startsWith(`analysis_run_info{${base},phase=`) && !l.includes('"Pending"'));
        // The gauges come from the cache; the analysis controller's first reconcile may still be running.
        const reconciled = /^vireo_reconcile_duration_seconds_count\{controller="analysisruns"\} [1-9]/m.test(
          t,
        );
        return done && reconciled && t;
      },
      { timeoutMs: 30_000, description: 'the AnalysisRun to start in /metrics' },
    );
    expect(sample(text, `analysis_run_metric_type{${base},metric="error-rate",type="Prometheus"}`)).toMatch(
      / 1$/,
    );
    expect(
      text
        .split('\n')
        .filter((l) =>
          l.startsWith(
            `analysis_run_metric_phase{${base},metric="error-rate",type="Prometheus",dry_run="false"`,
          ),
        ),
    ).toHaveLength(6);
    expect(sample(text, 'vireo_reconcile_duration_seconds_count{controller="rollouts"}')).toMatch(
      / [1-9]\d*$/,
    );
    expect(sample(text, 'vireo_reconcile_duration_seconds_count{controller="analysisruns"}')).toMatch(
      / [1-9]\d*$/,
    );
    expect(sample(text, 'workqueue_depth{name="rollouts"}')).toBeDefined();
    expect(sample(text, 'workqueue_adds_total{name="analysisruns"}')).toMatch(/ [1-9]\d*$/);
    expect(sample(text, 'vireo_leader')).toBe('vireo_leader 1');
    expect(sample(text, 'process_resident_memory_bytes')).toBeDefined();
    expect(text).not.toContain(SECRET);
  });
});
