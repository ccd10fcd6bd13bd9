import { describe, expect, it } from 'vitest';
import { buildAnalysisRun, fieldPathValue } from '../../../src/analysis/core/run-builder.js';
import type { AnalysisTemplateSpec, Rollout } from '../../../src/api/index.js';

const rollout = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web', 'team.io/owner': 'pay' } },
  spec: { replicas: 4 },
} as unknown as Pick<Rollout, 'metadata' | 'spec'>;

const errorRate: AnalysisTemplateSpec = {
  args: [{ name: 'canary-hash' }, { name: 'service', value: 'web' }],
  metrics: [
    { name: 'error-rate', successCondition: 'result[0] < 0.05', provider: { prometheus: { query: 'q' } } },
  ],
} as AnalysisTemplateSpec;

const latency: AnalysisTemplateSpec = {
  metrics: [{ name: 'p99', successCondition: 'result[0] < 0.5', provider: { prometheus: { query: 'q2' } } }],
} as AnalysisTemplateSpec;

describe('fieldPathValue', () => {
  it.each([
    ['metadata.name', 'web'],
    ["metadata.labels['app']", 'web'],
    ['metadata.labels["team.io/owner"]', 'pay'],
    ['spec.replicas', '4'],
    ['metadata.missing', undefined],
    ['metadata.labels', undefined],
    ['constructor', undefined],
    ['not a path', undefined],
  ])('%s → %s', (path, expected) => {
    expect(fieldPathValue(rollout, path)).toBe(expected);
  });
});

describe('buildAnalysisRun', () => {
  const base = {
    rollout,
    name: 'web-abc-2-1',
    labels: { 'rollouts-pod-template-hash': 'abc' },
    templates: [errorRate, latency],
    stableHash: 'old',
    latestHash: 'abc',
  };

  it('merges templates, resolves Rollout arguments and sets the Rollout as controlling owner', () => {
    const built = buildAnalysisRun({
      ...base,
      analysis: {
        args: [
          { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
          { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
          { name: 'owner', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team.io/owner']" } } },
        ],
        analysisRunMetadata: { annotations: { note: 'x' } },
      },
    });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.value.spec.metrics.map((m) => m.name)).toEqual(['error-rate', 'p99']);
    expect(built.value.spec.args).toEqual(
      expect.arrayContaining([
        { name: 'canary-hash', value: 'abc' },
        { name: 'service', value: 'web' },
      ]),
    );
    expect(built.value.metadata.ownerReferences[0]).toMatchObject({
      kind: 'Rollout',
      name: 'web',
      uid: 'u-1',
      controller: true,
    });
    expect(built.value.metadata.annotations).toEqual({ note: 'x' });
    expect(built.value.metadata.namespace).toBe('shop');
  });

  it('reports an argument it cannot resolve, naming it', () => {
    const built = buildAnalysisRun({
      ...base,
      stableHash: undefined,
      analysis: { args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Stable' } }] },
    });
    expect(built).toEqual({
      ok: false,
      error: 'argument "canary-hash": the Rollout has no stable ReplicaSet yet',
    });
  });

  it('reports two templates defining the same metric', () => {
    const built = buildAnalysisRun({ ...base, templates: [latency, latency], analysis: {} });
    expect(built.ok).toBe(false);
  });
});
