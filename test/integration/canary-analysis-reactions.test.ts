import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { imagePatch } from './support/canary.js';
import { ERROR_RATE_QUERY, scrapeExporter, startExporter, waitForErrorRate } from './support/exporter.js';
import { type EngineEnv, type RolloutObject, startEngine } from './support/rollouts.js';

const backgroundRecord = (r: RolloutObject) =>
  (r.status as { canary?: { currentBackgroundAnalysisRunStatus?: { status: string } } } | undefined)?.canary
    ?.currentBackgroundAnalysisRunStatus;

const stepAnalysis = (templateName: string, args: object[] = []) => ({
  analysis: { templates: [{ templateName }], args },
});

describe('how a Rollout reacts to its analysis (real Prometheus, controller as the deploy/ ServiceAccount)', () => {
  let env: EngineEnv;
  let exporter: Server;
  const backToStable = (name: string) =>
    pollUntil(async () => (await routeWeights(env, name)).stable === 100, {
      timeoutMs: 30_000,
      description: `${name}: all traffic back on stable`,
    });

  beforeAll(async () => {
    env = await startEngine('analysis-reactions');
    exporter = await startExporter({ [`${env.namespace}-bad`]: 0.08 });
    scrapeExporter(exporter, 'analysis-reactions');
    await createTemplate(env, 'error-rate', {
      args: [{ name: 'app' }],
      metrics: [promMetric('error-rate', ERROR_RATE_QUERY, { failureLimit: 3, count: 10 })],
    });
    await createTemplate(env, 'unsure', {
      metrics: [promMetric('latency', 'vector(0.08)', { failureCondition: 'result[0] > 0.1', count: 3 })],
    });
    await createTemplate(env, 'with-dry-run', {
      dryRun: [{ metricName: 'always-bad' }],
      metrics: [
        promMetric('always-bad', 'vector(0.08)', { count: 2 }),
        promMetric('healthy', 'vector(0.01)', { count: 2 }),
      ],
    });
    await createTemplate(env, 'bg-bad', {
      metrics: [promMetric('errors', 'vector(0.08)', { failureLimit: 1 })],
    });
    await createTemplate(env, 'bg-ok', { metrics: [promMetric('errors', 'vector(0.01)')] });
    for (const app of ['incident', 'unsure', 'dry', 'bg', 'bg-ok']) await createRoutedApp(env, app);
    await waitForErrorRate(`${env.namespace}-bad`);
  });
  afterAll(async () => {
    await new Promise((resolve) => exporter?.close(resolve));
    await env?.stop();
  });

  it('the classic incident: 8% errors against `result[0] < 0.05`, failureLimit 3, aborts on the 4th failed measurement', async () => {
    const steps = [
      { setWeight: 25 },
      stepAnalysis('error-rate', [{ name: 'app', value: `${env.namespace}-bad` }]),
      { setWeight: 100 },
    ];
    const first = await deployHealthy(env, routedRollout('incident', 'shop:1', steps), 'incident');
    await env.api.patchSpec('incident', imagePatch('shop:2'));
    const aborted = await env.api.waitFor('incident', 'the automatic abort', (r) => r.status?.abort === true);
    await backToStable('incident');
    expect(aborted.status?.stableRS).toBe(first.status?.stableRS);
    const [run] = await runsOf(env, 'incident');
    const result = run?.status?.metricResults?.[0];
    expect(run?.status?.phase).toBe('Failed');
    expect([result?.count, result?.failed]).toEqual([4, 4]);
    expect(result?.measurements?.map((m) => [m.phase, m.value])).toEqual(Array(4).fill(['Failed', '[0.08]']));
    expect(result?.measurements?.[0]?.metadata?.ResolvedPrometheusQuery).toBe(
      `vireo_test_error_rate{app="${env.namespace}-bad"}`,
    );
    const message = (await env.api.get('incident')).status?.message ?? '';
    for (const part of ['"error-rate"', 'failed (4) > failureLimit (3)', 'result[0] < 0.05', '[0.08]'])
      expect(message).toContain(part);
  });

  it('an Inconclusive run pauses the rollout, traffic left where it was', async () => {
    const steps = [{ setWeight: 25 }, stepAnalysis('unsure'), { setWeight: 100 }];
    await deployHealthy(env, routedRollout('unsure', 'shop:1', steps), 'unsure');
    await env.api.patchSpec('unsure', imagePatch('shop:2'));
    const paused = await env.api.waitFor(
      'unsure',
      'an Inconclusive pause',
      (r) => r.status?.phase === 'Paused',
    );
    expect(paused.status?.pauseConditions?.map((c) => c.reason)).toEqual(['InconclusiveAnalysisRun']);
    expect(paused.status?.abort).toBeUndefined();
    expect(await routeWeights(env, 'unsure')).toEqual({ stable: 75, canary: 25 });
    expect((await runsOf(env, 'unsure'))[0]?.status?.phase).toBe('Inconclusive');
  });

  it('a failing dryRun metric never aborts: the rollout completes and the dry-run summary counts it', async () => {
    const steps = [{ setWeight: 25 }, stepAnalysis('with-dry-run'), { setWeight: 100 }];
    const first = await deployHealthy(env, routedRollout('dry', 'shop:1', steps), 'dry');
    await env.api.patchSpec('dry', imagePatch('shop:2'));
    const done = await env.api.waitFor(
      'dry',
      'promotion despite the dry-run failure',
      (r) =>
        r.status?.phase === 'Healthy' &&
        r.status.currentPodHash !== first.status?.currentPodHash &&
        r.status.stableRS === r.status.currentPodHash,
    );
    expect(done.status?.abort).toBeUndefined();
    const [run] = await runsOf(env, 'dry');
    expect(run?.status?.phase).toBe('Successful');
    expect(run?.status?.dryRunSummary?.failed).toBe(1);
  });

  it('a background analysis that fails aborts mid-steps, traffic back to stable', async () => {
    const steps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];
    const analysis = { templates: [{ templateName: 'bg-bad' }], startingStep: 1 };
    await deployHealthy(env, routedRollout('bg', 'shop:1', steps, { analysis }), 'bg');
    await env.api.patchSpec('bg', imagePatch('shop:2'));
    const aborted = await env.api.waitFor('bg', 'the background abort', (r) => r.status?.abort === true);
    await backToStable('bg');
    expect(aborted.status?.message).toContain('Background analysis phase failed');
    const runs = await runsOf(env, 'bg');
    expect(runs.map((r) => [r.metadata.labels?.['rollout-type'], r.status?.phase])).toEqual([
      ['Background', 'Failed'],
    ]);
    expect(runs[0]?.metadata.name).toBe(`bg-${aborted.status?.currentPodHash}-2`);
  });

  it('a healthy background analysis runs alongside the steps and is terminated when the rollout completes', async () => {
    const steps = [{ setWeight: 50 }, { pause: {} }];
    const analysis = { templates: [{ templateName: 'bg-ok' }] };
    await deployHealthy(env, routedRollout('bg-ok', 'shop:1', steps, { analysis }), 'bg-ok');
    await env.api.patchSpec('bg-ok', imagePatch('shop:2'));
    await env.api.waitFor(
      'bg-ok',
      'the pause with the background run recorded',
      (r) => r.status?.phase === 'Paused' && backgroundRecord(r)?.status === 'Running',
    );
    await env.api.patchStatus('bg-ok', { pauseConditions: null });
    await env.api.waitFor(
      'bg-ok',
      'completion',
      (r) => r.status?.phase === 'Healthy' && r.status.currentStepIndex === 2,
    );
    const runs = await pollUntil(
      async () => {
        const runs = await runsOf(env, 'bg-ok');
        const forgotten = backgroundRecord(await env.api.get('bg-ok')) === undefined;
        return (
          forgotten && runs[0]?.spec.terminate === true && runs[0].status?.phase === 'Successful' && runs
        );
      },
      { timeoutMs: 30_000, description: 'the background run terminated, Successful, and forgotten' },
    );
    expect(runs).toHaveLength(1);
  });
});
