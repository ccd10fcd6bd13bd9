import { describe, expect, it } from 'vitest';
import { LAST_APPLIED_ANNOTATION, trimForCache } from '../../../src/kube/cache-trim.js';
import { prepareForCache } from '../../../src/kube/object-prep.js';
import type { KubeObject } from '../../../src/kube/types.js';

function applied(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'a',
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED_ANNOTATION]: '{"apiVersion":"v1"}', keep: 'me' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    },
  };
}

describe('trimForCache', () => {
  it('drops managedFields and the last-applied annotation, keeping every other field', () => {
    const obj = applied();
    expect(trimForCache(obj)).toBe(obj);
    expect(obj.metadata).toEqual({
      name: 'web',
      namespace: 'a',
      labels: { app: 'web' },
      annotations: { keep: 'me' },
    });
  });

  it('leaves objects without metadata, annotations or either field as they are', () => {
    expect(trimForCache({ kind: 'X' })).toEqual({ kind: 'X' });
    const plain = { metadata: { name: 'n', annotations: { a: 'b' } } };
    expect(trimForCache(plain)).toEqual({ metadata: { name: 'n', annotations: { a: 'b' } } });
  });

  it('is applied by prepareForCache before the object is frozen', () => {
    const obj = prepareForCache(applied());
    expect(Object.isFrozen(obj.metadata?.annotations)).toBe(true);
    expect(obj.metadata?.annotations).toEqual({ keep: 'me' });
    expect(obj.metadata && 'managedFields' in obj.metadata).toBe(false);
  });
});
