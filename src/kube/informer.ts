import { type BackoffOptions, backoffDelay } from '../util/backoff.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { type Logger, silentLogger } from '../util/logger.js';
import { type LabelSelector, parseLabelSelector } from './label-selector.js';
import {
  clientNodeListWatch,
  type ListWatchFactory,
  type ListWatchLike,
  type WatchApi,
} from './list-watch.js';
import {
  errorStatus,
  isAbortError,
  prepareForCache,
  randomWatchTimeoutSeconds,
  withWatchParams,
} from './object-prep.js';
import { type KubeList, type KubeObject, objectKey } from './types.js';

/** Callbacks; objects are deep-frozen cache entries (copy before changing). Exceptions are logged. */
export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(obj: T, old: T | undefined): void;
  onDelete?(obj: T): void;
  /** Called for every cached object once per resync period. */
  onResync?(obj: T): void;
}

/** Construction options of {@link ResilientInformer}. */
export interface InformerOptions<T> {
  /** Informer name for logs, e.g. `replicasets`. */
  name: string;
  /** Collection path, e.g. `/apis/apps/v1/replicasets` (all namespaces) or a namespaced one. */
  path: string;
  /** Lists the collection (raw JSON), applying the given label selector server-side. */
  list(opts: { labelSelector?: string }): Promise<KubeList<T>>;
  watch: WatchApi;
  labelSelector?: string;
  handlers?: InformerHandlers<T>;
  listWatchFactory?: ListWatchFactory<T>;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  /** Server-side watch timeout; default random in [300, 600). */
  timeoutSeconds?: number;
  /** Restart when nothing (event, bookmark, reconnect) arrived for this long; default 2 × timeout. */
  stallTimeoutMs?: number;
  /** Period of `onResync`; default 10 min, 0 disables. */
  resyncPeriodMs?: number;
  /** Restart delay after errors; default 1 s doubling to 60 s, 50 % jitter. */
  restartBackoff?: BackoffOptions;
}

class StaleListError extends Error {}

type State = 'new' | 'running' | 'stopped';

/**
 * A list+watch cache over client-node's `ListWatch` that keeps itself alive.
 * Invariants: only objects matching the label selector are cached (server-side filter on list and
 * watch, re-checked client-side); cached objects have no `managedFields` and are deep-frozen; after any
 * error the watch restarts with exponential backoff and jitter, with at most one restart pending;
 * a watch that stays silent past the stall timeout is restarted; a 410 Gone triggers a full re-list
 * (done by `ListWatch`) that reports objects deleted meanwhile through `onDelete`.
 */
export class ResilientInformer<T extends KubeObject> {
  private readonly opts: InformerOptions<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly selector: LabelSelector | undefined;
  private readonly lw: ListWatchLike<T>;
  private readonly known = new Map<string, T>();
  private readonly stallTimeoutMs: number;
  private state: State = 'new';
  private generation = 0;
  private failures = 0;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private lastActivityMs = 0;
  private restartTimer: TimerHandle | undefined;
  private watchdogTimer: TimerHandle | undefined;
  private resyncTimer: TimerHandle | undefined;
  private restarting = false;
  private readonly handlerSets: InformerHandlers<T>[] = [];

