import { describe, expect, it } from 'vitest';
import {
  analysisRunHealth,
  experimentHealth,
  type RolloutLike,
  rolloutHealth,
} from '../../support/argocd/health.js';

const canary = (status: RolloutLike['status'], spec: RolloutLike['spec'] = {}): RolloutLike => ({
  metadata: { generation: 3 },
  spec: { replicas: 4, strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } }, ...spec },
  status,
});

describe('Argo CD Rollout health (reference 6.1)', () => {
  it('is Progressing until a status exists and observes the current generation', () => {
    expect(rolloutHealth(canary(undefined)).status).toBe('Progressing');
    const stale = rolloutHealth(canary({ observedGeneration: '2', phase: 'Healthy' }));
    expect(stale).toEqual({
      status: 'Progressing',
      message: 'Waiting for rollout spec update to be observed',
    });
  });

  it('treats a non-numeric or newer observedGeneration as observed (v0.9 compatibility)', () => {
    expect(rolloutHealth(canary({ observedGeneration: 'abc123', phase: 'Healthy' })).status).toBe('Healthy');
    expect(rolloutHealth(canary({ observedGeneration: '4', phase: 'Healthy' })).status).toBe('Healthy');
  });

  it('surfaces status.phase with status.message, Paused as Suspended', () => {
    const paused = canary({ observedGeneration: '3', phase: 'Paused', message: 'CanaryPauseStep' });
    expect(rolloutHealth(paused)).toEqual({ status: 'Suspended', message: 'CanaryPauseStep' });
    const degraded = canary({ observedGeneration: 3, phase: 'Degraded', message: 'RolloutAborted: x' });
    expect(rolloutHealth(degraded)).toEqual({ status: 'Degraded', message: 'RolloutAborted: x' });
    expect(rolloutHealth(canary({ observedGeneration: '3', phase: 'Healthy' }))).toEqual({
      status: 'Healthy',
      message: '',
    });
  });

  it('requires the workload generation annotation to be observed with workloadRef', () => {
    const r: RolloutLike = {
      metadata: { generation: 1, annotations: { 'rollout.argoproj.io/workload-generation': '2' } },
      spec: { workloadRef: { kind: 'Deployment', name: 'x' } },
      status: { observedGeneration: '1', workloadObservedGeneration: '1', phase: 'Healthy' },
    };
    expect(rolloutHealth(r).status).toBe('Progressing');
    expect(rolloutHealth({ ...r, status: { ...r.status, workloadObservedGeneration: '2' } }).status).toBe(
      'Healthy',
    );
  });

  describe('legacy fallback without a phase', () => {
    const base = {
      observedGeneration: '3',
      currentPodHash: 'b',
      stableRS: 'b',
      replicas: 4,
      updatedReplicas: 4,
    };
    it('reads degraded conditions first', () => {
      const invalid = canary({ ...base, conditions: [{ type: 'InvalidSpec', message: 'bad' }] });
      expect(rolloutHealth(invalid)).toEqual({ status: 'Degraded', message: 'bad' });
      for (const reason of ['RolloutAborted', 'ProgressDeadlineExceeded']) {
        const r = canary({ ...base, conditions: [{ type: 'Progressing', status: 'False', reason }] });
        expect(rolloutHealth(r).status).toBe('Degraded');
      }
    });

    it('is Suspended for pause conditions or spec.paused', () => {
      expect(rolloutHealth(canary({ ...base, pauseConditions: [{}] })).status).toBe('Suspended');
      expect(rolloutHealth(canary(base, { paused: true })).status).toBe('Suspended');
    });

    it('waits for replicas, availability and the stable ReplicaSet', () => {
      expect(rolloutHealth(canary({ ...base, currentPodHash: undefined })).status).toBe('Progressing');
      expect(rolloutHealth(canary({ ...base, updatedReplicas: 2 })).status).toBe('Progressing');
      expect(rolloutHealth(canary({ ...base, availableReplicas: 2 })).status).toBe('Progressing');
      const ready = { ...base, availableReplicas: 4 };
      expect(rolloutHealth(canary({ ...ready, stableRS: 'a' })).status).toBe('Progressing');
      expect(rolloutHealth(canary({ ...ready, stableRS: undefined, canary: { stableRS: 'a' } })).status).toBe(
        'Progressing',
      );
      expect(rolloutHealth(canary({ ...ready, replicas: 6 })).status).toBe('Progressing');
      expect(rolloutHealth(canary(ready)).status).toBe('Healthy');
    });

    it('compares the blue-green active selector with the current hash', () => {
      const bg = (activeSelector: string): RolloutLike => ({
        metadata: { generation: 1 },
        spec: { replicas: 1, strategy: { blueGreen: {} } },
        status: {
          ...base,
          observedGeneration: '1',
          replicas: 1,
          updatedReplicas: 1,
          availableReplicas: 1,
          blueGreen: { activeSelector },
        },
      });
      expect(rolloutHealth(bg('a')).status).toBe('Progressing');
      expect(rolloutHealth(bg('b')).status).toBe('Healthy');
    });
  });
});

describe('Argo CD AnalysisRun health (reference 6.3)', () => {
  it.each([
    ['Pending', 'Progressing'],
    ['Running', 'Progressing'],
    ['Successful', 'Healthy'],
    ['Failed', 'Degraded'],
    ['Error', 'Degraded'],
    ['Inconclusive', 'Unknown'],
  ])('maps phase %s to %s', (phase, status) => {
    expect(analysisRunHealth({ status: { phase } }).status).toBe(status);
  });

  it('prefers status.message and waits for a status', () => {
    expect(analysisRunHealth({ status: { phase: 'Successful', message: 'run terminated' } })).toEqual({
      status: 'Healthy',
      message: 'run terminated',
    });
    expect(analysisRunHealth({ status: { phase: 'Running' } }).message).toBe('Analysis run is running');
    expect(analysisRunHealth({}).status).toBe('Progressing');
  });
});

describe('Argo CD Experiment health (reference 6.3, Experiment/health.lua fixtures)', () => {
  it.each([
    ['pendingExperiment', 'Pending', 'Progressing', 'Experiment is pending'],
    ['runningExperiment', 'Running', 'Progressing', 'Experiment is running'],
    ['successfulExperiment', 'Successful', 'Healthy', 'Experiment is successful'],
    ['failedExperiment', 'Failed', 'Degraded', 'Experiment has failed'],
    ['errorExperiment', 'Error', 'Degraded', 'Experiment had an error'],
  ])('%s: phase %s is %s', (_fixture, phase, status, message) => {
    expect(experimentHealth({ status: { phase } })).toEqual({ status, message });
  });

  it('waits for a status and shows deletion', () => {
    expect(experimentHealth({})).toEqual({
      status: 'Progressing',
      message: 'Waiting for experiment to finish: status has not been reconciled.',
    });
    expect(
      experimentHealth({
        metadata: { deletionTimestamp: 'x', finalizers: ['f'] },
        status: { phase: 'Running' },
      }),
    ).toEqual({
      status: 'Progressing',
      message: 'Pending deletion; blocked by finalizers: f',
    });
  });
});
