import { describe, expect, it } from 'vitest';
import { ResilientInformer } from '../../../src/kube/informer.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { FakeClock, flushAsync } from '../../../src/util/clock.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { FakeList, FakeWatch, replicaSet } from './fakes.js';

/** These tests drive client-node's real ListWatch (the default factory) through a scripted watch endpoint. */
function setup() {
  const clock = new FakeClock();
  const watch = new FakeWatch();
  const list = new FakeList<KubeObject>();
  const logger = new MemoryLogger();
  const events: string[] = [];
  const informer = new ResilientInformer<KubeObject>({
    name: 'replicasets',
    path: '/apis/apps/v1/namespaces/ns/replicasets',
    list: list.list,
    watch,
    labelSelector: 'owner=vireo',
    clock,
    logger,
    random: () => 0,
    stallTimeoutMs: 60_000,
    resyncPeriodMs: 0,
    handlers: {
      onAdd: (o) => events.push(`add ${o.metadata?.name}`),
      onDelete: (o) => events.push(`delete ${o.metadata?.name}`),
    },
  });
  return { clock, watch, list, logger, events, informer };
}

const OWNED = { owner: 'vireo' };

describe('ResilientInformer over client-node ListWatch', () => {
  it('sends the label selector and resourceVersion on the watch', async () => {
    const { list, watch, informer } = setup();
    list.items = [replicaSet('a', OWNED)];
    list.resourceVersion = '42';
    await informer.start();
    expect(watch.last().params).toMatchObject({ labelSelector: 'owner=vireo', resourceVersion: '42' });
    expect(watch.last().path).toContain('allowWatchBookmarks=true');
    await informer.stop();
  });

  it('re-lists after an in-stream 410 Gone and reports objects deleted meanwhile', async () => {
    const { list, watch, events, informer } = setup();
    list.items = [replicaSet('a', OWNED), replicaSet('b', OWNED)];
    await informer.start();
    list.items = [replicaSet('a', OWNED)];
    list.resourceVersion = '99';
    watch.last().emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    watch.last().close();
    await flushAsync();
    expect(list.selectors).toHaveLength(2);
    expect(events).toEqual(['add a', 'add b', 'delete b']);
    expect(watch.last().params.resourceVersion).toBe('99');
    await informer.stop();
  });

  it('re-lists when the watch request itself fails with HTTP 410', async () => {
    const { list, watch, events, informer } = setup();
    list.items = [replicaSet('a', OWNED)];
    await informer.start();
    list.items = [replicaSet('c', OWNED)];
    watch.last().close(Object.assign(new Error('Gone'), { statusCode: 410 }));
    await flushAsync();
    expect(list.selectors).toHaveLength(2);
    expect(events).toEqual(['add a', 'delete a', 'add c']);
    await informer.stop();
  });

  it('resumes from the last resourceVersion without re-listing after a normal close', async () => {
    const { list, watch, informer } = setup();
    await informer.start();
    watch.last().emit('BOOKMARK', { metadata: { resourceVersion: '7' } });
    watch.last().close();
    await flushAsync();
    expect(list.selectors).toHaveLength(1);
    expect(watch.calls).toHaveLength(2);
    expect(watch.last().params.resourceVersion).toBe('7');
    await informer.stop();
  });

  it('restarts a failed watch after backoff and resumes from its resourceVersion', async () => {
    const { clock, list, watch, informer } = setup();
    list.resourceVersion = '5';
    await informer.start();
    watch.last().close(Object.assign(new Error('Internal Server Error'), { statusCode: 500 }));
    await clock.advanceAsync(999);
    expect(watch.calls).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(watch.calls).toHaveLength(2);
    expect(watch.last().params.resourceVersion).toBe('5');
    expect(list.selectors).toHaveLength(1);
    await informer.stop();
  });

  it('replaces a silent watch: aborts the old request, opens one new watch, schedules no error restart', async () => {
    const { clock, watch, logger, informer } = setup();
    await informer.start();
    const first = watch.last();
    await clock.advanceAsync(60_000);
    expect(first.controller.signal.aborted).toBe(true);
    expect(watch.calls).toHaveLength(2);
    expect(logger.lines.some((l) => l.message.startsWith('list/watch failed'))).toBe(false);
    await clock.advanceAsync(30_000);
    expect(watch.calls).toHaveLength(2);
    await informer.stop();
    expect(watch.last().controller.signal.aborted).toBe(true);
  });
});
