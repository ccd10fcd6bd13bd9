/** Parameters of a capped exponential backoff. */
export interface BackoffOptions {
  /** Delay for the first retry (attempt 0), in ms. */
  baseMs: number;
  /** Upper bound for any delay, in ms. */
  maxMs: number;
  /** Fraction of the delay that is randomised, 0..1 (0 = deterministic). */
  jitter?: number;
}

/**
 * Delay before retry number `attempt` (0-based): `min(maxMs, baseMs * 2^attempt)`, then, with jitter j,
 * scaled by a factor drawn uniformly from [1 - j, 1]. Never exceeds `maxMs`, never negative.
 * Examples (base 5, max 10 000, no jitter): attempt 0 → 5, attempt 3 → 40, attempt 11 → 10 000.
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(Math.max(0, attempt), 52));
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0));
  return Math.max(0, exp * (1 - jitter * random()));
}
