import { Resources, type ResourceType } from '../../kube/resources.js';
import type { KubeObject } from '../../kube/types.js';

/** The collections the dashboard watches. */
export type FeedKind = 'rollouts' | 'replicasets' | 'pods' | 'analysisruns' | 'events';

/** Each kind's REST collection. */
export const FEED_RESOURCES: Record<FeedKind, ResourceType> = {
  rollouts: Resources.rollouts,
  replicasets: Resources.replicaSets,
  pods: Resources.pods,
  analysisruns: Resources.analysisRuns,
  events: Resources.events,
};

/** The kinds a Rollout page reads; the list page reads only Rollouts. */
export const PAGE_KINDS: readonly FeedKind[] = ['rollouts', 'replicasets', 'pods', 'analysisruns', 'events'];

/** A started list+watch cache of one collection in one namespace. */
export interface WatchedCache {
  list(): KubeObject[];
  waitForSync(): Promise<void>;
  /** The last list failure, cleared by the next successful list. */
  error(): unknown;
  stop(): Promise<void>;
}

/** Starts a {@link WatchedCache}; `onChange` runs after every add, update and delete. */
export type CacheFactory = (res: ResourceType, namespace: string, onChange: () => void) => WatchedCache;

interface Entry {
  cache: WatchedCache;
  listeners: Set<() => void>;
  idleTimer?: ReturnType<typeof setTimeout>;
}

/**
 * The watches of one namespace, shared by every open page: a kind is watched while someone subscribes to
 * it, and stopped `lingerMs` after its last subscriber left (a page reload re-uses the warm cache).
 * Invariant: at most one watch per kind; listeners hear every change of the kinds they subscribed to.
 */
export class NamespaceFeed {
  private readonly entries = new Map<FeedKind, Entry>();

  constructor(
    readonly namespace: string,
    private readonly factory: CacheFactory,
    private readonly lingerMs = 30_000,
  ) {}

  /** Subscribes `listener` to changes of `kinds` (starting their watches); returns the unsubscribe. */
  subscribe(kinds: readonly FeedKind[], listener: () => void): () => void {
    const entries = kinds.map((kind) => this.entry(kind));
    for (const entry of entries) entry.listeners.add(listener);
    return () => {
      for (const entry of entries) {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0) this.scheduleStop(entry);
      }
    };
  }

  /** Resolves once each of `kinds` has been listed (or has failed its first list and retries). */
  async synced(kinds: readonly FeedKind[], timeoutMs = 10_000): Promise<void> {
    const ready = Promise.all(kinds.map((k) => this.entry(k).cache.waitForSync()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([ready, late]);
    clearTimeout(timer);
  }

  /** The cached objects of `kind` (empty when it is not watched). */
  list<T extends KubeObject>(kind: FeedKind): T[] {
    return (this.entries.get(kind)?.cache.list() ?? []) as T[];
  }

  /** The last list error of `kind`, if its watch is failing. */
  error(kind: FeedKind): unknown {
    return this.entries.get(kind)?.cache.error();
  }

  /** Stops every watch. */
  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) clearTimeout(entry.idleTimer);
    await Promise.all(entries.map((e) => e.cache.stop()));
  }

  private entry(kind: FeedKind): Entry {
    const existing = this.entries.get(kind);
    if (existing !== undefined) {
      clearTimeout(existing.idleTimer);
      existing.idleTimer = undefined;
      return existing;
    }
    const listeners = new Set<() => void>();
    const notify = () => {
      for (const listener of listeners) listener();
    };
    const entry: Entry = { cache: this.factory(FEED_RESOURCES[kind], this.namespace, notify), listeners };
    this.entries.set(kind, entry);
    return entry;
  }

  private scheduleStop(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (entry.listeners.size > 0) return;
      for (const [kind, e] of this.entries) if (e === entry) this.entries.delete(kind);
      void entry.cache.stop();
    }, this.lingerMs);
    entry.idleTimer.unref?.();
  }
}

/** The feeds of every namespace anyone looked at, created on first use. */
export class FeedHub {
  private readonly feeds = new Map<string, NamespaceFeed>();

  constructor(
    private readonly factory: CacheFactory,
    private readonly lingerMs?: number,
  ) {}

  /** The feed of `namespace`. */
  feed(namespace: string): NamespaceFeed {
    let feed = this.feeds.get(namespace);
    if (feed === undefined) {
      feed = new NamespaceFeed(namespace, this.factory, this.lingerMs);
      this.feeds.set(namespace, feed);
    }
    return feed;
  }

  /** Stops every watch of every namespace. */
  async close(): Promise<void> {
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(feeds.map((f) => f.close()));
  }
}
