/**
 * `at` as RFC 3339 in UTC with whole seconds, the form Kubernetes and Go's `time.RFC3339` write
 * (metav1.Time): milliseconds are dropped, never rounded. Examples: 2026-11-27T01:02:03.999Z →
 * `2026-11-27T01:02:03Z`; epoch ms 0 → `1970-01-01T00:00:00Z`. Pure: the time is always given.
 */
export function rfc3339Seconds(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
