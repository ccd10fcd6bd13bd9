/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is an array, else an empty list; for optional list fields of foreign objects. */
export function listOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/**
 * True when every field of `want` is present in `have` with an equal value, recursively; lists must have
 * the same length and each item must be contained. Fields only in `have` (set by others) are ignored.
 * Examples: contains({a: 1, b: 2}, {a: 1}) → true; contains([1, 2], [1]) → false.
 */
export function contains(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  }
  if (isRecord(want)) {
    return isRecord(have) && Object.entries(want).every(([key, value]) => contains(have[key], value));
  }
  return Object.is(have, want);
}

/** The part of a name before the first dot: `reviews.prod.svc.cluster.local` → `reviews`. */
export function shortHost(host: string | undefined): string {
  if (host === undefined) return '';
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(0, dot);
}
