import { backoffDelay } from '../util/backoff.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { type Logger, silentLogger } from '../util/logger.js';

/** Construction options; every field has a production default. */
export interface WorkQueueOptions {
  clock?: Clock;
  logger?: Logger;
  /** First rate-limited delay, in ms (default 5). */
  baseDelayMs?: number;
  /** Cap of the rate-limited delay, in ms (default 10 000). */
  maxDelayMs?: number;
  /** Observers of the queue's activity (metrics); default none. */
  hooks?: WorkQueueHooks;
}

/** Observers of a queue's activity; called synchronously and must not throw. */
export interface WorkQueueHooks {
  /** A key entered the queue (an add of a key already queued is not counted). */
  onAdd?(): void;
  /** A key was requeued with backoff (a failure or a `requeue` result). */
  onRetry?(): void;
  /** A key was processed in `ms` milliseconds; `failed` when the handler threw. */
  onProcessed?(ms: number, failed: boolean): void;
}

/** What a reconcile asks for on success: nothing, an immediate rate-limited retry, or a timed requeue. */
export interface ReconcileResult {
  requeue?: boolean;
  requeueAfterMs?: number;
}

/** Processes one key; throwing (or rejecting) requeues the key with per-key backoff. */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers written as `async (key) => {}` return Promise<void>.
export type KeyHandler = (key: string) => Promise<ReconcileResult | undefined | void>;

interface Delayed {
  dueMs: number;
  handle: TimerHandle;
}

/**
 * A de-duplicating keyed work queue with client-go semantics.
 * Invariants: a key is queued at most once however often it is added; a key is handed to at most one
 * worker at a time, and a key added while being processed is queued again only after `done(key)`;
 * keys come out in FIFO order of their first add; rate-limited delays grow 5 ms · 2^n, capped at 10 s,
 * until `forget(key)`. After `shutdown()` new adds are ignored, delayed adds are cancelled, and workers
 * drain the keys already queued.
 */
export class WorkQueue {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly hooks: WorkQueueHooks;
  private queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly failures = new Map<string, number>();
  private getters: ((key: string | undefined) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
    this.hooks = opts.hooks ?? {};
  }

  /** Queues `key` unless it is already queued; a no-op after shutdown. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.hooks.onAdd?.();
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  /** Queues `key` after `ms`; when a delayed add is already pending, the earlier deadline wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const dueMs = this.clock.monotonicMs() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.dueMs <= dueMs) return;
    if (pending) this.clock.clearTimeout(pending.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { dueMs, handle });
  }

  /** Queues `key` after its next backoff delay (5 ms, 10 ms, 20 ms … capped at 10 s) and counts the failure. */
  addRateLimited(key: string): void {
    const attempt = this.failures.get(key) ?? 0;
    this.failures.set(key, attempt + 1);
    this.hooks.onRetry?.();
    this.addAfter(key, backoffDelay(attempt, { baseMs: this.baseDelayMs, maxMs: this.maxDelayMs }));
  }

  /** Resets the backoff of `key`; call after a successful reconcile. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How many rate-limited requeues `key` has had since the last `forget`. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Number of keys ready to be handed out (not counting keys in flight or delayed). */
  len(): number {
    return this.queue.length;
  }

  /** True once `shutdown()` has been called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Next key to process, marking it in flight; resolves `undefined` once the queue is shut down and
   * empty. Every key received must be passed to `done` exactly once.
   */
  get(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined || this.shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` finished; if it was added meanwhile, it is queued again now. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOut();
    }
    this.checkDrained();
  }

  /**
   * Stops accepting keys and cancels delayed adds; resolves when workers have drained the queue and
   * finished every key in flight. Workers must keep calling `get` until it returns `undefined`.
   */
  shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const { handle } of this.delayed.values()) this.clock.clearTimeout(handle);
    this.delayed.clear();
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.checkDrained();
    return drained;
  }

  /**
   * Runs `concurrency` workers that call `handler` for each key until shutdown. Success forgets the
   * key's backoff and honours `requeueAfterMs`/`requeue`; failure logs and requeues with backoff.
   * Resolves when every worker has exited.
   */
  async run(handler: KeyHandler, concurrency = 1): Promise<void> {
    const workers = Array.from({ length: Math.max(1, concurrency) }, () => this.worker(handler));
    await Promise.all(workers);
  }

  private async worker(handler: KeyHandler): Promise<void> {
    for (let key = await this.get(); key !== undefined; key = await this.get()) {
      await this.processOne(key, handler);
    }
  }

  private async processOne(key: string, handler: KeyHandler): Promise<void> {
    const startedMs = this.clock.monotonicMs();
    let failed = false;
    try {
      const result = await handler(key);
      if (result?.requeue) {
        this.addRateLimited(key);
        return;
      }
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      this.logger.warn(
        { key, err, requeues: this.numRequeues(key) },
        'processing failed; requeueing with backoff',
      );
      failed = true;
      this.addRateLimited(key);
    } finally {
      this.hooks.onProcessed?.(this.clock.monotonicMs() - startedMs, failed);
      this.done(key);
    }
  }

  private take(): string | undefined {
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.length > 0) {
      const resolve = this.getters.shift();
      resolve?.(this.take());
    }
  }

  private checkDrained(): void {
    if (!this.shuttingDown || this.queue.length > 0) return;
    const getters = this.getters;
    this.getters = [];
    for (const resolve of getters) resolve(undefined);
    if (this.processing.size > 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
