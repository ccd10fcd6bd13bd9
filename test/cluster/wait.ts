import { setTimeout as delay } from 'node:timers/promises';

/** Options for {@link pollUntil}. */
export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  description: string;
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false`, or the deadline passes.
 * Errors thrown by the probe count as "not yet"; the last one is reported on timeout.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}${cause}`);
    }
    await delay(interval);
  }
}
