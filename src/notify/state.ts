import type { Subscription } from './model.js';

/** What was delivered: notifications-engine's shape, state key → Unix seconds of the delivery. */
export type NotifiedState = Record<string, number>;

/** At most this many entries are kept (the oldest go first), as notifications-engine does. */
export const NOTIFIED_HISTORY_MAX = 100;

/**
 * The state key of one delivery: `<onceKey>:<trigger>:<service>:<recipient>`, the layout notifications-engine
 * uses for its `oncePer` keys, so one occurrence is recorded once per destination.
 */
export function stateKey(onceKey: string, sub: Subscription): string {
  return `${onceKey}:${sub.trigger}:${sub.service}:${sub.recipient}`;
}

/** Parses the annotation; a missing or malformed value is an empty state (never an error). */
export function parseNotified(value: string | undefined): NotifiedState {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'number'));
  } catch {
    return {};
  }
}

/**
 * `state` plus `delivered` (key → Unix seconds), truncated to {@link NOTIFIED_HISTORY_MAX} entries by
 * dropping the oldest first — entries in `keep` (occurrences whose trigger still holds, which would fire
 * again if forgotten) only after every other one. Ties break by key, so the result is deterministic.
 * Inputs are not modified.
 */
export function addNotified(
  state: NotifiedState,
  delivered: NotifiedState,
  keep: ReadonlySet<string> = new Set(),
): NotifiedState {
  const merged = { ...state, ...delivered };
  const rank = (k: string) => (keep.has(k) ? 1 : 0);
  const keys = Object.keys(merged).sort(
    (a, b) => rank(a) - rank(b) || (merged[a] ?? 0) - (merged[b] ?? 0) || a.localeCompare(b),
  );
  const drop = new Set(keys.slice(0, Math.max(0, keys.length - NOTIFIED_HISTORY_MAX)));
  return Object.fromEntries(Object.entries(merged).filter(([k]) => !drop.has(k)));
}
