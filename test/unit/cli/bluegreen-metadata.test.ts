import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/api/index.js';
import { formatProblem, lintText } from '../../../src/cli/lint/lint.js';
import { injectedMetadata } from '../../../src/cli/view/bluegreen-info.js';
import { renderHeader } from '../../../src/cli/view/header.js';
import { noPaint } from '../../../src/cli/view/paint.js';
import { rolloutInfo } from '../../../src/cli/view/rollout-info.js';
import { renderTree, rolloutTree } from '../../../src/cli/view/tree.js';
import { aReplicaSet, aRollout, BLUE_GREEN_PAUSED, blueGreenManifest } from './fixtures.js';

const NOW = new Date('2026-01-01T00:05:00Z');
const BLUE_GREEN = {
  strategy: {
    blueGreen: {
      activeService: 'web-active',
      previewService: 'web-preview',
      previewMetadata: { labels: { role: 'preview' } },
      activeMetadata: { labels: { role: 'active' } },
    },
  },
};

function withRecord(rs: ReplicaSet, record: string): ReplicaSet {
  const annotations = { ...rs.metadata?.annotations, 'rollout.argoproj.io/ephemeral-metadata': record };
  return { ...rs, metadata: { ...rs.metadata, annotations } };
}

const snapshot = (status: Rollout['status']) => ({
  rollout: aRollout(status, BLUE_GREEN as Partial<Rollout['spec']>),
  replicaSets: [
    withRecord(aReplicaSet(1, 'h1', 'web:1', [2, 2]), '{"labels":{"role":"active"}}'),
    withRecord(
      aReplicaSet(2, 'h2', 'web:2', [1, 1]),
      '{"annotations":{"example.com/track":"preview"},"labels":{"role":"preview"}}',
    ),
  ],
  pods: [],
  analysisRuns: [],
  now: NOW,
});

describe('get rollout: blue-green Services and injected metadata', () => {
  it('prints the active and preview Services with the hashes they select', () => {
    const header = renderHeader(rolloutInfo(snapshot(BLUE_GREEN_PAUSED)), noPaint);
    expect(header).toContain('  Active:        web-active → h1');
    expect(header).toContain('  Preview:       web-preview → h2');
  });

  it('shows - for a selector not recorded yet, and nothing for canary Rollouts', () => {
    const info = rolloutInfo(snapshot({ ...BLUE_GREEN_PAUSED, blueGreen: {} }));
    expect(renderHeader(info, noPaint)).toContain('  Preview:       web-preview → -');
    const canary = rolloutInfo({ ...snapshot(BLUE_GREEN_PAUSED), rollout: aRollout(BLUE_GREEN_PAUSED) });
    expect(renderHeader(canary, noPaint).some((l) => /Active:|Preview:/.test(l))).toBe(false);
  });

  it('lists each ReplicaSet’s injected metadata in the model and the tree', () => {
    const info = rolloutInfo(snapshot(BLUE_GREEN_PAUSED));
    expect(info).toMatchObject({ activeService: 'web-active', previewService: 'web-preview' });
    const sets = info.revisions.map((r) => r.replicaSets[0]);
    expect(sets.map((s) => s?.metadata)).toEqual([
      ['role=preview', 'example.com/track=preview'],
      ['role=active'],
    ]);
    const lines = renderTree(rolloutTree(info), noPaint).join('\n');
    expect(lines).toMatch(/web-h2\s+ReplicaSet\s+✔ Healthy\s+\S+\s+preview role=preview,?/);
    expect(lines).toMatch(/web-h1\s+ReplicaSet\s+✔ Healthy\s+\S+\s+stable,active role=active/);
  });

  it('reads no metadata from a missing or malformed record', () => {
    expect(injectedMetadata(aReplicaSet(1, 'h1', 'web:1', [1, 1]))).toEqual([]);
    expect(injectedMetadata(withRecord(aReplicaSet(1, 'h1', 'web:1', [1, 1]), '{oops'))).toEqual([]);
  });
});

const MANIFEST = blueGreenManifest(`      activeService: web-active
      previewService: web-preview
      previewReplicaCount: 0
      previewMetadata:
        labels:
          role: preview
          app: other
      activeMetadata:
        labels:
          rollouts-pod-template-hash: abc
`);

describe('lint on blue-green metadata', () => {
  it('accepts previewMetadata/activeMetadata (no longer unsupported)', () => {
    const valid = MANIFEST.replace('      previewReplicaCount: 0\n', '')
      .replace('          app: other\n', '')
      .replace('rollouts-pod-template-hash: abc', 'role: active');
    expect(lintText('bg.yaml', valid).problems).toEqual([]);
  });

  it('reports blue-green errors with file, line and field path', () => {
    const { problems, checked } = lintText('bg.yaml', MANIFEST);
    expect(checked).toBe(1);
    expect(problems.map(formatProblem)).toEqual([
      'bg.yaml:20: spec.strategy.blueGreen.previewReplicaCount: must be at least 1, got 0',
      'bg.yaml:24: spec.strategy.blueGreen.previewMetadata.labels.app: must not change the selector label app=web',
      'bg.yaml:27: spec.strategy.blueGreen.activeMetadata.labels["rollouts-pod-template-hash"]: must not set rollouts-pod-template-hash: the controller owns it',
    ]);
  });
});
