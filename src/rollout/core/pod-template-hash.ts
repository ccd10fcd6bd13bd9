/**
 * Kubernetes' `SafeEncodeString` alphabet: no vowels (no accidental words) and no characters that are
 * ambiguous or invalid in a label value.
 */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped, so two objects that are
 * equal as data always serialize identically. Examples: `{b:1,a:{d:2,c:3}}` → `{"a":{"c":3,"d":2},"b":1}`;
 * `[2,1]` → `[2,1]` (array order is data).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/**
 * FNV-1a 32-bit over `bytes`, continuing from `seed`: for each byte, `h = (h XOR byte) × 16777619 mod 2³²`,
 * starting at 2166136261. Examples: "" → 2166136261; "a" → 3826002220; "foobar" → 3214735720.
 */
export function fnv32a(bytes: Uint8Array, seed: number = FNV32_OFFSET): number {
  let hash = seed >>> 0;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV32_PRIME) >>> 0;
  return hash;
}

/**
 * Kubernetes `SafeEncodeString`: each character c becomes `SAFE_ALPHABET[code(c) mod 27]`, so the output has
 * the input's length and only label-safe characters. Example: "0123" → "4567".
 */
export function safeEncode(text: string): string {
  let out = '';
  for (const char of text) out += SAFE_ALPHABET[(char.codePointAt(0) ?? 0) % SAFE_ALPHABET.length];
  return out;
}

function collisionBytes(collisionCount: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
  return bytes;
}

/**
 * A stable, label-safe hash of any JSON value: FNV-32a over the UTF-8 of `canonicalJson(value)`, then (when
 * `collisionCount` is given) over 8 bytes holding the count as a little-endian uint32, rendered as the
 * decimal number and `safeEncode`d. Always 1–10 characters; key order never matters, any value change
 * almost surely changes it.
 */
export function hashObject(value: unknown, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(value)));
  if (collisionCount !== undefined) hash = fnv32a(collisionBytes(collisionCount), hash);
  return safeEncode(String(hash));
}

/**
 * The `rollouts-pod-template-hash` of a pod template (Vireo's own algorithm, see `hashObject`).
 * `status.collisionCount` is mixed in when set, so bumping it yields a fresh name after a collision.
 */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  return hashObject(template ?? {}, collisionCount);
}

/** `status.currentStepHash`: the `hashObject` of the canary step list (an empty list when there are none). */
export function stepsHash(steps: readonly unknown[]): string {
  return hashObject(steps);
}
