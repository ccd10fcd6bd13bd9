import type { Server } from 'node:http';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import {
  type AnalysisRunLike,
  analysisRunHealth,
  type HealthVerdict,
  rolloutHealth,
} from '../support/argocd/health.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import { errorRateMetric, scrapeExporter, startExporter, waitForErrorRate } from './support/exporter.js';
import { type EngineEnv, type RolloutApi, type RolloutObject, startEngine } from './support/rollouts.js';

const STEPS = [{ setWeight: 25 }, { pause: {} }];
const NEVER_READY = { 'vireo.test/ready': 'false' };

/** Argo CD reads a settled status only: observedGeneration is numeric and equals metadata.generation. */
function expectObserved(r: RolloutObject): void {
  expect(String(r.status?.observedGeneration)).toMatch(/^\d+$/);
  expect(Number(r.status?.observedGeneration)).toBe(r.metadata.generation);
}

describe('Argo CD health assessment over Vireo’s real status (reference 6.1, 6.3)', () => {
  let env: EngineEnv;
  let api: RolloutApi;
  let exporter: Server;

  beforeAll(async () => {
    env = await startEngine('argocd-health');
    api = env.api;
    exporter = await startExporter({ [`${env.namespace}-good`]: 0.01, [`${env.namespace}-bad`]: 0.5 });
    scrapeExporter(exporter, 'argocd-health');
  });
  afterAll(async () => {
    await env?.stop();
    await new Promise((resolve) => exporter?.close(resolve));
  });

  /** Polls until Argo CD's verdict on `name` is `status`; returns the Rollout and every verdict seen on the way. */
  async function untilHealth(name: string, status: HealthVerdict['status']) {
    const seen: HealthVerdict[] = [];
    const r = await api.waitFor(name, `${name} to be ${status} for Argo CD`, (r) => {
      const verdict = rolloutHealth(r);
      if (seen.at(-1)?.status !== verdict.status) seen.push(verdict);
      return verdict.status === status;
    });
    return { r, verdict: rolloutHealth(r), seen };
  }

  it('Healthy once deployed; Progressing then Suspended (CanaryPauseStep) through an update', async () => {
    await api.create(canaryRollout('web', 'registry.example/web:1', { steps: STEPS }));
    const healthy = await untilHealth('web', 'Healthy');
    expectObserved(healthy.r);
    expect(healthy.verdict.message).toBe('');
    await api.patchSpec('web', imagePatch('registry.example/web:2'));
    const right = rolloutHealth(await api.get('web'));
    expect(['Progressing', 'Suspended']).toContain(right.status);
    const paused = await untilHealth('web', 'Suspended');
    expectObserved(paused.r);
    expect(paused.verdict).toEqual({ status: 'Suspended', message: 'CanaryPauseStep' });
    expect(paused.r.status?.phase).toBe('Paused');
  });

  it('Degraded with RolloutAborted after an abort, stable still current', async () => {
    await api.patchStatus('web', { abort: true });
    const { r, verdict } = await untilHealth('web', 'Degraded');
    expectObserved(r);
    expect(verdict.message).toMatch(/^RolloutAborted: Rollout aborted update to revision 2/);
    expect(r.status?.stableRS).not.toBe(r.status?.currentPodHash);
  });

  it('Progressing while canary pods are not available, Degraded once the progress deadline passes', async () => {
    await api.create(
      canaryRollout('slow', 'registry.example/slow:1', {
        steps: STEPS,
        spec: { progressDeadlineSeconds: 6 },
      }),
    );
    await untilHealth('slow', 'Healthy');
    await api.patchSpec('slow', imagePatch('registry.example/slow:2', NEVER_READY));
    const { r, verdict, seen } = await untilHealth('slow', 'Degraded');
    expect(seen.map((v) => v.status)).toContain('Progressing');
    expectObserved(r);
    expect(verdict.message).toMatch(/^ProgressDeadlineExceeded: /);
  });

  it('Degraded with InvalidSpec for a spec the controller refuses', async () => {
    await api.create(canaryRollout('bad', 'registry.example/bad:1', { steps: [{ setWeight: 150 }] }));
    const { r, verdict } = await untilHealth('bad', 'Degraded');
    expectObserved(r);
    expect(verdict.message).toMatch(/^InvalidSpec: .*setWeight/);
  });

  describe('AnalysisRun health over real runs', () => {
    const custom = () => env.kc.makeApiClient(CustomObjectsApi);
    const ref = () => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: env.namespace,
      plural: 'analysisruns',
    });

    async function runVerdicts(name: string, app: string, count: number): Promise<string[]> {
      const body = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisRun',
        metadata: { name },
        spec: {
          args: [{ name: 'app', value: app }],
          metrics: [errorRateMetric({}, { count, failureLimit: 0 })],
        },
      };
      await custom().createNamespacedCustomObject({ ...ref(), body });
      const seen: string[] = [];
      await pollUntil(
        async () => {
          const run = (await custom().getNamespacedCustomObject({ ...ref(), name })) as AnalysisRunLike;
          const verdict = analysisRunHealth(run);
          if (seen.at(-1) !== verdict.status) seen.push(verdict.status);
          return ['Successful', 'Failed', 'Error'].includes(run.status?.phase ?? '');
        },
        { timeoutMs: 60_000, intervalMs: 100, description: `AnalysisRun ${name} to finish` },
      );
      return seen;
    }

    it('Progressing while Running, Healthy when Successful, Degraded when Failed', async () => {
      await waitForErrorRate(`${env.namespace}-good`);
      expect(await runVerdicts('good', `${env.namespace}-good`, 4)).toEqual(['Progressing', 'Healthy']);
      const bad = await runVerdicts('bad', `${env.namespace}-bad`, 2);
      expect(bad.at(-1)).toBe('Degraded');
    });
  });
});
