import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import {
  createRoutedApp,
  createTemplate,
  deployHealthy,
  routedRollout,
  routeWeights,
  runsOf,
} from './support/analysis.js';
import { imagePatch } from './support/canary.js';
import { ensurePluginBuilt, runKubectl } from './support/cli.js';
import { clusterInfo } from './support/cluster.js';
import { type AppFleet, JUDGE_ERROR_RATIO, startFleet, waitForHistory } from './support/judge-apps.js';
import { type EngineEnv, type RolloutObject, startEngine } from './support/rollouts.js';

/** The judge template: one measurement 15 s into the step, comparing the last 10 s of both roles. */
function judgeTemplate(): object {
  return {
    args: [{ name: 'canary-hash' }, { name: 'stable-hash' }, { name: 'namespace' }],
    metrics: [
      {
        name: 'canary-vs-baseline',
        initialDelay: '15s',
        interval: '5s',
        count: 1,
        successCondition: 'result >= 100',
        provider: {
          plugin: {
            'vireo.dev/judge': {
              address: clusterInfo().prometheusUrl,
              canary: '{{args.canary-hash}}',
              baseline: '{{args.stable-hash}}',
              window: '10s',
              step: '1s',
              metrics: [
                {
                  name: 'error-rate',
                  query: JUDGE_ERROR_RATIO,
                  direction: 'increase',
                  tolerance: 0.01,
                  minSamples: 6,
                },
              ],
            },
          },
        },
      },
    ],
  };
}

/** The step analysis with the hashes from the Rollout (Argo's podTemplateHashValue) and its namespace. */
const judgeStep = {
  analysis: {
    templates: [{ templateName: 'judge' }],
    args: [
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ],
  },
};
const steps = [{ setWeight: 25 }, judgeStep, { setWeight: 100 }];

