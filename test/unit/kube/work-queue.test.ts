import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/kube/work-queue.js';
import { FakeClock, flushAsync } from '../../../src/util/clock.js';

function newQueue() {
  const clock = new FakeClock();
  return { clock, queue: new WorkQueue({ clock }) };
}

describe('WorkQueue', () => {
  it('de-duplicates keys that are queued but not yet processed', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(queue.len()).toBe(0);
  });

  it('hands a key to one worker at a time and re-queues it after done when added meanwhile', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const key = await queue.get();
    queue.add('a');
    queue.add('a');
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((k) => {
      second = k;
    });
    await flushAsync();
    expect(second).toBeUndefined();
    queue.done(key ?? '');
    await flushAsync();
    expect(second).toBe('a');
  });

  it('runs distinct keys concurrently but never the same key twice at once', async () => {
    const { queue } = newQueue();
    const active = new Set<string>();
    let maxParallel = 0;
    const releases: (() => void)[] = [];
    const seen: string[] = [];
    const run = queue.run(async (key) => {
      expect(active.has(key)).toBe(false);
      active.add(key);
      seen.push(key);
      maxParallel = Math.max(maxParallel, active.size);
      await new Promise<void>((resolve) => releases.push(resolve));
      active.delete(key);
    }, 3);
    for (const key of ['a', 'b', 'c', 'a']) queue.add(key);
    await flushAsync();
    expect(maxParallel).toBe(3);
    queue.add('a');
    while (releases.length > 0) {
      releases.shift()?.();
      await flushAsync();
    }
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
    const drained = queue.shutdown();
    await Promise.all([drained, run]);
  });

  it('addAfter delivers keys in due order and keeps the earliest deadline for a key', async () => {
    const { clock, queue } = newQueue();
    queue.addAfter('late', 300);
    queue.addAfter('early', 100);
    queue.addAfter('late', 200);
    queue.addAfter('late', 500);
    clock.advance(99);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
    clock.advance(100);
    expect(await queue.get()).toBe('early');
    expect(await queue.get()).toBe('late');
    clock.advance(1000);
    expect(queue.len()).toBe(0);
  });

  it('addAfter with zero delay queues immediately', () => {
    const { queue } = newQueue();
    queue.addAfter('a', 0);
    expect(queue.len()).toBe(1);
  });

  it('grows the rate-limited delay exponentially from 5 ms, caps it at 10 s, and forget resets it', async () => {
    const { clock, queue } = newQueue();
    const delays: number[] = [];
    for (let i = 0; i < 14; i++) {
      queue.addRateLimited('k');
      let waited = 0;
      while (queue.len() === 0 && waited < 20_000) {
        clock.advance(1);
        waited++;
      }
      delays.push(waited);
      queue.done((await queue.get()) ?? '');
    }
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays.slice(11)).toEqual([10_000, 10_000, 10_000]);
    expect(Math.max(...delays)).toBe(10_000);
    expect(queue.numRequeues('k')).toBe(14);
    queue.forget('k');
    expect(queue.numRequeues('k')).toBe(0);
  });

  it('run() forgets on success, backs off on failure and honours requeueAfterMs', async () => {
    const { clock, queue } = newQueue();
    const calls: string[] = [];
    let failNext = true;
    const run = queue.run(async (key) => {
      calls.push(`${key}@${clock.monotonicMs()}`);
      if (failNext) {
        failNext = false;
        throw new Error('boom');
      }
      return key === 'a' ? { requeueAfterMs: 1000 } : undefined;
    });
    queue.add('a');
    await clock.advanceAsync(0);
    expect(queue.numRequeues('a')).toBe(1);
    await clock.advanceAsync(5);
    expect(queue.numRequeues('a')).toBe(0);
    await clock.advanceAsync(1000);
    expect(calls).toEqual(['a@0', 'a@5', 'a@1005']);
    await queue.shutdown();
    await run;
  });

  it('shutdown ignores new keys, cancels delayed ones, drains queued ones and waits for in-flight work', async () => {
    const { clock, queue } = newQueue();
    const processed: string[] = [];
    let release: () => void = () => {};
    const run = queue.run(async (key) => {
      processed.push(key);
      if (key === 'slow') await new Promise<void>((resolve) => (release = resolve));
    });
    queue.add('slow');
    await flushAsync();
    queue.add('queued');
    queue.addAfter('delayed', 50);
    let drained = false;
    const done = queue.shutdown().then(() => {
      drained = true;
    });
    queue.add('ignored');
    clock.advance(100);
    await flushAsync();
    expect(drained).toBe(false);
    release();
    await done;
    await run;
    expect(processed).toEqual(['slow', 'queued']);
    expect(await queue.get()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });
});
