/** Opaque handle returned by {@link Clock.setTimeout}; only meaningful to the clock that issued it. */
export type TimerHandle = object;

/**
 * Source of time and timers for side-effecting code. Production code never calls `Date.now()` or the
 * global `setTimeout` directly, so tests can drive it with {@link FakeClock}.
 */
export interface Clock {
  /** Wall-clock time; may jump (NTP, manual changes). Use for timestamps written to the API. */
  now(): Date;
  /** Monotonic milliseconds from an arbitrary origin; never decreases. Use for measuring durations. */
  monotonicMs(): number;
  /** Runs `fn` once after at least `ms` milliseconds (negative or NaN treated as 0). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a no-op for timers that already fired or were cleared. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date`, `performance.now()` and Node timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms || 0)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface FakeTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

/**
 * A manually driven clock for tests. Time only moves in {@link FakeClock.advance}; timers fire in
 * due-time order (ties in scheduling order), including timers scheduled by timers that fall inside the
 * advanced window. Wall time and monotonic time move together unless {@link FakeClock.setWallTime} is used.
 */
export class FakeClock implements Clock {
  private elapsedMs = 0;
  private wallOffsetMs: number;
  private nextId = 1;
  private timers: FakeTimer[] = [];

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.wallOffsetMs = start.getTime();
  }

  now(): Date {
    return new Date(this.wallOffsetMs + this.elapsedMs);
  }

  monotonicMs(): number {
    return this.elapsedMs;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: this.nextId++, dueMs: this.elapsedMs + Math.max(0, ms || 0), fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Number of timers scheduled and not yet fired or cleared. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves wall time only (monotonic time is unchanged), as an NTP step would. */
  setWallTime(at: Date): void {
    this.wallOffsetMs = at.getTime() - this.elapsedMs;
  }

  /** Moves time forward by `ms`, firing every timer that becomes due, synchronously and in order. */
  advance(ms: number): void {
    const target = this.elapsedMs + ms;
    for (let timer = this.nextDue(target); timer; timer = this.nextDue(target)) {
      this.elapsedMs = Math.max(this.elapsedMs, timer.dueMs);
      this.timers = this.timers.filter((t) => t !== timer);
      timer.fn();
    }
    this.elapsedMs = target;
  }

  /**
   * Like {@link FakeClock.advance}, but lets promise callbacks settle after every fired timer, so async
   * work started by a timer can schedule its follow-up timers inside the same window.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.elapsedMs + ms;
    await flushAsync();
    for (let timer = this.nextDue(target); timer; timer = this.nextDue(target)) {
      this.elapsedMs = Math.max(this.elapsedMs, timer.dueMs);
      this.timers = this.timers.filter((t) => t !== timer);
      timer.fn();
      await flushAsync();
    }
    this.elapsedMs = target;
    await flushAsync();
  }

  private nextDue(targetMs: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (
        t.dueMs <= targetMs &&
        (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id))
      ) {
        best = t;
      }
    }
    return best;
  }
}

/** Resolves after all currently queued microtasks and I/O callbacks have run (one macrotask turn, no delay). */
export function flushAsync(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
