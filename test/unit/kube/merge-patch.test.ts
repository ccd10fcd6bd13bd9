import { describe, expect, it } from 'vitest';
import { jsonEqual, mergePatch } from '../../../src/kube/merge-patch.js';

/** RFC 7386 apply, used to check the invariant. */
function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const base =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : ({} as object);
  const out = base as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

describe('mergePatch', () => {
  it.each([
    ['equal objects', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, undefined],
    ['changed scalar', { a: 1 }, { a: 2 }, { a: 2 }],
    ['removed member', { a: 1, b: 2 }, { a: 1 }, { b: null }],
    ['nested change only', { s: { x: 1, y: 2 } }, { s: { x: 1, y: 3 } }, { s: { y: 3 } }],
    ['array replaced whole', { l: [1, 2] }, { l: [1] }, { l: [1] }],
    ['undefined counts as absent', { a: 1, b: undefined }, { a: 1 }, undefined],
    ['added object', {}, { c: { d: 'x' } }, { c: { d: 'x' } }],
  ])('%s', (_name, from, to, expected) => {
    expect(mergePatch(from, to)).toEqual(expected);
  });

  it('always yields a patch that turns `from` into `to`', () => {
    const cases: [unknown, unknown][] = [
      [
        { phase: 'Progressing', conditions: [{ type: 'A' }], canary: { weights: { canary: 20 } } },
        { phase: 'Healthy' },
      ],
      [{ a: { b: { c: 1 } } }, { a: { b: { d: 2 } } }],
      [{ x: 'y' }, { x: { nested: true } }],
    ];
    for (const [from, to] of cases) {
      expect(jsonEqual(applyMergePatch(from, mergePatch(from, to)), to)).toBe(true);
    }
  });
});
