import { describe, expect, it } from 'vitest';
import type { CanaryStep } from '../../../src/api/index.js';
import {
  experimentStepAt,
  experimentsToDelete,
  experimentWeightsOf,
  freeExperimentName,
  stepExperiment,
} from '../../../src/rollout/core/experiments.js';
import type { ExperimentView, ReplicaSetView } from '../../../src/rollout/core/snapshot.js';

const ex = (name: string, extra: Partial<ExperimentView> = {}): ExperimentView => ({
  name,
  labels: { 'rollouts-pod-template-hash': 'h1' },
  templateStatuses: [],
  ...extra,
});
const rs = (hash: string): ReplicaSetView => ({
  name: `demo-${hash}`,
  podTemplateHash: hash,
  specReplicas: 1,
  replicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
  annotations: {},
});
const experiment = {
  templates: [
    { name: 'a', specRef: 'canary', weight: 10 },
    { name: 'b', specRef: 'stable' },
  ],
};

describe('experimentStepAt (Argo GetCurrentExperimentStep)', () => {
  const steps: CanaryStep[] = [{ setWeight: 10 }, { experiment }, { setWeight: 20 }];
  it('is the latest experiment step at or before the index, while a step is current', () => {
    expect(experimentStepAt(steps, 0)).toBeUndefined();
    expect(experimentStepAt(steps, 1)).toBe(steps[1]?.experiment);
    expect(experimentStepAt(steps, 2)).toBe(steps[1]?.experiment);
    expect(experimentStepAt(steps, 3)).toBeUndefined();
    expect(experimentStepAt(steps, undefined)).toBeUndefined();
  });
});

describe('experimentWeightsOf', () => {
  const statuses = [
    { name: 'a', serviceName: 'x-a', podTemplateHash: 'ha' },
    { name: 'b', serviceName: 'x-b' },
  ];
  it('routes only templates with a weight and a Service, while Running', () => {
    expect(
      experimentWeightsOf(experiment, ex('x', { phase: 'Running', templateStatuses: statuses })),
    ).toEqual([{ serviceName: 'x-a', podTemplateHash: 'ha', weight: 10 }]);
  });
  it('routes nothing before Running, after completion, or without a step', () => {
    for (const phase of ['Pending', 'Successful', 'Failed', undefined]) {
      expect(experimentWeightsOf(experiment, ex('x', { phase, templateStatuses: statuses }))).toEqual([]);
    }
    expect(experimentWeightsOf(undefined, ex('x', { phase: 'Running', templateStatuses: statuses }))).toEqual(
      [],
    );
  });
});

describe('stepExperiment and freeExperimentName (Argo collision names)', () => {
  it('takes the recorded one of the step, else the newest running one of the step', () => {
    const all = [
      ex('r-h-1-1', { phase: 'Failed' }),
      ex('r-h-1-1-1', { phase: 'Running', createdAt: '2026-01-01T00:00:00Z' }),
      ex('r-h-1-10', { phase: 'Running' }),
    ];
    expect(stepExperiment(all, 'r-h-1-1', 'r-h-1-1')?.name).toBe('r-h-1-1');
    expect(stepExperiment(all, 'r-h-1-1', undefined)?.name).toBe('r-h-1-1-1');
    expect(stepExperiment(all, 'r-h-1-2', undefined)).toBeUndefined();
  });
  it('picks the first free of base, base-1, base-2', () => {
    expect(freeExperimentName([], 'r')).toBe('r');
    expect(freeExperimentName([ex('r'), ex('r-1')], 'r')).toBe('r-2');
  });
});

describe('experimentsToDelete (Argo FilterExperimentsToDelete)', () => {
  it('deletes those whose ReplicaSet is gone, and completed ones beyond the limits, newest kept', () => {
    const others = [
      ex('old-ok', { phase: 'Successful', createdAt: '2026-01-01T00:00:00Z' }),
      ex('new-ok', { phase: 'Successful', createdAt: '2026-01-02T00:00:00Z' }),
      ex('failed', { phase: 'Failed', createdAt: '2026-01-01T00:00:00Z' }),
      ex('running', { phase: 'Running' }),
      ex('orphan', { phase: 'Running', labels: { 'rollouts-pod-template-hash': 'gone' } }),
      ex('unlabelled', { labels: {} }),
    ];
    const names = experimentsToDelete(others, [rs('h1')], { successful: 1, unsuccessful: 1 }).map(
      (e) => e.name,
    );
    expect(names.sort()).toEqual(['old-ok', 'orphan', 'unlabelled']);
  });
});
