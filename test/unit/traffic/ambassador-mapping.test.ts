import { describe, expect, it } from 'vitest';
import {
  buildCanaryMapping,
  canaryMappingName,
  canaryMappingWeight,
  type Mapping,
} from '../../../src/traffic/ambassador/mapping.js';
import { desired, frozenCopy, issueMatchers } from './helpers.js';

const services = { canaryService: 'web-canary', stableService: 'web-stable' };
const base = (spec: Mapping['spec']): Mapping =>
  frozenCopy({
    apiVersion: 'getambassador.io/v2',
    kind: 'Mapping',
    metadata: { name: 'web', namespace: 'ns', labels: { a: 'b' }, uid: 'u', resourceVersion: '7' },
    spec,
  });

describe('Ambassador canary Mapping', () => {
  it('is named <mapping>-canary, the base cut to 246 characters', () => {
    expect(canaryMappingName('web')).toBe('web-canary');
    expect(canaryMappingName('x'.repeat(300))).toBe(`${'x'.repeat(246)}-canary`);
  });

  it('copies the base spec with the canary Service (first occurrence) and the canary weight, and no metadata', () => {
    const { object, issues } = buildCanaryMapping(
      base({ prefix: '/', service: 'http://web-stable.ns:80', timeout_ms: 5 }),
      services,
      desired({ canaryWeight: 30 }),
    );
    expect(issues).toEqual([]);
    expect(object).toEqual({
      apiVersion: 'getambassador.io/v2',
      kind: 'Mapping',
      metadata: { name: 'web-canary', namespace: 'ns' },
      spec: { prefix: '/', service: 'http://web-canary.ns:80', timeout_ms: 5, weight: 30 },
    });
    expect(canaryMappingWeight(object)).toBe(30);
  });

  it('wants no canary Mapping at weight 0 (it is deleted), and reads a missing one as 0', () => {
    expect(
      buildCanaryMapping(base({ service: 'web-stable' }), services, desired({ canaryWeight: 0 })),
    ).toEqual({
      object: undefined,
      issues: [],
    });
    expect(canaryMappingWeight(undefined)).toBe(0);
  });

  it('refuses a base Mapping that defines a weight, or whose service does not name the stable Service', () => {
    const weighted = buildCanaryMapping(
      base({ service: 'web-stable', weight: 10 }),
      services,
      desired({ canaryWeight: 5 }),
    );
    expect(weighted).toEqual({
      object: undefined,
      issues: issueMatchers([
        { reason: 'WeightOverflow', path: 'spec.weight', message: 'can not define weight' },
      ]),
    });
    const elsewhere = buildCanaryMapping(
      base({ service: 'other:80' }),
      services,
      desired({ canaryWeight: 5 }),
    );
    expect(elsewhere.issues).toEqual(issueMatchers([{ reason: 'BackendNotFound', path: 'spec.service' }]));
  });
});
