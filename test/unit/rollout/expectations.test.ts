import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/types.js';
import {
  type CachedObject,
  DEFAULT_EXPECTATION_TTL_MS,
  WriteExpectations,
} from '../../../src/kube/write-expectations.js';
import { FakeClock } from '../../../src/util/clock.js';

const KEY = 'default/demo';

/** A hand-written informer cache: ReplicaSets by name, replaced as the "watch" delivers them. */
class FakeCache {
  private readonly objects = new Map<string, KubeObject>();
  readonly lookup: CachedObject = (kind, name) => this.objects.get(`${kind}/${name}`);

  put(
    name: string,
    generation: number,
    resourceVersion: string,
    deleting = false,
    kind = 'ReplicaSet',
  ): void {
    const metadata = { name, generation, resourceVersion };
    this.objects.set(`${kind}/${name}`, {
      metadata: deleting ? { ...metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } : metadata,
    });
  }

  remove(name: string): void {
    this.objects.delete(`ReplicaSet/${name}`);
  }
}

function setup(ttlMs?: number) {
  const clock = new FakeClock();
  const store = new WriteExpectations({ clock, ...(ttlMs === undefined ? {} : { ttlMs }) });
  return { clock, store, cache: new FakeCache() };
}

describe('WriteExpectations', () => {
  it('holds nothing for a key without writes', () => {
    const { store, cache } = setup();
    store.expect(KEY, []);
    expect(store.check(KEY, cache.lookup)).toEqual({ state: 'satisfied' });
    expect(store.size()).toBe(0);
  });

  it('waits for a patched ReplicaSet until the cache shows its generation, then forgets it', () => {
    const { store, cache } = setup();
    cache.put('demo-canary', 3, '100');
    store.expect(KEY, [
      { kind: 'ReplicaSet', verb: 'patch', name: 'demo-canary', generation: 4, resourceVersion: '120' },
    ]);
    expect(store.check(KEY, cache.lookup)).toEqual({
      state: 'pending',
      waitingFor: ['ReplicaSet/demo-canary'],
    });
    cache.put('demo-canary', 4, '120');
    expect(store.check(KEY, cache.lookup)).toEqual({ state: 'satisfied' });
    expect(store.size()).toBe(0);
  });

  it('counts a later generation (someone else wrote after us) as caught up', () => {
    const { store, cache } = setup();
    store.expect(KEY, [
      { kind: 'ReplicaSet', verb: 'patch', name: 'demo-stable', generation: 4, resourceVersion: '120' },
    ]);
    cache.put('demo-stable', 5, '110');
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('uses the resourceVersion for writes that keep the generation (annotations only)', () => {
    const { store, cache } = setup();
    cache.put('demo-canary', 4, '120');
    store.expect(KEY, [
      { kind: 'ReplicaSet', verb: 'patch', name: 'demo-canary', generation: 4, resourceVersion: '125' },
    ]);
    expect(store.check(KEY, cache.lookup).state).toBe('pending');
    cache.put('demo-canary', 4, '131'); // a later status update by the ReplicaSet controller
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('never holds back on a resourceVersion it cannot order', () => {
    const { store, cache } = setup();
    cache.put('demo-canary', 4, 'opaque-a');
    store.expect(KEY, [
      { kind: 'ReplicaSet', verb: 'patch', name: 'demo-canary', generation: 4, resourceVersion: 'opaque-b' },
    ]);
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('waits for a created ReplicaSet to appear, also when the create answered AlreadyExists', () => {
    const { store, cache } = setup();
    store.expect(KEY, [
      { kind: 'ReplicaSet', verb: 'create', name: 'demo-new', generation: 1, resourceVersion: '200' },
      { kind: 'ReplicaSet', verb: 'create', name: 'demo-old' },
    ]);
    expect(store.check(KEY, cache.lookup)).toEqual({
      state: 'pending',
      waitingFor: ['ReplicaSet/demo-new', 'ReplicaSet/demo-old'],
    });
    cache.put('demo-old', 7, '50');
    expect(store.check(KEY, cache.lookup)).toEqual({ state: 'pending', waitingFor: ['ReplicaSet/demo-new'] });
    cache.put('demo-new', 1, '200');
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('waits for a deleted ReplicaSet to leave the cache or to show its deletionTimestamp', () => {
    const { store, cache } = setup();
    cache.put('demo-a', 2, '10');
    cache.put('demo-b', 2, '11');
    store.expect(KEY, [
      { kind: 'ReplicaSet', verb: 'delete', name: 'demo-a' },
      { kind: 'ReplicaSet', verb: 'delete', name: 'demo-b' },
    ]);
    expect(store.check(KEY, cache.lookup).state).toBe('pending');
    cache.remove('demo-a');
    cache.put('demo-b', 2, '12', true);
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('gives up after the TTL, reports what it gave up on once, and then holds nothing', () => {
    const { clock, store, cache } = setup();
    cache.put('demo-canary', 3, '100');
    store.expect(KEY, [{ kind: 'ReplicaSet', verb: 'patch', name: 'demo-canary', generation: 4 }]);
    clock.advance(DEFAULT_EXPECTATION_TTL_MS - 1);
    expect(store.check(KEY, cache.lookup).state).toBe('pending');
    clock.advance(1);
    expect(store.check(KEY, cache.lookup)).toEqual({
      state: 'expired',
      waitingFor: ['ReplicaSet/demo-canary'],
    });
    expect(store.check(KEY, cache.lookup)).toEqual({ state: 'satisfied' });
    expect(store.size()).toBe(0);
  });

  it('lets a later write of the same ReplicaSet replace the expectation and restart its deadline', () => {
    const { clock, store, cache } = setup(1000);
    cache.put('demo-canary', 3, '100');
    store.expect(KEY, [{ kind: 'ReplicaSet', verb: 'patch', name: 'demo-canary', generation: 4 }]);
    clock.advance(900);
    store.expect(KEY, [{ kind: 'ReplicaSet', verb: 'delete', name: 'demo-canary' }]);
    clock.advance(900);
    expect(store.check(KEY, cache.lookup)).toEqual({
      state: 'pending',
      waitingFor: ['ReplicaSet/demo-canary'],
    });
    cache.remove('demo-canary');
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('waits for the Rollout cache to show a status write, by resourceVersion alone', () => {
    const { store, cache } = setup();
    cache.put('demo', 1, '300', false, 'Rollout');
    store.expect(KEY, [{ kind: 'Rollout', verb: 'patch', name: 'demo', resourceVersion: '301' }]);
    expect(store.check(KEY, cache.lookup)).toEqual({ state: 'pending', waitingFor: ['Rollout/demo'] });
    cache.put('demo', 1, '301', false, 'Rollout');
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });

  it('keeps Rollout keys apart and forgets a key on request', () => {
    const { store, cache } = setup();
    store.expect(KEY, [{ kind: 'ReplicaSet', verb: 'create', name: 'demo-1' }]);
    store.expect('default/other', [{ kind: 'ReplicaSet', verb: 'create', name: 'other-1' }]);
    cache.put('other-1', 1, '5');
    expect(store.check('default/other', cache.lookup).state).toBe('satisfied');
    expect(store.check(KEY, cache.lookup).state).toBe('pending');
    store.forget(KEY);
    expect(store.check(KEY, cache.lookup).state).toBe('satisfied');
  });
});
