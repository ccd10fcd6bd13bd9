import { backoffDelay } from '../util/backoff.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { RetryPolicy } from './config.js';

/** The outcome of one attempt of a job; a failure carries the policy that decides about retrying. */
export type JobOutcome = { ok: true } | { ok: false; reason: string; policy: RetryPolicy };

/** One notification to deliver; `attempt` is called once per try and must not throw. */
export interface DeliveryJob {
  /** Unique per delivery (event and destination); a key already in the outbox is not added again. */
  key: string;
  attempt(): Promise<JobOutcome>;
}

/** Construction options; `random` feeds the backoff jitter. */
export interface OutboxOptions {
  clock: Clock;
  /** Attempts in flight at once (default 4). */
  concurrency?: number;
  onDelivered(job: DeliveryJob, attempts: number): void;
  onGaveUp(job: DeliveryJob, attempts: number, reason: string): void;
  random?: () => number;
}

const NO_RETRY: RetryPolicy = { timeoutMs: 0, retryMax: 0, retryWaitMinMs: 0, retryWaitMaxMs: 0 };

interface Entry {
  job: DeliveryJob;
  attempts: number;
  timer?: TimerHandle;
}

/**
 * An in-memory delivery queue, apart from reconciliation: `add` returns at once. Invariants: a key is held
 * at most once, from `add` until delivered or given up; at most `concurrency` attempts run at a time, in
 * FIFO order of readiness; a failed attempt is retried after `retryWaitMin · 2^n` (capped at `retryWaitMax`,
 * 20 % jitter) until `retryMax` retries are spent. After `stop()` nothing new starts, timers are cleared
 * and no callback fires.
 */
export class Outbox {
  private readonly entries = new Map<string, Entry>();
  private readonly ready: Entry[] = [];
  private running = 0;
  private stopped = false;

  constructor(private readonly opts: OutboxOptions) {}

  /** True while `key` is queued, in flight or waiting for a retry. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Number of deliveries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Queues `job` unless its key is already held; a no-op after `stop()`. */
  add(job: DeliveryJob): void {
    if (this.stopped || this.entries.has(job.key)) return;
    const entry: Entry = { job, attempts: 0 };
    this.entries.set(job.key, entry);
    this.ready.push(entry);
    this.pump();
  }

  /** Stops starting attempts and cancels retry timers; attempts in flight finish but are not retried. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) if (entry.timer) this.opts.clock.clearTimeout(entry.timer);
    this.ready.length = 0;
  }

  /** Forgets every held delivery whose key starts with `prefix` (e.g. a deleted Rollout's); in-flight ones finish. */
  dropPrefix(prefix: string): void {
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(prefix)) continue;
      if (entry.timer) this.opts.clock.clearTimeout(entry.timer);
      this.entries.delete(key);
    }
    for (let i = this.ready.length - 1; i >= 0; i--) {
      if (this.ready[i]?.job.key.startsWith(prefix)) this.ready.splice(i, 1);
    }
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 4;
    while (!this.stopped && this.running < limit && this.ready.length > 0) {
      const entry = this.ready.shift();
      if (entry) void this.run(entry);
    }
  }

  private async run(entry: Entry): Promise<void> {
    this.running++;
    entry.attempts++;
    const outcome = await entry.job
      .attempt()
      .catch((): JobOutcome => ({ ok: false, reason: 'internal error', policy: NO_RETRY }));
    this.running--;
    this.settle(entry, outcome);
    this.pump();
  }

  private settle(entry: Entry, outcome: JobOutcome): void {
    if (outcome.ok) {
      this.entries.delete(entry.job.key);
      this.opts.onDelivered(entry.job, entry.attempts);
      return;
    }
    if (this.stopped) {
      this.entries.delete(entry.job.key);
      return;
    }
    if (entry.attempts > outcome.policy.retryMax) {
      this.entries.delete(entry.job.key);
      this.opts.onGaveUp(entry.job, entry.attempts, outcome.reason);
      return;
    }
    const { retryWaitMinMs: baseMs, retryWaitMaxMs: maxMs } = outcome.policy;
    const delay = backoffDelay(entry.attempts - 1, { baseMs, maxMs, jitter: 0.2 }, this.opts.random);
    entry.timer = this.opts.clock.setTimeout(() => {
      entry.timer = undefined;
      this.ready.push(entry);
      this.pump();
    }, delay);
  }
}
