import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';

/** A JSON-like value the fuzzers build and mutate. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every document of `examples/*.yaml` whose kind is in `kinds`: valid seeds the mutators start from. */
export function exampleObjects(kinds: readonly string[]): Json[] {
  const dir = join(repoRoot, 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  return files
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJSON() as Json))
    .filter(
      (o) => o !== null && typeof o === 'object' && kinds.includes(String((o as { kind?: unknown }).kind)),
    );
}

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202eevil',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '🦜'.repeat(50),
  'é\u0301',
  '\ud800',
  'NaN',
  '50%',
  '-5%',
  '1e3',
  '0x10',
  '__proto__',
  'constructor',
  '{{args.missing}}',
  'x'.repeat(70_000),
];
const ODD_NUMBERS = [-1, -0, 0.5, 101, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER];

/** Nests `leaf` `depth` levels deep, alternating lists and objects (what a hostile YAML can produce). */
export function nested(depth: number, leaf: Json): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { junk: value };
  return value;
}

/** Values that are wrong somewhere: odd strings and numbers, random JSON, deep nesting, prototype keys. */
export const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...ODD_STRINGS, ...ODD_NUMBERS, true, false, null, [], {}),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 0, max: 300 }).map((depth) => nested(depth, 'deep')),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}') as Json),
);

/** Every path (list of keys and indexes) inside `value` down to `maxDepth` levels, the root (`[]`) included. */
export function pathsOf(value: Json, maxDepth = 12): (string | number)[][] {
  const out: (string | number)[][] = [];
  const pending: [Json, (string | number)[]][] = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, path] = next;
    out.push(path);
    if (node === null || typeof node !== 'object' || path.length >= maxDepth) continue;
    for (const [k, v] of Object.entries(node))
      pending.push([v, [...path, Array.isArray(node) ? Number(k) : k]]);
  }
  return out;
}

/** One edit of a seed object: replace the value at a path, delete it, or add an unknown key beside it. */
export interface Mutation {
  at: number;
  op: 'replace' | 'delete' | 'add';
  value: Json;
  key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add'),
  value: junk,
  key: fc.oneof(fc.constantFrom('setWeight', 'pause', 'bogusStep', '__proto__'), fc.string({ maxLength: 8 })),
});

function applyMutation(root: Json, m: Mutation): Json {
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length] ?? [];
  if (path.length === 0) return m.op === 'replace' ? m.value : root;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, root);
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json>;
  if (m.op === 'replace') container[last] = m.value;
  else if (m.op === 'delete') delete container[last];
  else if (!Array.isArray(parent))
    Object.defineProperty(container, m.key, {
      value: m.value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return root;
}

/** A seed from `seeds` with one to four mutations applied: JSON shaped like the kind, wrong somewhere. */
export function mutated(seeds: readonly Json[]): fc.Arbitrary<Json> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, mutations]) => mutations.reduce(applyMutation, structuredClone(seed)));
}

/** A short canary step: a known kind with a possibly wrong value, or an unknown kind. */
export const step: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ setWeight: fc.oneof(fc.integer({ min: -50, max: 150 }), junk) }),
  fc.record({
    pause: fc.oneof(fc.constant({}), fc.record({ duration: fc.oneof(fc.string(), fc.integer()) })),
  }),
  fc.record({ analysis: junk }),
  fc.record({ setCanaryScale: junk }),
  fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 2 }),
);
