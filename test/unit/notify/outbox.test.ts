import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../src/notify/config.js';
import { type JobOutcome, Outbox } from '../../../src/notify/outbox.js';
import { FakeClock } from '../../../src/util/clock.js';

const policy: RetryPolicy = { timeoutMs: 100, retryMax: 3, retryWaitMinMs: 1000, retryWaitMaxMs: 3000 };

function setup(concurrency = 4) {
  const clock = new FakeClock();
  const log: string[] = [];
  const outbox = new Outbox({
    clock,
    concurrency,
    random: () => 0,
    onDelivered: (job, n) => log.push(`delivered ${job.key} after ${n}`),
    onGaveUp: (job, n, reason) => log.push(`gave up ${job.key} after ${n}: ${reason}`),
  });
  return { clock, log, outbox };
}

/** A job whose attempts answer from `results` in order (the last one repeats). */
function scripted(key: string, results: boolean[], calls: number[] = []) {
  return {
    key,
    attempt: async (): Promise<JobOutcome> => {
      calls.push(Date.now());
      const ok = results[Math.min(calls.length - 1, results.length - 1)];
      return ok ? { ok: true } : { ok: false, reason: 'HTTP 500', policy };
    },
  };
}

describe('Outbox', () => {
  it('retries failures with doubling, capped backoff until success', async () => {
    const { clock, log, outbox } = setup();
    const calls: number[] = [];
    outbox.add(scripted('a', [false, false, false, true], calls));
    await clock.advanceAsync(0);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(999);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(calls).toHaveLength(2);
    await clock.advanceAsync(2000);
    expect(calls).toHaveLength(3);
    await clock.advanceAsync(3000);
    expect(log).toEqual(['delivered a after 4']);
    expect(outbox.size).toBe(0);
  });

  it('gives up after retryMax retries with the last reason', async () => {
    const { clock, log, outbox } = setup();
    outbox.add(scripted('a', [false]));
    await clock.advanceAsync(60_000);
    expect(log).toEqual(['gave up a after 4: HTTP 500']);
  });

  it('holds a key once and limits concurrency; a failing job does not hold up others', async () => {
    const { clock, log, outbox } = setup(1);
    outbox.add(scripted('slow', [false, true]));
    outbox.add(scripted('slow', [true]));
    outbox.add(scripted('b', [true]));
    expect(outbox.has('slow')).toBe(true);
    await clock.advanceAsync(0);
    expect(log).toEqual(['delivered b after 1']);
    await clock.advanceAsync(1000);
    expect(log).toEqual(['delivered b after 1', 'delivered slow after 2']);
  });

  it('stop cancels retries silently; dropPrefix forgets a rollout’s deliveries', async () => {
    const { clock, log, outbox } = setup();
    outbox.add(scripted('ns/a|1', [false]));
    outbox.add(scripted('ns/b|1', [false]));
    await clock.advanceAsync(0);
    outbox.dropPrefix('ns/a|');
    expect(outbox.has('ns/a|1')).toBe(false);
    outbox.stop();
    await clock.advanceAsync(60_000);
    expect(log).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
