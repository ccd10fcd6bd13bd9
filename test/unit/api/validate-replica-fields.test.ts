import { describe, expect, it } from 'vitest';
import { checkRollout } from '../../../src/api/index.js';
import { validateBlueGreen } from '../../../src/api/validate-blue-green.js';
import { aRollout, edited, type Json } from './fixtures.js';

const canary = (r: Json): Json => r.spec.strategy.canary;
const issuesOf = (edit: (r: Json) => void): string[] =>
  checkRollout(edited(aRollout(), edit)).issues.map((i) => `${i.path}: ${i.message}`);

describe('validateRollout: canary replica fields', () => {
  it.each<[string, (r: Json) => void]>([
    ['dynamicStableScale with trafficRouting', (r) => Object.assign(canary(r), { dynamicStableScale: true })],
    ['scaleDownDelayRevisionLimit 0', (r) => Object.assign(canary(r), { scaleDownDelayRevisionLimit: 0 })],
    [
      'replicaProgressThreshold Pods',
      (r) => Object.assign(canary(r), { replicaProgressThreshold: { type: 'Pods', value: 1 } }),
    ],
    [
      'antiAffinity preferred',
      (r) =>
        Object.assign(canary(r), {
          antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 1 } },
        }),
    ],
    ['minPodsPerReplicaSet', (r) => Object.assign(canary(r), { minPodsPerReplicaSet: 2 })],
  ])('accepts %s', (_name, edit) => {
    expect(issuesOf(edit)).toEqual([]);
  });

  it.each<[string, (r: Json) => void, string]>([
    [
      'dynamicStableScale without trafficRouting',
      (r) => {
        delete canary(r).trafficRouting;
        canary(r).steps = [{ setWeight: 50 }];
        canary(r).dynamicStableScale = true;
      },
      'spec.strategy.canary.dynamicStableScale: dynamicStableScale can only be used with trafficRouting',
    ],
    [
      'dynamicStableScale with scaleDownDelaySeconds',
      (r) => Object.assign(canary(r), { dynamicStableScale: true, scaleDownDelaySeconds: 10 }),
      'spec.strategy.canary.dynamicStableScale: dynamicStableScale cannot be used with scaleDownDelaySeconds',
    ],
    [
      'scaleDownDelayRevisionLimit above revisionHistoryLimit',
      (r) => {
        r.spec.revisionHistoryLimit = 1;
        canary(r).scaleDownDelayRevisionLimit = 2;
      },
      'spec.strategy.canary.scaleDownDelayRevisionLimit: must not exceed revisionHistoryLimit (1)',
    ],
    [
      'negative scaleDownDelayRevisionLimit',
      (r) => Object.assign(canary(r), { scaleDownDelayRevisionLimit: -1 }),
      'spec.strategy.canary.scaleDownDelayRevisionLimit: must not be negative, got -1',
    ],
    [
      'antiAffinity without a member',
      (r) => Object.assign(canary(r), { antiAffinity: {} }),
      'spec.strategy.canary.antiAffinity: set exactly one of preferredDuringSchedulingIgnoredDuringExecution or requiredDuringSchedulingIgnoredDuringExecution',
    ],
    [
      'antiAffinity weight 0',
      (r) =>
        Object.assign(canary(r), {
          antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 0 } },
        }),
      'spec.strategy.canary.antiAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight: must be between 1 and 100, got 0',
    ],
    [
      'replicaProgressThreshold above 100%',
      (r) => Object.assign(canary(r), { replicaProgressThreshold: { type: 'Percent', value: 101 } }),
      'spec.strategy.canary.replicaProgressThreshold.value: must be between 0 and 100, got 101',
    ],
  ])('rejects %s with its field path', (_name, edit, issue) => {
    expect(issuesOf(edit)).toEqual([issue]);
  });
});

describe('validateBlueGreen: replica fields', () => {
  const path = ['spec', 'strategy', 'blueGreen'];

  it('accepts antiAffinity and a limit within the history', () => {
    const bg = {
      activeService: 'a',
      antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} },
      scaleDownDelayRevisionLimit: 2,
    };
    expect(validateBlueGreen(bg, path, 2)).toEqual([]);
  });

  it('names the field of each mistake', () => {
    const bg = {
      activeService: 'a',
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 200 } },
      scaleDownDelayRevisionLimit: 3,
    };
    expect(validateBlueGreen(bg, path, 2).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'spec.strategy.blueGreen.scaleDownDelayRevisionLimit: must not exceed revisionHistoryLimit (2)',
      'spec.strategy.blueGreen.antiAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight: must be between 1 and 100, got 200',
    ]);
  });
});
