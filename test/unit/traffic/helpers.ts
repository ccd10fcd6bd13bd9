import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { type DesiredTrafficInput, desiredTrafficOf } from '../../../src/traffic/desired-traffic.js';
import type { RouteIssue } from '../../../src/traffic/router.js';

const here = dirname(fileURLToPath(import.meta.url));

/** One golden case: `before` edited with `spec` and `desired` gives `after`, or `issues` and `before` unchanged. */
export interface GoldenCase {
  file: string;
  description: string;
  spec: Record<string, unknown>;
  desired: DesiredTrafficInput;
  before: Record<string, unknown>;
  after?: Record<string, unknown>;
  issues?: Partial<RouteIssue>[];
}

/** The golden cases of `golden/<folder>/*.yaml`, sorted by file name. */
export function goldenCases(folder: string): GoldenCase[] {
  const dir = join(here, 'golden', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, ...(parse(readFileSync(join(dir, file), 'utf8')) as Omit<GoldenCase, 'file'>) }));
}

/** Freezes `value` and everything under it, so an edit that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A deep copy, frozen: the input of an edit under test. */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

/** `desiredTrafficOf` for fixtures. */
export function desired(input: DesiredTrafficInput) {
  return desiredTrafficOf(input);
}

/** Expected issues as matchers: every given field equal, `message` as a substring. */
export function issueMatchers(expected: readonly Partial<RouteIssue>[]) {
  return expected.map(({ message, ...rest }) =>
    expect.objectContaining({
      ...rest,
      ...(message === undefined ? {} : { message: expect.stringContaining(message) }),
    }),
  );
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in `[min, max]` from `random`. */
export function intIn(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
