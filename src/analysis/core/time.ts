/** Milliseconds since the epoch of an RFC 3339 timestamp; `undefined` when absent or unparseable. */
export function timeMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The RFC 3339 UTC text stored in status for `at` (millisecond precision), e.g. `2026-01-02T03:04:05.678Z`. */
export function toTimestamp(at: Date | number): string {
  return new Date(at).toISOString();
}
