import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../harness/wait.js';
import { createTemplate, runsOf } from './support/analysis.js';
import { type AvailabilityRecorder, recordAvailability } from './support/availability.js';
import { scenarioFence } from './support/availability-fence.js';
import { canaryRollout, imagePatch } from './support/canary.js';
import {
  type CrashableEngine,
  type MetricsStub,
  startCrashableEngine,
  startMetricsStub,
} from './support/faults.js';
import type { RolloutObject } from './support/rollouts.js';

const PAUSES = [
  { setWeight: 25 },
  { pause: { duration: '15s' } },
  { setWeight: 50 },
  { pause: {} },
  { setWeight: 75 },
];
const ANALYSED = [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'steady-ok' }] } }];
/** Each step's stable share and 4 − 0 available pods at every observation (see `scenarioFence`). */
const FENCE = { steps: PAUSES, maxSurge: 1, maxUnavailable: 0 };
/** The fence's surge and unavailability, set on the Rollout (Argo's defaults would be 25 % each). */
const SURGE_ONLY = { maxSurge: 1, maxUnavailable: 0 };

const names = (sets: V1ReplicaSet[]) => sets.map((rs) => rs.metadata?.name ?? '').sort();
const at = (step: number) => (r: RolloutObject) =>
  r.status?.currentStepIndex === step && r.status.stableRS !== r.status.currentPodHash;

/**
 * kill -9 of the controller process at three moments of an update: during a timed pause, during an
 * indefinite pause and while the step's AnalysisRun is running. After each restart the Rollout is at the
 * same step, the ReplicaSets and AnalysisRuns are the same objects (no duplicate, names deterministic),
 * and the update finishes.
 */
describe('crash and resume: SIGKILL mid-step, mid-pause and mid-analysis', () => {
  let env: CrashableEngine;
  let metrics: MetricsStub;
  let recorder: AvailabilityRecorder;

  beforeAll(async () => {
    env = await startCrashableEngine('crash');
    metrics = await startMetricsStub('ok');
    recorder = recordAvailability(env.kc, env.namespace);
  });
  afterAll(async () => {
    recorder?.stop();
    await env?.stop();
    await metrics?.close();
  });

  it('resumes a timed pause at the same step and an indefinite pause still paused', async () => {
    const { api } = env;
    const fence = scenarioFence(recorder, FENCE);
    const check = fence.check;
    const shape = { replicas: 4, steps: PAUSES, canary: SURGE_ONLY };
    await api.create(canaryRollout('paused', 'registry.local/paused:1', shape));
    await api.waitFor('paused', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy', check);
    await api.patchSpec('paused', imagePatch('registry.local/paused:2'));
    await api.waitFor('paused', 'the timed pause (step 1)', at(1), check);
    const sets = names(await api.replicaSets('paused'));
    await env.crash();
    const meanwhile = await api.get('paused');
    await env.restart();
    expect(meanwhile.status?.currentStepIndex).toBe(1);
    const resumed = await api.waitFor(
      'paused',
      'the indefinite pause (step 3)',
      (r) => at(3)(r) && r.status?.phase === 'Paused',
      check,
    );
    expect(resumed.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
    expect(names(await api.replicaSets('paused'))).toEqual(sets);

    await env.crash();
    await env.restart();
    const after = await api.waitFor(
      'paused',
      'a pass after the restart',
      (r) => r.status?.phase === 'Paused',
    );
    expect(after.status?.currentStepIndex).toBe(3);
    expect(names(await api.replicaSets('paused'))).toEqual(sets);
    await api.patchStatus('paused', { pauseConditions: null });
    const done = await api.waitFor(
      'paused',
      'the update finished',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash,
      check,
    );
    expect(done.status?.currentStepIndex).toBe(PAUSES.length);
    expect(names(await api.replicaSets('paused'))).toEqual(sets);
    await fence.settle();
  });

  it('resumes a running step analysis: the same AnalysisRun, no second one, and the update finishes', async () => {
    const { api } = env;
    await createTemplate(env, 'steady-ok', {
      metrics: [
        {
          name: 'ok',
          interval: '1s',
          count: 8,
          successCondition: 'result == 1',
          provider: { web: { url: `${metrics.url}/value`, jsonPath: '{$.value}' } },
        },
      ],
    });
    await api.create(
      canaryRollout('analysed', 'registry.local/analysed:1', { replicas: 2, steps: ANALYSED }),
    );
    await api.waitFor('analysed', 'first deploy Healthy', (r) => r.status?.phase === 'Healthy');
    await api.patchSpec('analysed', imagePatch('registry.local/analysed:2'));
    await api.waitFor('analysed', 'the analysis step', at(1));
    const running = await pollRunning(env);
    const sets = names(await api.replicaSets('analysed'));
    await env.crash();
    await env.restart();
    const done = await api.waitFor(
      'analysed',
      'the update finished',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash,
    );
    expect(done.status?.currentStepIndex).toBe(ANALYSED.length);
    const runs = await runsOf(env, 'analysed');
    expect(runs.map((r) => r.metadata.name)).toEqual([running]);
    expect(runs[0]?.status?.phase).toBe('Successful');
    expect(runs[0]?.status?.metricResults?.[0]?.count).toBe(8);
    expect(names(await api.replicaSets('analysed'))).toEqual(sets);
  });
});

/** Waits until the step's AnalysisRun has taken at least one measurement and is still running; its name. */
async function pollRunning(env: CrashableEngine): Promise<string> {
  const run = await pollUntil(
    async () => {
      const runs = await runsOf(env, 'analysed');
      const done = runs.find((r) => ['Successful', 'Failed', 'Error'].includes(r.status?.phase ?? ''));
      if (done) throw new Error(`the AnalysisRun completed before the crash: ${JSON.stringify(done.status)}`);
      return runs.find(
        (r) => r.status?.phase === 'Running' && (r.status.metricResults?.[0]?.count ?? 0) >= 1,
      );
    },
    { timeoutMs: 60_000, intervalMs: 200, description: 'a running AnalysisRun with a measurement' },
  );
  expect(run.metadata.name).toMatch(/^analysed-/);
  return run.metadata.name;
}
