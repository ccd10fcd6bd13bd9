import type { Clock } from '../util/clock.js';
import type { KubeObject } from './types.js';

/**
 * One write the controller made, as the API server answered it: a ReplicaSet (by the executor) or the
 * Rollout's status. `generation` and `resourceVersion` come from the response and are absent when there
 * was none (a delete, or a create answered AlreadyExists).
 */
export interface ObjectWrite {
  kind: 'ReplicaSet' | 'Rollout' | 'Experiment';
  verb: 'create' | 'patch' | 'delete';
  name: string;
  generation?: number;
  resourceVersion?: string;
}

/** What the cache must show of one written object before a new plan may be made from it. */
interface Expectation {
  /** Present (at least this generation / resourceVersion) after a create or patch; absent after a delete. */
  present: boolean;
  generation?: number;
  resourceVersion?: string;
  /** Monotonic deadline after which the expectation is dropped, caught up or not. */
  expiresAtMs: number;
}

/** Reads one object of the Rollout's namespace from the informer caches. */
export type CachedObject = (kind: ObjectWrite['kind'], name: string) => KubeObject | undefined;

/** The outcome of {@link WriteExpectations.check} for one Rollout key; `waitingFor` is `Kind/name`. */
export type ExpectationCheck =
  | { state: 'satisfied' }
  | { state: 'pending'; waitingFor: string[] }
  | { state: 'expired'; waitingFor: string[] };

/** Construction options; `ttlMs` defaults to {@link DEFAULT_EXPECTATION_TTL_MS}. */
export interface ExpectationsOptions {
  clock: Clock;
  ttlMs?: number;
}

/** How long an expectation holds a Rollout back at most (a lost watch event can never wedge it longer). */
export const DEFAULT_EXPECTATION_TTL_MS = 5000;

function decimal(rv: string | undefined): bigint | undefined {
  return rv !== undefined && /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}

/**
 * True when the cached object provably predates the write: a lower `metadata.generation`, or the same
 * generation with a lower resourceVersion (compared only when both are decimal, as etcd revisions are;
 * this catches writes that do not bump the generation, e.g. annotations). Unknown means caught up.
 */
function olderThan(cached: KubeObject, e: Expectation): boolean {
  const generation = cached.metadata?.generation;
  if (e.generation !== undefined && generation !== undefined && generation !== e.generation) {
    return generation < e.generation;
  }
  const have = decimal(cached.metadata?.resourceVersion);
  const want = decimal(e.resourceVersion);
  return have !== undefined && want !== undefined && have < want;
}

function caughtUp(cached: KubeObject | undefined, e: Expectation): boolean {
  if (!e.present) return cached === undefined || Boolean(cached.metadata?.deletionTimestamp);
  return cached !== undefined && !olderThan(cached, e);
}

const entryKey = (kind: ObjectWrite['kind'], name: string) => `${kind}/${name}`;

function splitEntry(entry: string): [ObjectWrite['kind'], string] {
  const slash = entry.indexOf('/');
  return [entry.slice(0, slash) as ObjectWrite['kind'], entry.slice(slash + 1)];
}

/**
 * Read-your-writes for the informer caches ("expectations", as in Kubernetes controllers): per Rollout key,
 * the state each object the controller last wrote (ReplicaSets, the Rollout's status) must reach in the
 * cache before the next plan.
 * Invariants: an expectation only ever holds a key back until the cache shows the write or `ttlMs` has
 * passed on the injected clock, whichever is first; a later write of the same ReplicaSet replaces the
 * earlier expectation; a satisfied or expired key holds nothing (its entries are dropped).
 */
export class WriteExpectations {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly byKey = new Map<string, Map<string, Expectation>>();

  constructor(opts: ExpectationsOptions) {
    this.clock = opts.clock;
    this.ttlMs = opts.ttlMs ?? DEFAULT_EXPECTATION_TTL_MS;
  }

  /** Records the writes of one reconcile of `key`; each must be seen in the cache before the next plan. */
  expect(key: string, writes: readonly ObjectWrite[]): void {
    if (writes.length === 0) return;
    const entries = this.byKey.get(key) ?? new Map<string, Expectation>();
    const expiresAtMs = this.clock.monotonicMs() + this.ttlMs;
    for (const w of writes) {
      const present = w.verb !== 'delete';
      entries.set(entryKey(w.kind, w.name), {
        present,
        expiresAtMs,
        ...(present && w.generation !== undefined ? { generation: w.generation } : {}),
        ...(present && w.resourceVersion !== undefined ? { resourceVersion: w.resourceVersion } : {}),
      });
    }
    this.byKey.set(key, entries);
  }

  /**
   * Whether the cache has caught up with `key`'s recorded writes. Entries the cache shows, and entries past
   * their deadline, are dropped; `expired` names the ones given up on (nothing is held after it).
   */
  check(key: string, cached: CachedObject): ExpectationCheck {
    const entries = this.byKey.get(key);
    if (!entries) return { state: 'satisfied' };
    const now = this.clock.monotonicMs();
    const waitingFor: string[] = [];
    const expired: string[] = [];
    for (const [entry, e] of entries) {
      if (caughtUp(cached(...splitEntry(entry)), e)) entries.delete(entry);
      else if (now >= e.expiresAtMs) {
        entries.delete(entry);
        expired.push(entry);
      } else waitingFor.push(entry);
    }
    if (entries.size === 0) this.byKey.delete(key);
    if (waitingFor.length > 0) return { state: 'pending', waitingFor };
    return expired.length > 0 ? { state: 'expired', waitingFor: expired } : { state: 'satisfied' };
  }

  /** Drops everything recorded for `key` (the Rollout is gone). */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** Number of Rollout keys with at least one outstanding expectation. */
  size(): number {
    return this.byKey.size;
  }
}
