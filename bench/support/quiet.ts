import { pollUntil } from '../../harness/wait.js';
import { readRequestCounts, totalRequests } from './request-kinds.js';

/** Total requests other than leader election's Lease reads and renewals (every 2 s with replicas). */
function workRequests(countsPath: string): number {
  const counts = readRequestCounts(countsPath);
  const work = Object.fromEntries(Object.entries(counts).filter(([kind]) => !kind.endsWith(' leases')));
  return totalRequests(work);
}

/**
 * Waits (polling every 250 ms, with a deadline) until the controller has sent no API request for `quietMs`
 * (Lease requests of leader election not counted), judged from the request-counter preload's counts file.
 * Invariant: resolves only after `quietMs` of unchanged counts; rejects at the deadline.
 */
export async function waitRequestsQuiet(
  countsPath: string,
  quietMs = 3000,
  timeoutMs = 120_000,
): Promise<void> {
  let total = -1;
  let changedAt = performance.now();
  await pollUntil(
    () => {
      const now = workRequests(countsPath);
      if (now !== total) [total, changedAt] = [now, performance.now()];
      return performance.now() - changedAt >= quietMs;
    },
    { timeoutMs, intervalMs: 250, description: `${quietMs} ms without controller requests` },
  );
}
