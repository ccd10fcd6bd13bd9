import { describe, expect, it } from 'vitest';
import type { KubeClient, ObjectRef, Patch, ResourceType } from '../../../src/kube/client.js';
import { EventRecorder } from '../../../src/kube/events.js';
import type { ObjectCache } from '../../../src/kube/object-cache.js';
import type { KubeList, KubeObject } from '../../../src/kube/types.js';
import { DEFAULT_EXPECTATION_TTL_MS, WriteExpectations } from '../../../src/kube/write-expectations.js';
import { EXPECTATIONS_REQUEUE_MS, reconcileRollout } from '../../../src/rollout/reconcile/reconciler.js';
import { FakeClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { aRollout } from './fixtures.js';

const KEY = 'default/demo';

/** Records every write; creates and patches answer with a bumped generation and resourceVersion. */
class RecordingClient implements KubeClient {
  readonly writes: string[] = [];
  readonly created: KubeObject[] = [];
  /** The last status written, with the resourceVersion the server answered. */
  status: { body: object; resourceVersion: string } | undefined;
  private rv = 100;

  async get<T extends KubeObject>(): Promise<T> {
    throw new Error('not used');
  }
  async list<T extends KubeObject>(): Promise<KubeList<T>> {
    return { items: [] };
  }
  async create<T extends KubeObject>(res: ResourceType, _ns: string | undefined, body: T): Promise<T> {
    this.writes.push(`create ${res.plural} ${body.metadata?.name}`);
    const stored = { ...body, metadata: { ...body.metadata, generation: 1, resourceVersion: this.nextRv() } };
    this.created.push(stored);
    return stored;
  }
  async replace<T extends KubeObject>(): Promise<T> {
    throw new Error('not used');
  }
  async patch<T extends KubeObject>(res: ResourceType, ref: ObjectRef, _patch: Patch): Promise<T> {
    this.writes.push(`patch ${res.plural} ${ref.name}`);
    return { metadata: { name: ref.name, generation: 2, resourceVersion: this.nextRv() } } as T;
  }
  async patchStatus<T extends KubeObject>(res: ResourceType, ref: ObjectRef, patch: Patch): Promise<T> {
    this.writes.push(`patch ${res.plural}/status ${ref.name}`);
    const resourceVersion = this.nextRv();
    this.status = { body: patch.type === 'json' ? {} : (patch.body as object), resourceVersion };
    return { metadata: { name: ref.name, resourceVersion } } as T;
  }
  async delete(res: ResourceType, ref: ObjectRef): Promise<void> {
    this.writes.push(`delete ${res.plural} ${ref.name}`);
  }
  private nextRv(): string {
    this.rv += 1;
    return String(this.rv);
  }
}

/** An informer cache the test fills by hand ("the watch delivered it"). */
class MapCache implements ObjectCache<KubeObject> {
  readonly objects = new Map<string, KubeObject>();
  get(_ns: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(name);
  }
  list(): KubeObject[] {
    return [...this.objects.values()];
  }
}

function setup() {
  const clock = new FakeClock();
  const client = new RecordingClient();
  const rollouts = new MapCache();
  const replicaSets = new MapCache();
  const rollout = aRollout({ replicas: 2 });
  rollouts.objects.set('demo', {
    ...rollout,
    metadata: { ...rollout.metadata, uid: 'uid-demo', resourceVersion: '1' },
  });
  const events = new EventRecorder({
    sink: { create: async () => ({}), update: async () => ({}) },
    clock,
    instance: 'test',
  });
  const expectations = new WriteExpectations({ clock });
  const deps = { client, events, clock, logger: silentLogger, rollouts, replicaSets, expectations };
  /** The watch delivers the created ReplicaSets and the Rollout with its first status write. */
  const deliver = (what: { replicaSets: boolean; rollout: boolean }) => {
    if (what.replicaSets)
      for (const rs of client.created) replicaSets.objects.set(rs.metadata?.name ?? '', rs);
    const demo = rollouts.objects.get('demo');
    if (!what.rollout || !demo || !client.status) return;
    const metadata = { ...demo.metadata, resourceVersion: client.status.resourceVersion };
    rollouts.objects.set('demo', { ...demo, ...client.status.body, metadata });
  };
  return { clock, client, deps, deliver };
}

const replicaSetWrites = (writes: string[]) => writes.filter((w) => w.includes(' replicasets '));

describe('reconcileRollout with write expectations', () => {
  it('does not plan again from caches that have not shown its own create and status write', async () => {
    const { client, deps, deliver } = setup();
    await reconcileRollout(deps, KEY);
    expect(client.writes).toEqual([
      expect.stringMatching(/^create replicasets demo-/),
      'patch rollouts/status demo',
    ]);
    const held = { requeueAfterMs: EXPECTATIONS_REQUEUE_MS };
    expect(await reconcileRollout(deps, KEY)).toEqual(held);
    deliver({ replicaSets: true, rollout: false });
    expect(await reconcileRollout(deps, KEY)).toEqual(held);
    expect(client.writes).toHaveLength(2);

    deliver({ replicaSets: true, rollout: true });
    await reconcileRollout(deps, KEY);
    expect(replicaSetWrites(client.writes)).toHaveLength(1);
  });

  it('holds a pass whose ReplicaSet cache lags even when the Rollout cache is current', async () => {
    const { client, deps, deliver } = setup();
    await reconcileRollout(deps, KEY);
    deliver({ replicaSets: false, rollout: true });
    expect(await reconcileRollout(deps, KEY)).toEqual({ requeueAfterMs: EXPECTATIONS_REQUEUE_MS });
    expect(client.writes).toHaveLength(2);
  });

  it('plans anyway once the expectation has expired (a lost watch event cannot wedge the Rollout)', async () => {
    const { clock, client, deps } = setup();
    await reconcileRollout(deps, KEY);
    clock.advance(DEFAULT_EXPECTATION_TTL_MS);
    await reconcileRollout(deps, KEY);
    expect(replicaSetWrites(client.writes)).toHaveLength(2);
  });

  it('forgets the expectations of a deleted Rollout', async () => {
    const { deps } = setup();
    await reconcileRollout(deps, KEY);
    expect(deps.expectations.size()).toBe(1);
    deps.rollouts.objects.clear();
    expect(await reconcileRollout(deps, KEY)).toEqual({});
    expect(deps.expectations.size()).toBe(0);
  });
});
