import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../../src/kube/label-selector.js';

describe('parseLabelSelector', () => {
  it.each([
    ['', {}, true],
    ['a=b', { a: 'b' }, true],
    ['a=b', { a: 'c' }, false],
    ['a==b', { a: 'b' }, true],
    ['a!=b', {}, true],
    ['a!=b', { a: 'b' }, false],
    ['a', { a: '' }, true],
    ['a', {}, false],
    ['!a', {}, true],
    ['!a', { a: 'x' }, false],
    ['env in (prod, staging)', { env: 'staging' }, true],
    ['env in (prod,staging)', { env: 'dev' }, false],
    ['env notin (prod)', {}, true],
    [
      'app.kubernetes.io/managed-by=vireo,tier in (web),!legacy',
      { 'app.kubernetes.io/managed-by': 'vireo', tier: 'web' },
      true,
    ],
    [
      'app.kubernetes.io/managed-by=vireo,tier in (web),!legacy',
      { 'app.kubernetes.io/managed-by': 'vireo', tier: 'web', legacy: '1' },
      false,
    ],
  ])('%s matches %o → %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('treats missing labels as an empty map', () => {
    expect(parseLabelSelector('!a').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(undefined)).toBe(false);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('a=b=c')).toThrow(/invalid label selector/);
  });
});
