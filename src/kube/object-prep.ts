import { trimForCache } from './cache-trim.js';
import type { KubeObject } from './types.js';

/** Freezes `value` and everything reachable from it; returns the same reference. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

/**
 * Readies an object received from the API for the cache, in place: drops what the controller never reads
 * (`trimForCache`: `metadata.managedFields` and kubectl's last-applied-configuration annotation), then
 * deep-freezes it so every consumer sees the same immutable snapshot. Returns the same reference.
 */
export function prepareForCache<T extends KubeObject>(obj: T): T {
  if (Object.isFrozen(obj)) return obj;
  return deepFreeze(trimForCache(obj));
}

/**
 * Adds watch parameters to a collection path: server bookmarks (so idle watches still show signs of
 * life and keep a fresh resourceVersion) and the server-side watch timeout. Existing params are kept.
 */
export function withWatchParams(path: string, timeoutSeconds: number): string {
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}allowWatchBookmarks=true&timeoutSeconds=${Math.round(timeoutSeconds)}`;
}

/** A watch timeout drawn uniformly from [300, 600) seconds, so many informers do not reconnect in step. */
export function randomWatchTimeoutSeconds(random: () => number = Math.random): number {
  return 300 + Math.floor(random() * 300);
}

/** True for the error a request reports when it was aborted on purpose (node-fetch `AbortError`). */
export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** HTTP status carried by a watch/list failure, if any (client-node uses `statusCode` or `code`). */
export function errorStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { statusCode, code } = err as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  return typeof code === 'number' ? code : undefined;
}
