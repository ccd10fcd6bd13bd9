import { describe, expect, it } from 'vitest';
import { ResilientInformer } from '../../../src/kube/informer.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeClock, flushAsync } from '../../../src/util/clock.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { FakeList, FakeWatch, fakeListWatchFactory, replicaSet } from './fakes.js';

const OWNED = { 'app.kubernetes.io/managed-by': 'vireo' };
const SELECTOR = 'app.kubernetes.io/managed-by=vireo';

function setup(opts: { stallTimeoutMs?: number; resyncPeriodMs?: number } = {}) {
  const clock = new FakeClock();
  const watch = new FakeWatch();
  const list = new FakeList<KubeObject>();
  const fake = fakeListWatchFactory<KubeObject>();
  const events: string[] = [];
  const informer = new ResilientInformer<KubeObject>({
    name: 'replicasets',
    path: '/apis/apps/v1/replicasets',
    list: list.list,
    watch,
    labelSelector: SELECTOR,
    listWatchFactory: fake.factory,
    clock,
    random: () => 0,
    logger: new MemoryLogger(),
    stallTimeoutMs: opts.stallTimeoutMs ?? 600_000,
    resyncPeriodMs: opts.resyncPeriodMs ?? 0,
    handlers: {
      onAdd: (o) => events.push(`add ${o.metadata?.name}`),
      onUpdate: (o, old) => events.push(`update ${o.metadata?.name} ${old?.metadata?.resourceVersion}`),
      onDelete: (o) => events.push(`delete ${o.metadata?.name}`),
      onResync: (o) => events.push(`resync ${o.metadata?.name}`),
    },
  });
  return { clock, watch, list, fake, events, informer };
}