describe('the vireo.dev/judge plugin through the controller (real Prometheus, two loopback versions)', () => {
  let env: EngineEnv;
  let fleet: AppFleet;
  /** The hashes of the aborted release, for the replay. */
  const differs = { canary: '', stable: '' };

  /** Deploys v1 (stable, 0.2% errors), releases v2 at `canaryErrors`, labels each scrape target by hash. */
  async function release(name: string, canaryErrors: number): Promise<RolloutObject> {
    await fleet.start(`${name}-v1`, 0.002);
    await fleet.start(`${name}-v2`, canaryErrors);
    const first = await deployHealthy(env, routedRollout(name, 'shop:1', steps), name);
    fleet.label(`${name}-v1`, first.status?.stableRS ?? '');
    await waitForHistory(first.status?.stableRS ?? '', 10);
    await env.api.patchSpec(name, imagePatch('shop:2'));
    const updating = await env.api.waitFor(
      name,
      'the canary hash',
      (r) => r.status?.currentPodHash !== first.status?.stableRS,
    );
    fleet.label(`${name}-v2`, updating.status?.currentPodHash ?? '');
    return first;
  }

  beforeAll(async () => {
    env = await startEngine('canary-judge');
    fleet = startFleet(env.namespace, 30);
    await createTemplate(env, 'judge', judgeTemplate());
    const broken = judgeTemplate() as {
      metrics: { provider: { plugin: Record<string, { metrics: object[] }> } }[];
    };
    const config = broken.metrics[0]?.provider.plugin['vireo.dev/judge'];
    if (config) config.metrics = [{ name: 'error-rate', query: 'sum(rate(http_requests_total[5s]))' }];
    await createTemplate(env, 'judge-broken', broken);
    for (const app of ['differs', 'same', 'broken']) await createRoutedApp(env, app);
  });
  afterAll(async () => {
    await fleet?.close();
    await env?.stop();
  });

  it('error rates that differ (8% against 0.2%): score 0, the run fails and the Rollout aborts to stable', async () => {
    const first = await release('differs', 0.08);
    const aborted = await env.api.waitFor('differs', 'the abort', (r) => r.status?.abort === true);
    await pollUntil(async () => (await routeWeights(env, 'differs')).stable === 100, {
      timeoutMs: 30_000,
      description: 'all traffic back on stable',
    });
    expect(aborted.status?.stableRS).toBe(first.status?.stableRS);
    const [run] = await runsOf(env, 'differs');
    const measurement = run?.status?.metricResults?.[0]?.measurements?.at(-1);
    expect(run?.status?.phase).toBe('Failed');
    expect(measurement?.phase).toBe('Failed');
    expect(measurement?.value).toBe('0');
    expect(measurement?.metadata?.roles).toBe(
      `canary=${aborted.status?.currentPodHash} baseline=${first.status?.stableRS}`,
    );
    const line =
      /^fail: canary higher \(p=(\S+) < 0\.05, margin 0\.01; median (\S+) vs (\S+); n=(\d+)\/(\d+)\)$/.exec(
        measurement?.metadata?.['error-rate'] ?? '',
      );
    expect(line, measurement?.metadata?.['error-rate']).not.toBeNull();
    const [p, canaryMedian, baselineMedian, nCanary, nBaseline] = (line ?? []).slice(1).map(Number);
    expect(p).toBeLessThan(0.05);
    expect(canaryMedian).toBeGreaterThan(0.05);
    expect(baselineMedian).toBeLessThan(0.01);
    expect(Math.min(nCanary ?? 0, nBaseline ?? 0)).toBeGreaterThanOrEqual(6);
    expect(aborted.status?.message).toContain('result >= 100');
    Object.assign(differs, { canary: aborted.status?.currentPodHash, stable: first.status?.stableRS });
  });

  it('error rates that do not differ beyond the tolerance (0.4% against 0.2%): score 100 and the canary is promoted', async () => {
    const first = await release('same', 0.004);
    const done = await env.api.waitFor(
      'same',
      'promotion',
      (r) =>
        r.status?.phase === 'Healthy' &&
        r.status.stableRS !== first.status?.stableRS &&
        r.status.stableRS === r.status.currentPodHash,
    );
    expect(done.status?.abort).toBeUndefined();
    const [run] = await runsOf(env, 'same');
    const measurement = run?.status?.metricResults?.[0]?.measurements?.at(-1);
    expect(run?.status?.phase).toBe('Successful');
    expect(measurement?.value).toBe('100');
    expect(measurement?.metadata?.['error-rate']).toMatch(
      /^pass: no significant difference \(p=[\d.e-]+ ≥ 0\.05, margin 0\.01; /,
    );
  });

  it('kubectl vireo analyze replays the judge template over the last 30 s of the aborted release: it would abort again', async () => {
    ensurePluginBuilt();
    await waitForHistory(differs.canary, 45);
    const file = join(mkdtempSync(join(tmpdir(), 'vireo-judge-replay-')), 'judge.json');
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'judge' },
    };
    writeFileSync(file, JSON.stringify({ ...template, spec: judgeTemplate() }));
    const args = [
      `canary-hash=${differs.canary}`,
      `stable-hash=${differs.stable}`,
      `namespace=${env.namespace}`,
    ];
    const replay = [
      'vireo',
      'analyze',
      '--template',
      file,
      '--from',
      '30s',
      ...args.flatMap((a) => ['--args', a]),
    ];
    const text = await runKubectl(replay).done;
    expect(text.stderr).toBe('');
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('one query per measurement');
    expect(text.stdout).toContain('→ the Rollout would have aborted.');
    const json = await runKubectl([...replay, '-o', 'json']).done;
    const report = JSON.parse(json.stdout) as {
      metrics: { measurements: { value?: string; phase: string; inRun: boolean }[] }[];
      verdict: { phase: string; aborted: boolean };
    };
    expect(report.verdict).toMatchObject({ phase: 'Failed', aborted: true });
    const measured = report.metrics[0]?.measurements ?? [];
    expect(measured.length).toBeGreaterThanOrEqual(3);
    expect(measured.every((m) => m.value === '0' && m.phase === 'Failed')).toBe(true);
    expect(measured.filter((m) => m.inRun)).toHaveLength(1);
  });

  it('a judge config without {{role}} is InvalidSpec with the field path before any canary pod (the pre-flight)', async () => {
    const brokenStep = { analysis: { ...judgeStep.analysis, templates: [{ templateName: 'judge-broken' }] } };
    const first = await deployHealthy(
      env,
      routedRollout('broken', 'shop:1', [{ setWeight: 25 }, judgeStep]),
      'broken',
    );
    await env.api.patchSpec('broken', {
      ...imagePatch('shop:2'),
      strategy: { canary: { steps: [{ setWeight: 25 }, brokenStep] } },
    });
    const held = await env.api.waitFor('broken', 'InvalidSpec', (r) =>
      (r.status?.conditions ?? []).some((c) => c.type === 'InvalidSpec' && c.status === 'True'),
    );
    const path = 'spec.metrics[0].provider.plugin["vireo.dev/judge"].metrics[0].query';
    expect(held.status?.message).toContain(
      `spec.strategy.canary.steps[1].analysis.templates[0]: AnalysisTemplate 'judge-broken': ${path}: must contain {{role}}`,
    );
    const sets = await env.api.replicaSets('broken');
    expect(sets.map((rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'])).toEqual([
      first.status?.stableRS,
    ]);
    expect(await routeWeights(env, 'broken')).toEqual({ stable: 100, canary: 0 });
    expect(await runsOf(env, 'broken')).toEqual([]);
  });
});
