import { type KubeConfig, type V1ReplicaSet, Watch } from '@kubernetes/client-node';

/** One watch event for the watched ReplicaSet, with its arrival time (`performance.now()`). */
export interface SeenReplicaSet {
  rs: V1ReplicaSet;
  at: number;
}

interface Waiter {
  predicate: (rs: V1ReplicaSet) => boolean;
  resolve: (seen: SeenReplicaSet) => void;
}

/**
 * A WATCH on one ReplicaSet (field selector on its name) that keeps every event with its arrival time,
 * so a caller can wait for the first event after a mark that satisfies a predicate. The watch is
 * re-established from the last resourceVersion if the server closes it.
 */
export class ReplicaSetWatch {
  private readonly seen: SeenReplicaSet[] = [];
  private readonly waiters = new Set<Waiter>();
  private abort: AbortController | undefined;
  private stopped = false;
  private lastVersion: string | undefined;

  private constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  /** Starts watching `namespace/name`; the first event is the object's current state (ADDED). */
  static async start(kc: KubeConfig, namespace: string, name: string): Promise<ReplicaSetWatch> {
    const watch = new ReplicaSetWatch(kc, namespace, name);
    await watch.connect();
    return watch;
  }

  private async connect(): Promise<void> {
    const path = `/apis/apps/v1/namespaces/${this.namespace}/replicasets`;
    const query: Record<string, string | boolean> = {
      fieldSelector: `metadata.name=${this.name}`,
      allowWatchBookmarks: false,
    };
    if (this.lastVersion) query.resourceVersion = this.lastVersion;
    this.abort = await new Watch(this.kc).watch(
      path,
      query,
      (phase, obj: V1ReplicaSet) => this.onEvent(phase, obj),
      () => {
        if (!this.stopped) void this.connect();
      },
    );
  }

  private onEvent(phase: string, rs: V1ReplicaSet): void {
    if (phase !== 'ADDED' && phase !== 'MODIFIED') return;
    this.lastVersion = rs.metadata?.resourceVersion;
    const entry = { rs, at: performance.now() };
    this.seen.push(entry);
    for (const w of [...this.waiters]) {
      if (w.predicate(rs)) {
        this.waiters.delete(w);
        w.resolve(entry);
      }
    }
  }

  /** The index of the next event: pass it to {@link waitFor} to consider only later events. */
  mark(): number {
    return this.seen.length;
  }

  /** The latest state seen, if any. */
  latest(): V1ReplicaSet | undefined {
    return this.seen.at(-1)?.rs;
  }

  /**
   * The first event at or after `from` for which `predicate` holds (already seen or still to come);
   * rejects after `timeoutMs`.
   */
  waitFor(
    predicate: (rs: V1ReplicaSet) => boolean,
    from: number,
    timeoutMs: number,
    description: string,
  ): Promise<SeenReplicaSet> {
    const hit = this.seen.slice(from).find((s) => predicate(s.rs));
    if (hit) return Promise.resolve(hit);
    return new Promise<SeenReplicaSet>((resolve, reject) => {
      const waiter: Waiter = { predicate, resolve: () => undefined };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
      }, timeoutMs);
      waiter.resolve = (seen) => {
        clearTimeout(timer);
        resolve(seen);
      };
      this.waiters.add(waiter);
    });
  }

  /** Closes the watch. */
  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }
}
