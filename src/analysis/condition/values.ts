import { fail } from './errors.js';

/** Property names that are never readable, whatever object they are looked up on. */
export const BLOCKED_PROPERTIES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A JSON-like record: a plain object (prototype `Object.prototype` or `null`). */
export type PlainRecord = { readonly [key: string]: unknown };

/** `null` and `undefined` are both expr-lang's `nil`. */
export const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

/** True only for plain objects; class instances, Maps, Dates and functions are opaque to conditions. */
export function isRecord(v: unknown): v is PlainRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The "[]float64"-style names used in messages; integers say `int`, other numbers `float64`, like Go. */
export function typeName(v: unknown): string {
  if (isNil(v)) return 'nil';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) {
    return v.length > 0 && v.every((x) => typeof x === 'number') ? '[]float64' : '[]interface {}';
  }
  if (isRecord(v)) return 'map[string]interface {}';
  return 'unsupported';
}

/**
 * Deep equality with Go/expr semantics: numbers compare numerically (NaN equals nothing), arrays
 * element-wise, records by own keys; `nil == nil`. `spend` is charged one unit per compared element.
 */
export function deepEqual(a: unknown, b: unknown, spend: (n: number) => void): boolean {
  spend(1);
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i], spend));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k], spend));
}

/**
 * Reads `name` from a record as an own property only; a missing key is nil (expr's map semantics).
 * Blocked names, nil receivers (unless `optional`) and non-record receivers are runtime faults at `pos`.
 */
export function getMember(object: unknown, name: string, optional: boolean, pos: number): unknown {
  if (BLOCKED_PROPERTIES.has(name)) fail(`access to property ${name} is not allowed`, pos);
  if (isNil(object)) {
    if (optional) return null;
    return fail(`cannot fetch ${name} from nil`, pos);
  }
  if (!isRecord(object)) return fail(`cannot fetch ${name} from ${typeName(object)}`, pos);
  return Object.hasOwn(object, name) ? (object[name] ?? null) : null;
}

/** Resolves a possibly negative integer index against `length`, or faults with Go's out-of-range message. */
function resolveIndex(index: unknown, length: number, pos: number): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    return fail(`invalid index type ${typeName(index)} (must be an integer)`, pos);
  }
  const resolved = index < 0 ? index + length : index;
  if (resolved < 0 || resolved >= length) {
    return fail(`index out of range: ${index} (array length is ${length})`, pos);
  }
  return resolved;
}

/** Reads `object[index]`: arrays and strings by (negative-capable) integer, records by own string key. */
export function getIndex(object: unknown, index: unknown, pos: number): unknown {
  if (Array.isArray(object)) return object[resolveIndex(index, object.length, pos)] ?? null;
  if (typeof object === 'string') {
    const chars = [...object];
    return chars[resolveIndex(index, chars.length, pos)] ?? null;
  }
  if (isRecord(object)) {
    if (typeof index !== 'string') return fail(`cannot use ${typeName(index)} as a map key`, pos);
    return getMember(object, index, false, pos);
  }
  if (isNil(object)) return fail('cannot index nil', pos);
  return fail(`cannot index ${typeName(object)}`, pos);
}

/** `object[from:to]` for arrays and strings; bounds clamp like expr-lang, negative bounds count from the end. */
export function getSlice(object: unknown, from: unknown, to: unknown, pos: number): unknown {
  const bound = (v: unknown, fallback: number, length: number): number => {
    if (isNil(v)) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`invalid slice index ${typeName(v)}`, pos);
    const r = v < 0 ? v + length : v;
    return Math.max(0, Math.min(length, r));
  };
  const slice = <T>(items: T[]): T[] => {
    const end = bound(to, items.length, items.length);
    const start = Math.min(bound(from, 0, items.length), end);
    return items.slice(start, end);
  };
  if (Array.isArray(object)) return slice(object as unknown[]);
  if (typeof object === 'string') return slice([...object]).join('');
  return fail(`cannot slice ${typeName(object)}`, pos);
}

/** Length of a string (in code points), array or record; any other type is a fault. */
export function lengthOf(v: unknown, pos: number): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isRecord(v)) return Object.keys(v).length;
  return fail(`invalid argument for len (type ${typeName(v)})`, pos);
}