describe('ResilientInformer', () => {
  it('requests bookmarks and a randomised 300–600 s timeout on the watch path and passes the selector', async () => {
    const { fake, informer } = setup();
    const path = fake.built().args.path;
    const url = new URL(path, 'https://x');
    expect(url.pathname).toBe('/apis/apps/v1/replicasets');
    expect(url.searchParams.get('allowWatchBookmarks')).toBe('true');
    const timeout = Number(url.searchParams.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThan(600);
    expect(fake.built().args.labelSelector).toBe(SELECTOR);
    await informer.stop();
  });

  it('caches only labelled objects, from list and watch, even when the server ignores the selector', async () => {
    const { list, watch, events, informer } = setup();
    list.items = [replicaSet('owned', OWNED), replicaSet('foreign', { app: 'x' })];
    await informer.start();
    expect(list.selectors).toEqual([SELECTOR]);
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['owned']);
    watch.last().emit('ADDED', replicaSet('foreign-2', {}));
    watch.last().emit('ADDED', replicaSet('owned-2', OWNED));
    expect(informer.get('ns', 'foreign-2')).toBeUndefined();
    expect(informer.get('ns', 'owned-2')).toBeDefined();
    watch.last().emit('MODIFIED', replicaSet('owned-2', {}, '2'));
    expect(informer.get('ns', 'owned-2')).toBeUndefined();
    expect(events).toEqual(['add owned', 'add owned-2', 'delete owned-2']);
    await informer.stop();
  });

  it('strips managedFields and freezes every cached object, from list and from watch', async () => {
    const { list, watch, informer } = setup();
    const seen: KubeObject[] = [];
    list.items = [replicaSet('a', OWNED)];
    await informer.start();
    watch.last().emit('ADDED', replicaSet('b', OWNED));
    for (const name of ['a', 'b']) {
      const obj = informer.get('ns', name);
      if (!obj) throw new Error(`missing ${name}`);
      seen.push(obj);
    }
    for (const obj of seen) {
      expect(obj.metadata).not.toHaveProperty('managedFields');
      expect(Object.isFrozen(obj)).toBe(true);
      expect(Object.isFrozen(obj.metadata?.labels)).toBe(true);
      expect(() => {
        (obj.metadata as { name?: string }).name = 'changed';
      }).toThrow(TypeError);
    }
    await informer.stop();
  });

  it('gives onUpdate the previous object and reports sync', async () => {
    const { list, watch, events, informer } = setup();
    list.items = [replicaSet('a', OWNED, '5')];
    expect(informer.hasSynced()).toBe(false);
    const synced = informer.waitForSync();
    await informer.start();
    await synced;
    expect(informer.hasSynced()).toBe(true);
    watch.last().emit('MODIFIED', replicaSet('a', OWNED, '6'));
    expect(events).toEqual(['add a', 'update a 5']);
    await informer.stop();
  });

  it('restarts after an error with exponential backoff, one restart at a time', async () => {
    const { clock, fake, informer } = setup();
    await informer.start();
    const lw = fake.built();
    expect(lw.starts).toBe(1);
    lw.fail(new Error('connection reset'));
    lw.fail(new Error('second report of the same outage'));
    await clock.advanceAsync(999);
    expect(lw.starts).toBe(1);
    await clock.advanceAsync(1);
    expect(lw.starts).toBe(2);
    lw.fail(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
    await clock.advanceAsync(1999);
    expect(lw.starts).toBe(2);
    await clock.advanceAsync(1);
    expect(lw.starts).toBe(3);
    await informer.stop();
  });

  it('retries a failing list with growing delays and resets the backoff once a list succeeds', async () => {
    const { clock, list, fake, informer } = setup();
    list.failWith = Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    await informer.start();
    const lw = fake.built();
    const startsAt: number[] = [];
    for (let t = 0; t < 8000; t += 100) {
      const before = lw.starts;
      await clock.advanceAsync(100);
      if (lw.starts > before) startsAt.push(clock.monotonicMs());
    }
    expect(startsAt).toEqual([1000, 3000, 7000]);
    expect(informer.hasSynced()).toBe(false);
    list.failWith = undefined;
    await clock.advanceAsync(8000);
    expect(lw.starts).toBe(5);
    expect(informer.hasSynced()).toBe(true);
    lw.fail(new Error('later failure'));
    await clock.advanceAsync(999);
    expect(lw.starts).toBe(5);
    await clock.advanceAsync(1);
    expect(lw.starts).toBe(6);
    await informer.stop();
  });

  it('ignores errors reported while stopped and aborts from its own restarts', async () => {
    const { clock, fake, informer } = setup();
    await informer.start();
    const lw = fake.built();
    lw.fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    await informer.stop();
    lw.fail(new Error('late error'));
    await clock.advanceAsync(120_000);
    expect(lw.starts).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('restarts a watch that stays silent past the stall timeout, but not one that receives bookmarks', async () => {
    const { clock, watch, fake, informer } = setup({ stallTimeoutMs: 60_000 });
    await informer.start();
    const lw = fake.built();
    for (let i = 0; i < 5; i++) {
      await clock.advanceAsync(30_000);
      watch.last().emit('BOOKMARK', { metadata: { resourceVersion: String(10 + i) } });
    }
    expect(lw.stops).toBe(0);
    await clock.advanceAsync(59_999);
    expect(lw.stops).toBe(0);
    await clock.advanceAsync(1);
    expect(lw.stops).toBe(1);
    expect(lw.starts).toBe(2);
    await clock.advanceAsync(59_999);
    expect(lw.starts).toBe(2);
    await clock.advanceAsync(1);
    expect(lw.starts).toBe(3);
    await informer.stop();
  });

  it('drops events from a watch that was replaced by a restart', async () => {
    const { clock, watch, informer } = setup({ stallTimeoutMs: 60_000 });
    await informer.start();
    const stale = watch.last();
    await clock.advanceAsync(60_000);
    expect(watch.calls.length).toBe(2);
    stale.emit('ADDED', replicaSet('ghost', OWNED));
    expect(informer.get('ns', 'ghost')).toBeUndefined();
    watch.last().emit('ADDED', replicaSet('real', OWNED));
    expect(informer.get('ns', 'real')).toBeDefined();
    await informer.stop();
  });

  it('calls onResync for every cached object once per period', async () => {
    const { clock, list, events, informer } = setup({ resyncPeriodMs: 600_000 });
    list.items = [replicaSet('a', OWNED), replicaSet('b', OWNED)];
    await informer.start();
    events.length = 0;
    await clock.advanceAsync(599_999);
    expect(events).toEqual([]);
    await clock.advanceAsync(1);
    expect(events).toEqual(['resync a', 'resync b']);
    await clock.advanceAsync(600_000);
    expect(events).toHaveLength(4);
    await informer.stop();
  });

  it('keeps going when a handler throws', async () => {
    const clock = new FakeClock();
    const watch = new FakeWatch();
    const list = new FakeList<KubeObject>();
    const fake = fakeListWatchFactory<KubeObject>();
    const logger = new MemoryLogger();
    const informer = new ResilientInformer<KubeObject>({
      name: 'rs',
      path: '/apis/apps/v1/replicasets',
      list: list.list,
      watch,
      listWatchFactory: fake.factory,
      clock,
      logger,
      handlers: {
        onAdd: () => {
          throw new Error('handler bug');
        },
      },
    });
    await informer.start();
    watch.last().emit('ADDED', replicaSet('a', {}));
    watch.last().emit('ADDED', replicaSet('b', {}));
    await flushAsync();
    expect(informer.list()).toHaveLength(2);
    expect(logger.lines.filter((l) => l.message === 'informer handler threw')).toHaveLength(2);
    await informer.stop();
  });

  it('feeds every subscribed handler set from one watch and one cache', async () => {
    const { clock, list, watch, events, informer } = setup({ resyncPeriodMs: 600_000 });
    const second: string[] = [];
    informer.addHandlers({
      onAdd: (o) => second.push(`add ${o.metadata?.name}`),
      onUpdate: (o) => second.push(`update ${o.metadata?.name}`),
      onDelete: (o) => second.push(`delete ${o.metadata?.name}`),
      onResync: (o) => second.push(`resync ${o.metadata?.name}`),
    });
    list.items = [replicaSet('a', OWNED)];
    await informer.start();
    watch.last().emit('DELETED', replicaSet('a', OWNED));
    watch.last().emit('ADDED', replicaSet('b', OWNED));
    await clock.advanceAsync(600_000);
    expect(second).toEqual(['add a', 'delete a', 'add b', 'resync b']);
    expect(events).toEqual(['add a', 'delete a', 'add b', 'resync b']);
    await informer.stop();
  });
});
