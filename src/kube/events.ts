import { hostname } from 'node:os';
import { type Clock, systemClock } from '../util/clock.js';
import { type Logger, silentLogger } from '../util/logger.js';
import { rfc3339Seconds } from '../util/time.js';
import type { KubeClient } from './client.js';
import { Resources } from './client.js';
import { isApiError } from './errors.js';
import type { KubeObject } from './types.js';

/** Event severity, as core/v1 defines it. */
export type EventType = 'Normal' | 'Warning';

/** A core/v1 Event as written (raw JSON). */
export interface CoreEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { name: string; namespace: string };
  involvedObject: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
  };
  reason: string;
  message: string;
  type: EventType;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component: string; host?: string };
  reportingComponent: string;
  reportingInstance: string;
}

/** The fields updated when an identical event repeats. */
export interface EventRepeat {
  count: number;
  lastTimestamp: string;
}

/** Where events go; the production sink writes through the API, tests use an in-memory one. */
export interface EventSink {
  create(event: CoreEvent): Promise<unknown>;
  /** Updates a previously created event; rejects with an `ApiError` (NotFound when it expired). */
  update(namespace: string, name: string, repeat: EventRepeat): Promise<unknown>;
}

/** {@link EventSink} over the API: POST for new events, merge-patch for repeats. */
export function apiEventSink(client: KubeClient): EventSink {
  return {
    create: (event) => client.create(Resources.events, event.metadata.namespace, event),
    update: (namespace, name, repeat) =>
      client.patch(Resources.events, { namespace, name }, { type: 'merge', body: repeat }),
  };
}

/** Construction options. */
export interface EventRecorderOptions {
  sink: EventSink;
  clock?: Clock;
  logger?: Logger;
  /** `reportingComponent`/`source.component`; default `vireo`. */
  component?: string;
  /** `reportingInstance`/`source.host`; default the host name. */
  instance?: string;
  /** Identical events closer together than this are counted on one Event; default 10 min. */
  aggregationWindowMs?: number;
  /** Remembered distinct events (LRU); default 4096. */
  maxCached?: number;
  /** Writes allowed to wait; more are dropped with a warning; default 1000. */
  maxPending?: number;
  /**
   * Objects whose events are written concurrently (one write at a time per lane; an object's events always
   * go to the same lane); default 8. With one lane, every write waits for the previous one: at 1000
   * Rollouts progressing at once that backlog passes `maxPending` and events are dropped.
   */
  lanes?: number;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
  lastMs: number;
}

/** The lane of `obj`'s events: a hash of its namespace, kind and name, so one object always uses one lane. */
export function laneOf(obj: KubeObject, lanes: number): number {
  const id = `${obj.metadata?.namespace ?? ''}/${obj.kind ?? ''}/${obj.metadata?.name ?? ''}`;
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return Math.abs(h) % lanes;
}

/**
 * Records core/v1 Events about objects. Invariants: `event()` never throws and never rejects into the
 * caller — failures are logged and the event dropped; the events of one object are written one at a time
 * in call order (those of different objects may be written concurrently, `lanes` at most); an
 * event identical to one recorded within the aggregation window (same object, type, reason, message)
 * increments that Event's `count` and `lastTimestamp` instead of creating a new object.
 */
export class EventRecorder {
  private readonly sink: EventSink;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly component: string;
  private readonly instance: string;
  private readonly windowMs: number;
  private readonly maxCached: number;
  private readonly maxPending: number;
  private readonly seen = new Map<string, Seen>();
  private readonly lanes: Promise<void>[];
  private pending = 0;
  private seq = 0;

  constructor(opts: EventRecorderOptions) {
    this.sink = opts.sink;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.component = opts.component ?? 'vireo';
    this.instance = opts.instance ?? hostname();
    this.windowMs = opts.aggregationWindowMs ?? 10 * 60_000;
    this.maxCached = opts.maxCached ?? 4096;
    this.maxPending = opts.maxPending ?? 1000;
    this.lanes = Array.from({ length: Math.max(1, opts.lanes ?? 8) }, () => Promise.resolve());
  }

  /** Queues an Event about `obj`; returns at once. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.pending >= this.maxPending) {
      this.logger.warn({ reason, object: obj.metadata?.name }, 'event dropped: too many pending writes');
      return;
    }
    this.pending++;
    const at = this.clock.now();
    const atMs = this.clock.monotonicMs();
    const lane = laneOf(obj, this.lanes.length);
    this.lanes[lane] = (this.lanes[lane] as Promise<void>)
      .then(() => this.write(obj, { type, reason, message, at, atMs }))
      .catch((err: unknown) => this.logger.warn({ reason, err }, 'event dropped: write failed'))
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves when every event queued so far has been written or dropped. */
  async flush(): Promise<void> {
    await Promise.all(this.lanes);
  }

  private async write(
    obj: KubeObject,
    e: { type: EventType; reason: string; message: string; at: Date; atMs: number },
  ): Promise<void> {
    const meta = obj.metadata ?? {};
    const key = [meta.namespace, obj.kind, meta.name, meta.uid, e.type, e.reason, e.message].join('\u0000');
    const seen = this.seen.get(key);
    if (seen && e.atMs - seen.lastMs <= this.windowMs) {
      const repeat = { count: seen.count + 1, lastTimestamp: rfc3339Seconds(e.at) };
      try {
        await this.sink.update(seen.namespace, seen.name, repeat);
        this.remember(key, { ...seen, count: repeat.count, lastMs: e.atMs });
        return;
      } catch (err) {
        if (!isApiError(err, 'NotFound')) throw err;
      }
    }
    const event = this.build(obj, e);
    await this.sink.create(event);
    this.remember(key, {
      namespace: event.metadata.namespace,
      name: event.metadata.name,
      count: 1,
      lastMs: e.atMs,
    });
  }

  private build(
    obj: KubeObject,
    e: { type: EventType; reason: string; message: string; at: Date },
  ): CoreEvent {
    const meta = obj.metadata ?? {};
    const namespace = meta.namespace || 'default';
    const suffix = `${e.at.getTime().toString(16)}${(this.seq++ % 4096).toString(16).padStart(3, '0')}`;
    const ts = rfc3339Seconds(e.at);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${(meta.name ?? 'unknown').slice(0, 200)}.${suffix}`, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
      reason: e.reason,
      message: e.message.slice(0, 1024),
      type: e.type,
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      source: { component: this.component, host: this.instance },
      reportingComponent: this.component,
      reportingInstance: this.instance,
    };
  }

  private remember(key: string, value: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, value);
    if (this.seen.size <= this.maxCached) return;
    const oldest = this.seen.keys().next();
    if (!oldest.done) this.seen.delete(oldest.value);
  }
}
