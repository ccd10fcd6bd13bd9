import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from '../../harness/prometheus.js';
import { pollUntil } from '../../harness/wait.js';
import {
  createRoutedApp,
  createTemplate,
  deployHealthy,
  promMetric,
  routedRollout,
  routeWeights,
  runsOf,
} from './support/analysis.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { type EngineEnv, startEngine } from './support/rollouts.js';

const analysisStep = (templateName: string) => ({ analysis: { templates: [{ templateName }] } });

describe('analysis outages and run housekeeping (controller as the deploy/ ServiceAccount)', () => {
  let env: EngineEnv;
  let prometheus: PrometheusServer;
  let dir: string;

  beforeAll(async () => {
    env = await startEngine('analysis-outages');
    dir = mkdtempSync(join(tmpdir(), 'vireo-private-prometheus-'));
    prometheus = await startPrometheus(dir);
    const privateMetric = promMetric(
      'errors',
      'vector(0.01)',
      { consecutiveErrorLimit: 1, count: 10 },
      prometheus.url,
    );
    await createTemplate(env, 'private', { metrics: [privateMetric] });
    await createTemplate(env, 'quick-ok', {
      metrics: [promMetric('errors', 'vector(0.01)', { interval: undefined })],
    });
    await createRoutedApp(env, 'outage');
  });
  afterAll(async () => {
    await prometheus?.stop();
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus stopped: Error measurements, the run errors after consecutiveErrorLimit, the rollout aborts', async () => {
    const steps = [{ setWeight: 25 }, analysisStep('private'), { setWeight: 100 }];
    const first = await deployHealthy(env, routedRollout('outage', 'shop:1', steps), 'outage');
    await prometheus.stop();
    await env.api.patchSpec('outage', imagePatch('shop:2'));
    const aborted = await env.api.waitFor('outage', 'the abort on errors', (r) => r.status?.abort === true);
    await pollUntil(async () => (await routeWeights(env, 'outage')).stable === 100, {
      timeoutMs: 30_000,
      description: 'all traffic back on stable',
    });
    expect(aborted.status?.stableRS).toBe(first.status?.stableRS);
    const [run] = await runsOf(env, 'outage');
    const result = run?.status?.metricResults?.[0];
    expect(run?.status?.phase).toBe('Error');
    expect(result?.error).toBe(2);
    expect(result?.measurements?.map((m) => m.phase)).toEqual(['Error', 'Error']);
    expect(aborted.status?.message).toContain('consecutiveErrors (2) > consecutiveErrorLimit (1)');
  });

  it('keeps only successfulRunHistoryLimit completed runs once the Rollout tracks none', async () => {
    const steps = [analysisStep('quick-ok'), analysisStep('quick-ok'), analysisStep('quick-ok')];
    const rollout = canaryRollout('history', 'shop:1', {
      replicas: 1,
      steps,
      spec: { analysis: { successfulRunHistoryLimit: 1, unsuccessfulRunHistoryLimit: 1 } },
    });
    await env.api.create(rollout);
    const first = await env.api.waitFor('history', 'the first deploy', (r) => r.status?.phase === 'Healthy');
    await env.api.patchSpec('history', imagePatch('shop:2'));
    const done = await env.api.waitFor(
      'history',
      'promotion through three analysis steps',
      (r) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS === r.status.currentPodHash &&
        r.status.currentStepIndex === 3 &&
        r.status.currentPodHash !== first.status?.currentPodHash,
    );
    const hash = done.status?.currentPodHash;
    const names = await pollUntil(
      async () => {
        const runs = (await runsOf(env, 'history')).map((r) => r.metadata.name);
        return runs.length === 1 && runs;
      },
      { timeoutMs: 30_000, description: 'the older runs pruned' },
    );
    expect(names).toEqual([`history-${hash}-2-2`]);
  });

  it('deletes a completed AnalysisRun once its ttlStrategy expires', async () => {
    const custom = env.kc.makeApiClient(CustomObjectsApi);
    const ref = {
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: env.namespace,
      plural: 'analysisruns',
    };
    const metric = promMetric('errors', 'vector(0.01)', { interval: undefined });
    await custom.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisRun',
        metadata: { name: 'short-lived' },
        spec: { metrics: [metric], ttlStrategy: { secondsAfterSuccess: 1, secondsAfterFailure: 600 } },
      },
    });
    await pollUntil(
      async () => {
        const list = (await custom.listNamespacedCustomObject(ref)) as {
          items: { metadata: { name: string } }[];
        };
        return !list.items.some((r) => r.metadata.name === 'short-lived');
      },
      { timeoutMs: 30_000, description: 'the run deleted after secondsAfterSuccess' },
    );
  });
});
