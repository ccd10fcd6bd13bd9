import { describe, expect, it } from 'vitest';
import type { AnalysisRun, Experiment } from '../../../src/api/index.js';
import { experimentInfo } from '../../../src/cli/view/experiment-info.js';
import { renderExperimentHeader } from '../../../src/cli/view/header.js';
import { noPaint } from '../../../src/cli/view/paint.js';
import { experimentTree, renderTree } from '../../../src/cli/view/tree.js';

const NOW = new Date('2026-01-01T00:01:00Z');
const CREATED = '2026-01-01T00:00:00Z';
const owner = (kind: string, name: string, uid: string) => [
  { apiVersion: 'v1', kind, name, uid, controller: true },
];

const experiment: Experiment = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Experiment',
  metadata: { name: 'exp', namespace: 'ns', uid: 'e1', creationTimestamp: CREATED },
  spec: { templates: [] },
  status: { phase: 'Running', message: 'waiting' },
};

function replicaSet(template: string, replicas: number, image: string) {
  return {
    metadata: {
      name: `exp-${template}`,
      uid: `rs-${template}`,
      creationTimestamp: CREATED,
      labels: { 'rollouts-pod-template-hash': `h-${template}` },
      annotations: { 'experiment.argoproj.io/template-name': template },
      ownerReferences: owner('Experiment', 'exp', 'e1'),
    },
    spec: { replicas, template: { spec: { containers: [{ name: 'c', image }] } } },
    status: { availableReplicas: replicas, readyReplicas: replicas },
  };
}

const run: AnalysisRun = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: {
    name: 'exp-check',
    creationTimestamp: CREATED,
    ownerReferences: owner('Experiment', 'exp', 'e1'),
  },
  spec: { metrics: [] },
  status: { phase: 'Running', metricResults: [{ name: 'm', phase: 'Running', successful: 1 }] },
};

describe('get experiment view', () => {
  it('shows the header and the Experiment tree as Argo does', () => {
    const snap = {
      experiment,
      replicaSets: [
        replicaSet('canary', 1, 'img:2'),
        replicaSet('baseline', 1, 'img:1'),
        { metadata: { name: 'other' } },
      ],
      pods: [
        {
          metadata: {
            name: 'exp-canary-p',
            creationTimestamp: CREATED,
            ownerReferences: owner('ReplicaSet', 'exp-canary', 'rs-canary'),
          },
          spec: { containers: [{ name: 'c' }] },
          status: {
            phase: 'Running',
            containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'img:2', imageID: '' }],
          },
        },
      ],
      analysisRuns: [run],
      now: NOW,
    };
    const info = experimentInfo(snap as never);
    expect(renderExperimentHeader(info, noPaint)).toEqual([
      'Name:            exp',
      'Namespace:       ns',
      'Status:          ◌ Running',
      'Message:         waiting',
      'Images:          img:1 (Σ:baseline)',
      '                 img:2 (Σ:canary)',
    ]);
    expect(renderTree(experimentTree(info), noPaint)).toEqual([
      'NAME                  KIND         STATUS     AGE  INFO',
      'Σ exp                 Experiment   ◌ Running  60s',
      '├──⧉ exp-baseline     ReplicaSet   ✔ Healthy  60s  Σ:baseline',
      '├──⧉ exp-canary       ReplicaSet   ✔ Healthy  60s  Σ:canary',
      '│  └──□ exp-canary-p  Pod          ✔ Running  60s  ready:1/1',
      '└──α exp-check        AnalysisRun  ◌ Running  60s  ✔ 1',
      '   └──· m             Metric       ◌ Running',
    ]);
  });
});
