import { describe, expect, it } from 'vitest';
import { MANAGED_BY_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../../../src/api/index.js';
import { editDestinationRule } from '../../../src/traffic/istio/destination-rule.js';
import type { DestinationRule } from '../../../src/traffic/istio/types.js';
import { desired, frozenCopy } from './helpers.js';

const spec = { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' };

const dr = (): DestinationRule =>
  frozenCopy<DestinationRule>({
    metadata: { name: 'dr', annotations: { keep: 'me' } },
    spec: {
      host: 'svc',
      subsets: [
        { name: 'stable', labels: { app: 'x' } },
        { name: 'canary' },
        { name: 'other', labels: { v: '1' } },
      ],
    },
  });

const hashOf = (rule: DestinationRule, name: string) =>
  rule.spec?.subsets?.find((s) => s.name === name)?.labels?.[POD_TEMPLATE_HASH_LABEL];

describe('editDestinationRule', () => {
  it.each([
    ['both hashes', 'c1', 's1'],
    ['canary only (new revision not yet created)', undefined, 's1'],
    ['same hash (fully promoted)', 's1', 's1'],
    ['none (clean-up)', undefined, undefined],
  ])('%s', (_name, canaryHash, stableHash) => {
    const input = {
      canaryWeight: 0,
      ...(canaryHash ? { canaryHash } : {}),
      ...(stableHash ? { stableHash } : {}),
    };
    const { object, issues } = editDestinationRule(dr(), spec, desired(input));
    expect(issues).toEqual([]);
    expect(hashOf(object, 'canary')).toBe(canaryHash);
    expect(hashOf(object, 'stable')).toBe(stableHash);
    expect(object.spec?.subsets?.[2]).toEqual({ name: 'other', labels: { v: '1' } });
    expect(object.spec?.subsets?.[0]?.labels?.app).toBe('x');
  });

  it('round-trips: set hashes then clean up gives the original', () => {
    const set = editDestinationRule(
      dr(),
      spec,
      desired({ canaryWeight: 0, canaryHash: 'c', stableHash: 's' }),
    ).object;
    expect(editDestinationRule(set, spec, desired({ canaryWeight: 0 })).object).toEqual(dr());
  });

  it('writes the managed-by annotation and keeps the others', () => {
    const { object } = editDestinationRule(dr(), spec, desired({ canaryWeight: 0 }), { managedBy: 'ro' });
    expect(object.metadata?.annotations).toEqual({ keep: 'me', [MANAGED_BY_ANNOTATION]: 'ro' });
  });

  it.each([
    ['canary', { ...spec, canarySubsetName: 'missing' }],
    ['stable', { ...spec, stableSubsetName: 'missing' }],
  ])('reports a missing %s subset', (_which, badSpec) => {
    const input = dr();
    const { object, issues } = editDestinationRule(
      input,
      badSpec,
      desired({ canaryWeight: 0, canaryHash: 'c' }),
    );
    expect(issues).toEqual([expect.objectContaining({ reason: 'SubsetNotFound', path: 'spec.subsets' })]);
    expect(object).toBe(input);
  });
});
