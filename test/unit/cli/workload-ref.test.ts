import { describe, expect, it } from 'vitest';
import { undoOps } from '../../../src/cli/patches.js';
import { renderHeader } from '../../../src/cli/view/header.js';
import { noPaint } from '../../../src/cli/view/paint.js';
import { rolloutInfo } from '../../../src/cli/view/rollout-info.js';
import {
  imageOps,
  templatePointer,
  workloadRefText,
  workloadTarget,
  workloadTemplate,
} from '../../../src/cli/workload-ref.js';
import { aReplicaSet, aRollout } from './fixtures.js';

const withRef = (ref: Record<string, string>) => aRollout({}, { template: undefined, workloadRef: ref });
const TEMPLATE = {
  spec: {
    containers: [
      { name: 'app', image: 'web:1' },
      { name: 'side', image: 'log:1' },
    ],
  },
};

describe('workloadRef in the plugin', () => {
  it('finds the workload a Rollout references, and rejects one the controller would reject', () => {
    expect(workloadTarget(aRollout())).toBeUndefined();
    const deployment = withRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(workloadTarget(deployment)).toEqual({ kind: 'Deployment', name: 'web' });
    expect(() => workloadTarget(withRef({ kind: 'StatefulSet', name: 'web' }))).toThrow(
      'invalid spec.workloadRef.kind',
    );
  });

  it('addresses the template at /spec/template, or /template of a PodTemplate', () => {
    expect(templatePointer('Deployment')).toBe('/spec/template');
    expect(templatePointer('PodTemplate')).toBe('/template');
    expect(workloadTemplate('PodTemplate', { template: TEMPLATE })).toBe(TEMPLATE);
    expect(workloadTemplate('ReplicaSet', { spec: { template: TEMPLATE } })).toBe(TEMPLATE);
  });

  it('set image patches the matching containers of the workload, conditional on its resourceVersion', () => {
    const ops = imageOps(TEMPLATE, '/spec/template', '7', { container: 'side', image: 'log:2' });
    expect(ops).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'log:2' },
    ]);
    const all = imageOps(TEMPLATE, '/template', undefined, { container: '*', image: 'x:1' });
    expect(all.map((op) => op.path)).toEqual([
      '/template/spec/containers/0/image',
      '/template/spec/containers/1/image',
    ]);
    expect(() => imageOps(TEMPLATE, '/spec/template', '7', { container: 'nope', image: 'x' })).toThrow(
      'unable to find container named "nope"',
    );
  });

  it('undo replaces the workload template (minus the hash label) at the given pointer', () => {
    const rs = aReplicaSet(1, 'h1', 'web:1', [1, 1]);
    const [op] = undoOps(rs, '/template');
    expect(op?.path).toBe('/template');
    const value = op?.value as { metadata?: { labels?: object } } | undefined;
    expect(value?.metadata?.labels).toEqual({ app: 'web' });
  });

  it('get rollout names the reference and its scaleDown mode', () => {
    expect(workloadRefText(aRollout())).toBeUndefined();
    const ref = withRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'onsuccess' });
    expect(workloadRefText(ref)).toBe('Deployment/web (scaleDown: onsuccess)');
    expect(workloadRefText(withRef({ kind: 'ReplicaSet', name: 'rs' }))).toBe(
      'ReplicaSet/rs (scaleDown: never)',
    );
    const snapshot = { rollout: ref, replicaSets: [], pods: [], analysisRuns: [], now: new Date() };
    const header = renderHeader(rolloutInfo(snapshot), noPaint);
    expect(header).toContain('WorkloadRef:     Deployment/web (scaleDown: onsuccess)');
  });
});
