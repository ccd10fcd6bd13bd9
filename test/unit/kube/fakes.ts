import type { ListWatchFactory, ListWatchLike, WatchApi } from '../../../src/kube/list-watch.js';
import type { KubeList, KubeObject } from '../../../src/kube/types.js';

type Cb = (phase: string, obj: unknown, watchObj?: unknown) => void;
type Done = (err: unknown) => void;

/** One watch request made through {@link FakeWatch}. */
export interface WatchCall {
  path: string;
  params: Record<string, string | number | boolean | undefined>;
  emit(phase: string, obj: unknown): void;
  close(err?: unknown): void;
  controller: AbortController;
}

/**
 * A scripted API-server watch endpoint: every call is recorded and stays open until the test closes it.
 * Aborting a call reports an AbortError through `done`, as client-node's Watch does.
 */
export class FakeWatch implements WatchApi {
  readonly calls: WatchCall[] = [];

  async watch(
    path: string,
    params: Record<string, string | number | boolean | undefined>,
    cb: Cb,
    done: Done,
  ): Promise<AbortController> {
    const controller = new AbortController();
    let closed = false;
    const close = (err?: unknown) => {
      if (closed) return;
      closed = true;
      done(err ?? null);
    };
    controller.signal.addEventListener('abort', () => {
      const err = new Error('The user aborted a request.');
      err.name = 'AbortError';
      close(err);
    });
    this.calls.push({ path, params, emit: (phase, obj) => !closed && cb(phase, obj, {}), close, controller });
    return controller;
  }

  last(): WatchCall {
    const call = this.calls.at(-1);
    if (!call) throw new Error('no watch call yet');
    return call;
  }
}

/** A scripted list endpoint: returns `items` (ignoring selectors, like a misbehaving server) or fails. */
export class FakeList<T extends KubeObject> {
  items: T[] = [];
  resourceVersion = '1';
  failWith: unknown;
  readonly selectors: (string | undefined)[] = [];

  readonly list = async (opts: { labelSelector?: string }): Promise<KubeList<T>> => {
    this.selectors.push(opts.labelSelector);
    if (this.failWith !== undefined) throw this.failWith;
    return { metadata: { resourceVersion: this.resourceVersion }, items: structuredClone(this.items) };
  };
}

type Verb = 'add' | 'update' | 'delete' | 'error' | 'connect';

/**
 * A minimal hand-written stand-in for client-node's ListWatch: lists on start when it has no
 * resourceVersion, then watches through the provided (tapped) watch; `fail()` emits `error` and stops,
 * as ListWatch does on non-410 failures.
 */
export class FakeListWatch<T extends KubeObject> implements ListWatchLike<T> {
  starts = 0;
  stops = 0;
  private readonly objects = new Map<string, T>();
  private readonly callbacks = new Map<Verb, ((arg: never) => void)[]>();
  private resourceVersion = '';

  constructor(readonly args: Parameters<ListWatchFactory<T>>[0]) {}

  on(verb: 'add' | 'update' | 'delete', cb: (obj: T) => void): void;
  on(verb: 'error' | 'connect', cb: (err?: unknown) => void): void;
  on(verb: Verb, cb: (arg: never) => void): void {
    this.callbacks.set(verb, [...(this.callbacks.get(verb) ?? []), cb]);
  }

  async start(): Promise<void> {
    this.starts++;
    if (!this.resourceVersion) {
      let list: KubeList<T>;
      try {
        list = await this.args.list();
      } catch (err) {
        this.fail(err);
        return;
      }
      for (const obj of list.items) this.upsert(obj);
      this.resourceVersion = list.metadata?.resourceVersion ?? '';
    }
    await this.args.watch.watch(
      this.args.path,
      { resourceVersion: this.resourceVersion },
      (phase, obj) => {
        const o = obj as T;
        if (phase === 'ADDED' || phase === 'MODIFIED') this.upsert(o);
        if (phase === 'DELETED' && this.objects.delete(key(o))) this.fire('delete', o);
      },
      () => {},
    );
  }

  async stop(): Promise<void> {
    this.stops++;
  }

  fail(err: unknown): void {
    this.fire('error', err);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }

  list(namespace?: string): ReadonlyArray<T> {
    return [...this.objects.values()].filter((o) => !namespace || o.metadata?.namespace === namespace);
  }

  private upsert(obj: T): void {
    const existed = this.objects.has(key(obj));
    this.objects.set(key(obj), obj);
    this.fire(existed ? 'update' : 'add', obj);
  }

  private fire(verb: Verb, arg: unknown): void {
    for (const cb of this.callbacks.get(verb) ?? []) (cb as (a: unknown) => void)(arg);
  }
}

function key(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** A factory that records the FakeListWatch it builds. */
export function fakeListWatchFactory<T extends KubeObject>(): {
  factory: ListWatchFactory<T>;
  built: () => FakeListWatch<T>;
} {
  let instance: FakeListWatch<T> | undefined;
  return {
    factory: (args) => {
      instance = new FakeListWatch<T>(args);
      return instance;
    },
    built: () => {
      if (!instance) throw new Error('factory not called');
      return instance;
    },
  };
}

/** A ReplicaSet-shaped object with managedFields, as the API server returns it. */
export function replicaSet(
  name: string,
  labels: Record<string, string>,
  resourceVersion = '1',
): KubeObject & {
  spec: { replicas: number };
} {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      resourceVersion,
      labels,
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': {} } }],
    },
    spec: { replicas: 1 },
  };
}
