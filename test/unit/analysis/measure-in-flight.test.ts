import { describe, expect, it } from 'vitest';
import { assessRun } from '../../../src/analysis/core/index.js';
import type { InFlightContext, InFlightProvider } from '../../../src/analysis/providers/in-flight.js';
import { createProviderRegistry } from '../../../src/analysis/providers/registry.js';
import { TERMINATED_MESSAGE, takeDueMeasurements } from '../../../src/analysis/reconcile/measure.js';
import type { AnalysisRun, Measurement, Metric } from '../../../src/api/index.js';
import { FakeClock } from '../../../src/util/clock.js';
import { at, ts } from './core/fixtures.js';

/** An in-flight provider whose Jobs finish with the next verdict in `outcomes`; it logs every call. */
function fakeJobs(outcomes: string[], done: () => boolean = () => false) {
  const calls: string[] = [];
  const provider: InFlightProvider = {
    finished: () => done(),
    type: 'job',
    measure: async () => ({ ok: false, error: 'unused' }),
    start: async (_m: Metric, c: InFlightContext) => {
      calls.push(`start ${c.run.uid} #${c.measurementNumber}`);
      const startedAt = c.now.toISOString();
      return {
        phase: 'Running',
        startedAt,
        resumeAt: startedAt,
        metadata: { 'job-name': `j${c.measurementNumber}` },
      };
    },
    resume: async (_m: Metric, m: Measurement, c: InFlightContext) => {
      calls.push(`resume ${m.metadata?.['job-name']}`);
      const phase = outcomes.shift() ?? 'Running';
      if (phase === 'Running') return { ...m, resumeAt: new Date(c.now.getTime() + 60_000).toISOString() };
      const { resumeAt: _r, ...rest } = m;
      return { ...rest, phase, finishedAt: c.now.toISOString() };
    },
    terminate: async (_m: Metric, m: Measurement, c: InFlightContext) => {
      calls.push(`terminate ${m.metadata?.['job-name']}`);
      const { resumeAt: _r, ...rest } = m;
      return { ...rest, phase: 'Inconclusive', finishedAt: c.now.toISOString() };
    },
    collect: async (_m: Metric, keep: number) => {
      calls.push(`collect keep ${keep}`);
    },
  };
  return { calls, registry: createProviderRegistry({ providers: [provider] }) };
}

const metric: Metric = {
  name: 'job',
  interval: '1s',
  count: 2,
  provider: { job: { spec: { template: {} } } },
};

function aRun(extra: Partial<AnalysisRun['spec']> = {}): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'r', namespace: 'ns', uid: 'u' },
    spec: { metrics: [metric], ...extra },
    status: { phase: 'Running', startedAt: ts(0) },
  };
}

async function pass(registry: ReturnType<typeof fakeJobs>['registry'], run: AnalysisRun, seconds: number) {
  const deps = { registry, clock: new FakeClock(at(seconds)), signal: new AbortController().signal };
  const measured = await takeDueMeasurements(deps, run, [], at(seconds));
  const verdict = assessRun(measured, at(seconds));
  return {
    ...measured,
    status: { ...measured.status, phase: verdict.phase, metricResults: verdict.metricResults },
  };
}

describe('measurements in flight (job provider contract)', () => {
  it('starts, resumes until the Job finishes, and counts one measurement per Job', async () => {
    const { calls, registry } = fakeJobs(['Running', 'Successful', 'Failed']);
    let run = await pass(registry, aRun(), 0);
    expect(run.status?.metricResults?.[0]).toMatchObject({ phase: 'Running', count: 0 });
    run = await pass(registry, run, 0);
    run = await pass(registry, run, 30);
    expect(run.status?.metricResults?.[0]).toMatchObject({ count: 0 });
    run = await pass(registry, run, 60);
    expect(run.status?.metricResults?.[0]).toMatchObject({ count: 1, successful: 1 });
    run = await pass(registry, run, 61);
    run = await pass(registry, run, 61);
    expect(run.status?.metricResults?.[0]).toMatchObject({ count: 2, successful: 1, failed: 1 });
    expect(run.status?.phase).toBe('Failed');
    expect(calls).toEqual(['start u #1', 'resume j1', 'resume j1', 'start u #2', 'resume j2']);
  });

  it("terminates the measurement in flight when the run terminates, with Argo's message", async () => {
    const { calls, registry } = fakeJobs([]);
    let run = await pass(registry, aRun(), 0);
    run = await pass(registry, { ...run, spec: { ...run.spec, terminate: true } }, 1);
    const last = run.status?.metricResults?.[0]?.measurements?.at(-1);
    expect(last).toMatchObject({ phase: 'Inconclusive', message: TERMINATED_MESSAGE, finishedAt: ts(1) });
    expect(calls).toEqual(['start u #1', 'terminate j1']);
  });

  it('asks the provider to collect old Jobs once more were taken than are kept', async () => {
    const { calls, registry } = fakeJobs(['Successful', 'Successful']);
    const spec = { measurementRetention: [{ metricName: 'job', limit: 1 }] };
    const unbounded = { ...metric, count: 3 };
    let run = await pass(registry, { ...aRun(spec), spec: { ...aRun(spec).spec, metrics: [unbounded] } }, 0);
    run = await pass(registry, run, 0);
    run = await pass(registry, run, 1);
    expect(calls).toEqual(['start u #1', 'resume j1', 'start u #2', 'collect keep 1']);
    expect(run.status?.metricResults?.[0]?.measurements).toHaveLength(1);
  });

  it('resumes a measurement before its resumeAt once the provider sees it finished', async () => {
    let finished = false;
    const { calls, registry } = fakeJobs(['Running', 'Successful'], () => finished);
    let run = await pass(registry, aRun(), 0);
    run = await pass(registry, run, 0);
    run = await pass(registry, run, 5);
    expect(calls).toEqual(['start u #1', 'resume j1']);
    finished = true;
    run = await pass(registry, run, 6);
    expect(calls).toEqual(['start u #1', 'resume j1', 'resume j1']);
    expect(run.status?.metricResults?.[0]).toMatchObject({ count: 1, successful: 1 });
  });
});