  constructor(opts: InformerOptions<T>) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.selector = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    const timeoutSeconds = opts.timeoutSeconds ?? randomWatchTimeoutSeconds(opts.random);
    this.stallTimeoutMs = opts.stallTimeoutMs ?? 2 * timeoutSeconds * 1000;
    const factory = opts.listWatchFactory ?? clientNodeListWatch<T>();
    this.lw = factory({
      path: withWatchParams(opts.path, timeoutSeconds),
      watch: { watch: (path, params, cb, done) => this.tappedWatch(path, params, cb, done) },
      list: () => this.tappedList(),
      labelSelector: opts.labelSelector,
    });
    if (opts.handlers) this.handlerSets.push(opts.handlers);
    this.registerCallbacks();
  }

  /**
   * Subscribes another set of handlers, so several controllers share one watch and one cache (as
   * client-go's shared informers do). Objects already cached are not replayed; subscribe before `start`.
   */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlerSets.push(handlers);
  }

  /** Starts listing and watching; resolves after the first attempt (use `waitForSync` to await the cache). */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.touch();
    this.armWatchdog();
    this.armResync();
    await this.lw.start();
  }

  /** Stops watching and cancels every timer; the cache keeps its last contents. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.generation++;
    for (const timer of [this.restartTimer, this.watchdogTimer, this.resyncTimer]) {
      if (timer) this.clock.clearTimeout(timer);
    }
    this.restartTimer = this.watchdogTimer = this.resyncTimer = undefined;
    await this.lw.stop();
  }

  /** True once the first list has been loaded into the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once {@link hasSynced} is true. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Cached objects, optionally of one namespace; a fresh array of frozen objects. */
  list(namespace?: string): T[] {
    return [...this.lw.list(namespace)];
  }

  /** The cached object `namespace/name`, if any. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  private registerCallbacks(): void {
    const each = (event: string, call: (h: InformerHandlers<T>) => void) => {
      for (const h of this.handlerSets) this.safely(event, () => call(h));
    };
    this.lw.on('add', (obj) => {
      this.known.set(objectKey(obj), obj);
      each('add', (h) => h.onAdd?.(obj));
    });
    this.lw.on('update', (obj) => {
      const key = objectKey(obj);
      const old = this.known.get(key);
      this.known.set(key, obj);
      each('update', (h) => h.onUpdate?.(obj, old));
    });
    this.lw.on('delete', (obj) => {
      this.known.delete(objectKey(obj));
      each('delete', (h) => h.onDelete?.(obj));
    });
    this.lw.on('error', (err) => this.onError(err));
  }

  private safely(event: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ informer: this.opts.name, event, err }, 'informer handler threw');
    }
  }

  private async tappedList(): Promise<KubeList<T>> {
    const generation = this.generation;
    const result = await this.opts.list({ labelSelector: this.opts.labelSelector });
    if (generation !== this.generation || this.state !== 'running') throw new StaleListError('stale list');
    const items = (result.items ?? []).filter((obj) => this.selected(obj)).map((obj) => prepareForCache(obj));
    this.touch();
    this.failures = 0;
    this.logger.debug({ informer: this.opts.name, count: items.length }, 'listed');
    return { ...result, items };
  }

  private async tappedWatch(
    path: string,
    params: Record<string, string | number | boolean | undefined>,
    cb: (phase: string, obj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const generation = this.generation;
    this.markSynced();
    this.touch();
    const current = () => generation === this.generation;
    const onEvent = (phase: string, obj: unknown, watchObj?: unknown) => {
      if (!current()) return;
      this.touch();
      const [p, o] = this.filterEvent(phase, obj);
      cb(p, o, watchObj);
    };
    const controller = await this.opts.watch.watch(path, params, onEvent, (err) => {
      if (current()) done(err);
    });
    if (current()) return controller;
    // A restart happened while this watch was connecting: close it, and never hand it to ListWatch,
    // which would otherwise overwrite its handle on the current watch with this one.
    controller.abort();
    return new Promise<AbortController>(() => {});
  }

  private filterEvent(phase: string, obj: unknown): [string, unknown] {
    if (phase === 'ERROR') {
      this.logger.info({ informer: this.opts.name, status: errorStatus(obj) }, 'watch reported an error');
      return [phase, obj];
    }
    if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return [phase, obj];
    this.failures = 0;
    const typed = prepareForCache(obj as T);
    return [phase !== 'DELETED' && !this.selected(typed) ? 'DELETED' : phase, typed];
  }

  private selected(obj: T): boolean {
    return !this.selector || this.selector.matches(obj.metadata?.labels);
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private touch(): void {
    this.lastActivityMs = this.clock.monotonicMs();
  }

  private onError(err: unknown): void {
    if (this.state !== 'running' || isAbortError(err) || err instanceof StaleListError) return;
    this.logger.warn(
      { informer: this.opts.name, err, status: errorStatus(err), failures: this.failures },
      'list/watch failed; restarting with backoff',
    );
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.restartTimer || this.state !== 'running') return;
    const backoff = this.opts.restartBackoff ?? { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
    const delay = backoffDelay(this.failures++, backoff, this.opts.random);
    this.restartTimer = this.clock.setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart('error');
    }, delay);
  }

  private async restart(reason: 'error' | 'stall'): Promise<void> {
    if (this.restarting || this.state !== 'running') return;
    this.restarting = true;
    this.logger.info({ informer: this.opts.name, reason }, 'restarting watch');
    this.generation++;
    this.touch();
    try {
      await this.lw.stop();
    } finally {
      this.restarting = false;
    }
    if (this.state === 'running') await this.lw.start();
  }

  private armWatchdog(): void {
    const idle = this.clock.monotonicMs() - this.lastActivityMs;
    const wait = Math.max(1, this.stallTimeoutMs - idle);
    this.watchdogTimer = this.clock.setTimeout(() => {
      if (this.state !== 'running') return;
      const silentMs = this.clock.monotonicMs() - this.lastActivityMs;
      if (silentMs >= this.stallTimeoutMs && !this.restartTimer) {
        this.logger.warn({ informer: this.opts.name, silentMs }, 'watch silent too long; restarting');
        void this.restart('stall');
      }
      this.armWatchdog();
    }, wait);
  }

  private armResync(): void {
    const period = this.opts.resyncPeriodMs ?? 10 * 60_000;
    if (period <= 0) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.state !== 'running') return;
      if (this.synced) {
        for (const obj of this.lw.list()) {
          for (const h of this.handlerSets) this.safely('resync', () => h.onResync?.(obj));
        }
      }
      this.armResync();
    }, period);
  }
}
