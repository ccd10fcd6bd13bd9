import { describe, expect, it } from 'vitest';
import { checkExperiment } from '../../../src/api/index.js';
import { experimentForStep } from '../../../src/experiment/core/step.js';

const podTemplate = (image: string, hash: string) => ({
  metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': hash } },
  spec: { containers: [{ name: 'web', image }] },
});
const selector = (hash: string) => ({ matchLabels: { app: 'web', 'rollouts-pod-template-hash': hash } });

describe('the Experiment of an experiment step (interface for the canary step)', () => {
  it("builds Argo's Experiment from the stable and canary ReplicaSets", () => {
    const experiment = experimentForStep({
      rollout: {
        metadata: { name: 'web', namespace: 'shop', uid: 'ro-uid', labels: { team: 'a' } },
        spec: { progressDeadlineSeconds: 120 } as never,
      },
      step: {
        duration: '5m',
        scaleDownDelaySeconds: 10,
        templates: [
          { name: 'baseline', specRef: 'stable', replicas: 1, metadata: { labels: { role: 'baseline' } } },
          { name: 'canary', specRef: 'canary', weight: 5 },
        ],
        analyses: [{ name: 'compare', templateName: 'mann-whitney', requiredForCompletion: true }],
      },
      stepIndex: 2,
      podTemplateHash: 'h2',
      revision: '3',
      stable: { template: podTemplate('web:1', 'h1'), selector: selector('h1') },
      canary: { template: podTemplate('web:2', 'h2'), selector: selector('h2'), minReadySeconds: 5 },
      analysisArgs: { compare: [{ name: 'baseline-hash', value: 'h1' }] },
    });
    expect(experiment.metadata).toMatchObject({
      name: 'web-h2-3-2',
      namespace: 'shop',
      labels: { team: 'a', 'rollouts-pod-template-hash': 'h2' },
      annotations: { 'rollout.argoproj.io/revision': '3' },
      ownerReferences: [{ kind: 'Rollout', name: 'web', uid: 'ro-uid', controller: true }],
    });
    expect(experiment.spec).toMatchObject({
      duration: '5m',
      progressDeadlineSeconds: 120,
      scaleDownDelaySeconds: 10,
      analyses: [
        {
          name: 'compare',
          templateName: 'mann-whitney',
          requiredForCompletion: true,
          args: [{ name: 'baseline-hash', value: 'h1' }],
        },
      ],
    });
    const [baseline, canary] = experiment.spec.templates;
    expect(baseline?.template.metadata?.labels).toEqual({
      app: 'web',
      'rollouts-pod-template-hash': 'h1',
      role: 'baseline',
    });
    expect(baseline?.selector.matchLabels).toEqual({
      app: 'web',
      'rollouts-pod-template-hash': 'h1',
      role: 'baseline',
    });
    expect(baseline?.service).toBeUndefined();
    expect(canary).toMatchObject({ minReadySeconds: 5, service: {} });
    expect(checkExperiment(experiment).issues).toEqual([]);
  });
});
