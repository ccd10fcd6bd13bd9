import { describe, expect, it } from 'vitest';
import { renderHeader } from '../../../src/cli/view/header.js';
import { renderPlainTable, rolloutRows, rowCells } from '../../../src/cli/view/list.js';
import { noPaint } from '../../../src/cli/view/paint.js';
import { actualWeight, currentSetWeight, rolloutInfo } from '../../../src/cli/view/rollout-info.js';
import { age } from '../../../src/cli/view/snapshot.js';
import { renderTree, rolloutTree } from '../../../src/cli/view/tree.js';
import { aPod, aReplicaSet, aRollout } from './fixtures.js';

const NOW = new Date('2026-01-01T00:05:00Z');
const PAUSED = [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }];
const status = {
  phase: 'Paused',
  message: 'CanaryPauseStep',
  currentStepIndex: 1,
  stableRS: 'h1',
  currentPodHash: 'h2',
  pauseConditions: PAUSED,
  replicas: 5,
  updatedReplicas: 1,
  readyReplicas: 5,
  availableReplicas: 5,
};
const snapshot = {
  rollout: aRollout(status),
  replicaSets: [aReplicaSet(1, 'h1', 'web:1', [4, 4]), aReplicaSet(2, 'h2', 'web:2', [1, 1])],
  pods: [aPod('h2', 'c', true), aPod('h1', 'a', true), aPod('h1', 'b', false)],
  analysisRuns: [],
  now: NOW,
};

describe('weights', () => {
  it.each([
    [{ currentStepIndex: 0 }, 25],
    [{ currentStepIndex: 1 }, 25],
    [{ currentStepIndex: 3 }, 50],
    [{ currentStepIndex: 4 }, 100],
    [{ currentStepIndex: 1, abort: true }, 0],
  ])('set weight of %j is %i', (s, expected) => {
    expect(currentSetWeight(aRollout(s))).toBe(expected);
  });

  it('actual weight: canary share of available pods, the router weight with traffic routing, 100 when promoted', () => {
    expect(actualWeight(snapshot.rollout, snapshot.replicaSets)).toBe(20);
    const routed = aRollout(
      { canary: { weights: { canary: { weight: 30 }, stable: { weight: 70 } } } },
      {
        strategy: { canary: { steps: [], trafficRouting: { nginx: { stableIngress: 'web' } } } },
      },
    );
    expect(actualWeight(routed, [])).toBe(30);
    expect(actualWeight(aRollout({ stableRS: 'h1', currentPodHash: 'h1' }), [])).toBe(100);
  });
});

describe('get rollout view', () => {
  it('builds the header model: step i/N, weights, images tagged stable then canary, replicas', () => {
    const info = rolloutInfo(snapshot);
    expect(info).toMatchObject({
      phase: 'Paused',
      message: 'CanaryPauseStep',
      step: '1/4',
      setWeight: 25,
      actualWeight: 20,
    });
    expect(info.images).toEqual([
      { image: 'web:1', tags: ['stable'] },
      { image: 'web:2', tags: ['canary'] },
    ]);
    expect(info.revisions.map((r) => r.revision)).toEqual([2, 1]);
  });

  it('reports Progressing until the spec generation is observed', () => {
    const stale = aRollout({ ...status, observedGeneration: '1' });
    expect(rolloutInfo({ ...snapshot, rollout: stale })).toMatchObject({
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed',
    });
  });

  it('renders the header and the tree as aligned plain text', () => {
    const info = rolloutInfo(snapshot);
    expect(renderHeader(info, noPaint).slice(0, 10)).toEqual([
      'Name:            web',
      'Namespace:       shop',
      'Status:          ॥ Paused',
      'Message:         CanaryPauseStep',
      'Strategy:        Canary',
      '  Step:          1/4',
      '  SetWeight:     25',
      '  ActualWeight:  20',
      'Images:          web:1 (stable)',
      '                 web:2 (canary)',
    ]);
    expect(renderTree(rolloutTree(info), noPaint)).toEqual([
      'NAME                 KIND        STATUS      AGE  INFO',
      '⟳ web                Rollout     ॥ Paused    5m',
      '├──# revision:2',
      '│  └──⧉ web-h2       ReplicaSet  ✔ Healthy   5m   canary',
      '│     └──□ web-h2-c  Pod         ✔ Running   4m   ready:1/1',
      '└──# revision:1',
      '   └──⧉ web-h1       ReplicaSet  ✔ Healthy   5m   stable',
      '      ├──□ web-h1-a  Pod         ✔ Running   4m   ready:1/1',
      '      └──□ web-h1-b  Pod         ◌ NotReady  4m   ready:0/1',
    ]);
  });

  it('shows AnalysisRuns under their revision with the latest measured value', () => {
    const run = {
      apiVersion: 'argoproj.io/v1alpha1' as const,
      kind: 'AnalysisRun' as const,
      metadata: {
        name: 'web-h2-1',
        labels: { 'rollouts-pod-template-hash': 'h2' },
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'u1' }],
      },
      spec: { metrics: [] },
      status: {
        phase: 'Running',
        metricResults: [
          {
            name: 'errors',
            phase: 'Running',
            successful: 2,
            failed: 1,
            measurements: [
              { phase: 'Successful', value: '0.01' },
              { phase: 'Failed', value: '0.2' },
            ],
          },
        ],
      },
    };
    const lines = renderTree(rolloutTree(rolloutInfo({ ...snapshot, analysisRuns: [run] })), noPaint);
    expect(lines[5]).toMatch(/^│ {2}└──α web-h2-1\s+AnalysisRun\s+◌ Running\s+<unknown>\s+✔ 2,✖ 1$/);
    expect(lines[6]).toMatch(/^│ {5}└──· errors\s+Metric\s+◌ Running\s+latest:0\.2$/);
  });
});

describe('list rollouts', () => {
  it('builds Argo columns and a plain kubectl-style table, with NAMESPACE under -A', () => {
    const rows = rolloutRows([snapshot.rollout, aRollout({ phase: 'Healthy', currentStepIndex: 4 }, {}, [])]);
    const { head, body } = rowCells(rows, true);
    expect(renderPlainTable(head, body)).toEqual([
      'NAMESPACE   NAME   STRATEGY   STATUS    STEP   SET-WEIGHT   READY   DESIRED   UP-TO-DATE   AVAILABLE',
      'shop        web    Canary     Paused    1/4    25           5/5     4         1            5',
      'shop        web    Canary     Healthy   -      100          0/0     4         0            0',
    ]);
  });
});

describe('age', () => {
  it.each([
    [90, '90s'],
    [150, '2m'],
    [7200, '2h'],
    [200_000, '2d'],
  ])('%i s → %s', (seconds, expected) => {
    expect(age('2026-01-01T00:00:00Z', new Date(Date.parse('2026-01-01T00:00:00Z') + seconds * 1000))).toBe(
      expected,
    );
  });
});
