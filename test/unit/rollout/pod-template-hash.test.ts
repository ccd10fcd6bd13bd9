import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fnv32a,
  hashObject,
  podTemplateHash,
  SAFE_ALPHABET,
  safeEncode,
  stepsHash,
} from '../../../src/rollout/core/pod-template-hash.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const template = (image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'demo', tier: 'web' } },
  spec: { containers: [{ name: 'demo', image, ...extra }] },
});

describe('fnv32a', () => {
  it.each([
    ['', 2166136261],
    ['a', 3826002220],
    ['foobar', 3214735720],
  ])('%j → %i', (text, hash) => {
    expect(fnv32a(bytes(text))).toBe(hash);
  });

  it('continues from a seed like hashing the concatenation', () => {
    expect(fnv32a(bytes('bar'), fnv32a(bytes('foo')))).toBe(fnv32a(bytes('foobar')));
  });
});

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: { d: 2, c: 3 } }, '{"a":{"c":3,"d":2},"b":1}'],
    [[2, 1], '[2,1]'],
    [{ a: undefined, b: null }, '{"b":null}'],
    ['x', '"x"'],
  ])('%j → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});

describe('safeEncode', () => {
  it('maps each character into the safe alphabet', () => {
    expect(safeEncode('0123')).toBe('4567');
    expect([...safeEncode('3214735720')].every((c) => SAFE_ALPHABET.includes(c))).toBe(true);
  });
});

describe('podTemplateHash', () => {
  it('is stable: key order never matters', () => {
    const a = {
      spec: { containers: [{ image: 'demo:v1', name: 'demo' }] },
      metadata: { labels: { tier: 'web', app: 'demo' } },
    };
    expect(podTemplateHash(a)).toBe(podTemplateHash(template('demo:v1')));
  });

  it.each([
    ['image', template('demo:v2')],
    ['added field', template('demo:v1', { args: ['--x'] })],
    ['label', { ...template('demo:v1'), metadata: { labels: { app: 'demo', tier: 'api' } } }],
    ['container order', { spec: { containers: [{ name: 'b' }, { name: 'a' }] } }],
  ])('changes with %s', (_what, changed) => {
    expect(podTemplateHash(changed)).not.toBe(podTemplateHash(template('demo:v1')));
  });

  it('is a label-safe value of at most 10 characters', () => {
    for (const image of ['a', 'b', 'demo:v1', 'registry.example.com/x/y:1.2.3']) {
      expect(podTemplateHash(template(image))).toMatch(new RegExp(`^[${SAFE_ALPHABET}]{1,10}$`));
    }
  });

  it('mixes in the collision count', () => {
    const base = podTemplateHash(template('demo:v1'));
    const once = podTemplateHash(template('demo:v1'), 1);
    expect(once).not.toBe(base);
    expect(podTemplateHash(template('demo:v1'), 2)).not.toBe(once);
    expect(podTemplateHash(template('demo:v1'), 1)).toBe(once);
  });

  it('hashes step lists the same way', () => {
    expect(stepsHash([{ setWeight: 20 }])).toBe(hashObject([{ setWeight: 20 }]));
    expect(stepsHash([{ setWeight: 20 }])).not.toBe(stepsHash([{ setWeight: 30 }]));
  });
});
