import type { Server } from 'node:http';
import type { V1ReplicaSet } from '@kubernetes/client-node';
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
import {
  ERROR_RATE_QUERY,
  scrapeExporter,
  startExporter,
  waitForErrorRate,
  waitForErrorRateValue as waitForFreshRate,
} from './support/exporter.js';
import { type EngineEnv, hashOf, type RolloutObject, specReplicas, startEngine } from './support/rollouts.js';

/** Beyond Argo Rollouts (issue 24): a failed analysis pauses instead of aborting; consecutive failures. */

const PAUSE = { 'vireo.dev/analysis-failure-action': 'pause' };
const CONSECUTIVE = { 'vireo.dev/consecutive-failure-limit': 'error-rate=4' };
const BAD = 0.08;
const GOOD = 0.01;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
const conditionOf = (r: RolloutObject, type: string) =>
  ((r.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
const stepRunName = (r: RolloutObject) =>
  (r.status as { canary?: { currentStepAnalysisRunStatus?: { name?: string } } } | undefined)?.canary
    ?.currentStepAnalysisRunStatus?.name;
const canaryOf = (r: RolloutObject, sets: V1ReplicaSet[]) =>
  sets.find((rs) => hashOf(rs) === r.status?.currentPodHash);

describe('vireo.dev/* analysis behaviour through the controller process (real Prometheus, deploy/ RBAC)', () => {
  let env: EngineEnv;
  let exporter: Server;
  const rates: Record<string, number> = {};
  const app = (name: string) => `${env.namespace}-${name}`;
  const analysisStep = (template: string, name: string) => ({
    analysis: { templates: [{ templateName: template }], args: [{ name: 'app', value: app(name) }] },
  });
  const stepsWith = (template: string, name: string) => [
    { setWeight: 50 },
    analysisStep(template, name),
    { setWeight: 100 },
  ];

  beforeAll(async () => {
    env = await startEngine('failure-pause');
    Object.assign(rates, { [app('pause')]: BAD, [app('blip')]: GOOD, [app('sustained')]: GOOD });
    exporter = await startExporter(rates);
    scrapeExporter(exporter, 'failure-pause');
    await createTemplate(env, 'error-rate', {
      args: [{ name: 'app' }],
      metrics: [promMetric('error-rate', ERROR_RATE_QUERY, { count: 3 })],
    });
    await createTemplate(
      env,
      'error-rate-streak',
      {
        args: [{ name: 'app' }],
        metrics: [promMetric('error-rate', ERROR_RATE_QUERY, { count: 8, interval: '2s' })],
      },
      CONSECUTIVE,
    );
    for (const name of ['pause', 'blip', 'sustained']) await createRoutedApp(env, name);
    await waitForErrorRate(app('pause'));
    await waitForErrorRate(app('blip'));
  });
  afterAll(async () => {
    await new Promise((resolve) => exporter?.close(resolve));
    await env?.stop();
  });

  const pausedOnFailure = (r: RolloutObject) =>
    r.status?.phase === 'Paused' &&
    (r.status.pauseConditions ?? []).some((c) => c.reason === 'FailedAnalysisRun');

  it('a failed step analysis pauses: traffic back to stable first, canary kept at size, condition names metric and value', async () => {
    const manifest = routedRollout('pause', 'shop:1', stepsWith('error-rate', 'pause'), {
      abortScaleDownDelaySeconds: 1,
    });
    const first = await deployHealthy(
      env,
      { ...manifest, metadata: { name: 'pause', annotations: PAUSE } },
      'pause',
    );
    await env.api.patchSpec('pause', imagePatch('shop:2'));
    const canaryKeptWhilePaused = (r: RolloutObject, sets: V1ReplicaSet[]) => {
      if (pausedOnFailure(r) && r.status?.currentPodHash !== first.status?.currentPodHash)
        expect(specReplicas(canaryOf(r, sets) ?? {})).toBe(1);
    };
    const paused = await env.api.waitFor(
      'pause',
      'the pause on the failed analysis',
      pausedOnFailure,
      canaryKeptWhilePaused,
    );
    expect(paused.status?.abort).toBeUndefined();
    await pollUntil(async () => (await routeWeights(env, 'pause')).stable === 100, {
      timeoutMs: 30_000,
      description: 'all traffic back on stable',
    });
    const condition = conditionOf(paused, 'Paused');
    expect(condition).toMatchObject({ status: 'True', reason: 'FailedAnalysisRun' });
    for (const part of ['"error-rate"', 'failed (1) > failureLimit (0)', '[0.08]', 'not rolled back'])
      expect(condition?.message).toContain(part);
    expect(paused.status?.message).toMatch(
      /^FailedAnalysisRun: Step-based analysis phase failed: .*\[0\.08\]/,
    );
    const events = await env.api.waitForEvents('pause', ['PausedOnFailedAnalysis']);
    expect(events.some((e) => e.reason === 'RolloutAborted')).toBe(false);
    // Kept for debugging well past abortScaleDownDelaySeconds (1 s): the canary is not scaled down.
    const sets = await env.api.replicaSets('pause');
    const canary = canaryOf(paused, sets);
    expect(canary && specReplicas(canary)).toBe(1);
    await pollUntil(async () => (await env.api.pods(canary?.metadata?.name ?? '')).length === 1, {
      timeoutMs: 30_000,
      description: 'the canary pod kept',
    });
    await env.api.waitFor(
      'pause',
      'still paused, canary kept',
      pausedOnFailure,
      canaryKeptWhilePaused,
      5_000,
    );
  });

  it('promote retries the step analysis as a new run and the release continues to Healthy', async () => {
    rates[app('pause')] = GOOD;
    await waitForFreshRate(app('pause'), GOOD);
    const before = await env.api.get('pause');
    const failedRun = stepRunName(before);
    await env.api.patchStatus('pause', { pauseConditions: null });
    const done = await env.api.waitFor(
      'pause',
      'promotion after the retried analysis',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === before.status?.currentPodHash,
    );
    expect(done.status?.abort).toBeUndefined();
    const runs = await runsOf(env, 'pause');
    expect(runs.map((r) => [r.metadata.name, r.status?.phase])).toEqual([
      [failedRun, 'Failed'],
      [`${failedRun}.1`, 'Successful'],
    ]);
    await env.api.waitForEvents('pause', ['AnalysisRetried']);
  });

  it('abort on a paused failure finishes it as the abort it deferred: Degraded, the failed run named', async () => {
    rates[app('pause')] = BAD;
    await waitForFreshRate(app('pause'), BAD);
    await env.api.patchSpec('pause', imagePatch('shop:3'));
    const before = await env.api.get('pause');
    await env.api.waitFor(
      'pause',
      'the second pause',
      (r) => pausedOnFailure(r) && r.status?.currentPodHash !== before.status?.currentPodHash,
    );
    await env.api.patchStatus('pause', { abort: true });
    const aborted = await env.api.waitFor(
      'pause',
      'the abort with its canary scaled down',
      (r, sets) => r.status?.phase === 'Degraded' && specReplicas(canaryOf(r, sets) ?? {}) === 0,
    );
    expect(conditionOf(aborted, 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutAborted' });
    expect(conditionOf(aborted, 'Progressing')?.message).toContain('Step-based analysis phase failed');
    expect(aborted.status?.pauseConditions ?? []).toEqual([]);
    expect(await routeWeights(env, 'pause')).toEqual({ stable: 100, canary: 0 });
  });

  it('consecutive-failure-limit 4: a blip does not fail the run (Argo would abort)', async () => {
    const steps = stepsWith('error-rate-streak', 'blip');
    const first = await deployHealthy(env, routedRollout('blip', 'shop:1', steps), 'blip');
    await env.api.patchSpec('blip', imagePatch('shop:2'));
    rates[app('blip')] = BAD;
    await pollUntil(
      async () => ((await runsOf(env, 'blip'))[0]?.status?.metricResults?.[0]?.failed ?? 0) >= 1,
      { timeoutMs: 60_000, intervalMs: 100, description: 'one failed measurement' },
    );
    rates[app('blip')] = GOOD;
    const done = await env.api.waitFor(
      'blip',
      'promotion despite the blip',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS !== first.status?.stableRS,
    );
    expect(done.status?.abort).toBeUndefined();
    const [run] = await runsOf(env, 'blip');
    const result = run?.status?.metricResults?.[0];
    expect(run?.metadata.annotations?.['vireo.dev/consecutive-failure-limit']).toBe('error-rate=4');
    expect(run?.status?.phase).toBe('Successful');
    expect(result?.failed).toBeGreaterThanOrEqual(1);
    expect(result?.failed).toBeLessThan(4);
  });

  it('consecutive-failure-limit 4: a sustained problem fails the run on the fourth failure in a row and aborts', async () => {
    const steps = stepsWith('error-rate-streak', 'sustained');
    await deployHealthy(env, routedRollout('sustained', 'shop:1', steps), 'sustained');
    rates[app('sustained')] = BAD;
    await waitForFreshRate(app('sustained'), BAD);
    await env.api.patchSpec('sustained', imagePatch('shop:2'));
    const aborted = await env.api.waitFor('sustained', 'the abort', (r) => r.status?.abort === true);
    const [run] = await runsOf(env, 'sustained');
    const result = run?.status?.metricResults?.[0];
    expect(run?.status?.phase).toBe('Failed');
    expect(result?.measurements?.map((m) => m.phase)).toEqual(Array(4).fill('Failed'));
    expect(run?.status?.message).toContain('consecutiveFailed (4) >= consecutiveFailureLimit (4)');
    expect(aborted.status?.message).toContain('consecutiveFailureLimit (4)');
  });
});
