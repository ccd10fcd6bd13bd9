import { describe, expect, it } from 'vitest';
import { POD_TEMPLATE_HASH_LABEL } from '../../../src/api/index.js';
import { desiredTrafficOf, totalWeight } from '../../../src/traffic/desired-traffic.js';
import { editDestinationRule } from '../../../src/traffic/istio/destination-rule.js';
import type { DestinationRule, VirtualService } from '../../../src/traffic/istio/types.js';
import { editVirtualService } from '../../../src/traffic/istio/virtual-service.js';
import { frozenCopy } from './helpers.js';
import { dest, hostSpec, primary, vsWith } from './vs-fixtures.js';

const experiments = [
  { serviceName: 'ex-baseline', podTemplateHash: 'b1', weight: 5 },
  { serviceName: 'ex-canary', podTemplateHash: 'c1', weight: 10 },
];

const hostsAndWeights = (vs: VirtualService) =>
  (vs.spec?.http?.[0]?.route ?? []).map((d) => [d.destination?.host, d.weight]);

describe('desiredTrafficOf with experiment weights', () => {
  it('takes the experiment weights from the stable share; the total stays the max', () => {
    const desired = desiredTrafficOf({ canaryWeight: 20, experimentWeights: experiments });
    expect(desired.stableWeight).toBe(65);
    expect(totalWeight(desired)).toBe(100);
  });

  it('refuses weights beyond the non-canary share, repeated Services and non-integers', () => {
    expect(() => desiredTrafficOf({ canaryWeight: 90, experimentWeights: experiments })).toThrow(RangeError);
    const twice = [experiments[0], experiments[0]].map((w) => ({ ...w, serviceName: 'x', weight: 1 }));
    expect(() => desiredTrafficOf({ canaryWeight: 0, experimentWeights: twice })).toThrow(RangeError);
    const half = [{ serviceName: 'x', weight: 0.5 }];
    expect(() => desiredTrafficOf({ canaryWeight: 0, experimentWeights: half })).toThrow(RangeError);
  });

  it('does not retire a Service that is routed again', () => {
    const desired = desiredTrafficOf({
      canaryWeight: 0,
      experimentWeights: experiments,
      retiredExperimentServices: ['ex-canary', 'old'],
    });
    expect(desired.retiredExperimentServices).toEqual(['old']);
  });
});

describe('Istio VirtualService with experiment weights', () => {
  it('appends a destination per Experiment Service, weighted, and sums to 100', () => {
    const desired = desiredTrafficOf({ canaryWeight: 20, experimentWeights: experiments });
    const { object, issues } = editVirtualService(vsWith([primary()]), hostSpec, desired);
    expect(issues).toEqual([]);
    expect(hostsAndWeights(object)).toEqual([
      ['stable', 65],
      ['canary', 20],
      ['ex-baseline', 5],
      ['ex-canary', 10],
    ]);
  });

  it('re-weights existing Experiment destinations in place (idempotent) and removes retired ones', () => {
    const desired = desiredTrafficOf({ canaryWeight: 20, experimentWeights: experiments });
    const once = editVirtualService(vsWith([primary()]), hostSpec, desired).object;
    expect(editVirtualService(once, hostSpec, desired).object).toEqual(once);
    const after = desiredTrafficOf({
      canaryWeight: 60,
      retiredExperimentServices: ['ex-baseline', 'ex-canary'],
    });
    expect(hostsAndWeights(editVirtualService(once, hostSpec, after).object)).toEqual([
      ['stable', 40],
      ['canary', 60],
    ]);
  });

  it('keeps refusing a foreign destination with weight', () => {
    const vs = vsWith([
      { name: 'primary', route: [dest('stable', 90), dest('canary', 0), dest('other', 10)] },
    ]);
    const desired = desiredTrafficOf({ canaryWeight: 20, experimentWeights: experiments });
    const { issues } = editVirtualService(vs, hostSpec, desired);
    expect(issues.map((i) => i.reason)).toEqual(['UnexpectedDestination']);
  });
});

describe('Istio DestinationRule with experiment weights', () => {
  const spec = { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' };
  const dr = (): DestinationRule =>
    frozenCopy<DestinationRule>({
      metadata: { name: 'dr' },
      spec: { host: 'svc', subsets: [{ name: 'stable' }, { name: 'canary' }, { name: 'old' }] },
    });

  it('adds a subset per Experiment Service labelled with its hash, and drops retired ones', () => {
    const desired = desiredTrafficOf({
      canaryWeight: 20,
      canaryHash: 'h2',
      stableHash: 'h1',
      experimentWeights: experiments,
      retiredExperimentServices: ['old'],
    });
    const { object, issues } = editDestinationRule(dr(), spec, desired);
    expect(issues).toEqual([]);
    expect(object.spec?.subsets?.map((s) => [s.name, s.labels?.[POD_TEMPLATE_HASH_LABEL]])).toEqual([
      ['stable', 'h1'],
      ['canary', 'h2'],
      ['ex-baseline', 'b1'],
      ['ex-canary', 'c1'],
    ]);
  });
});
