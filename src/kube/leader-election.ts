import { V1MicroTime } from '@kubernetes/client-node';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { type Logger, silentLogger } from '../util/logger.js';
import { ApiError, isApiError } from './errors.js';
import {
  type Lease,
  type LeaseApi,
  type LeaseFailure,
  leaseFailureKind,
  type MicroTime,
} from './lease-api.js';

/** Construction options; durations default to client-go's (15 s / 10 s / 2 s). */
export interface LeaderElectorOptions {
  leaseApi: LeaseApi;
  namespace: string;
  /** Lease name, e.g. `vireo-controller`. */
  name: string;
  /** Unique per process, e.g. `<pod name>_<random>`. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Upper bound for one API call before it counts as failed; default 5 s. */
  requestTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading?(signal: AbortSignal): void | Promise<void>;
  /** Called once per leadership term when it ends (lost, deadline missed, or `stop`). */
  onStoppedLeading?(): void;
  /** Called whenever the observed holder changes (including to ourselves). */
  onNewLeader?(identity: string): void;
  /**
   * Called when an attempt fails in a way retrying will not mend (see {@link LeaseFailure}): the Lease's
   * namespace does not exist, or reading or writing Leases is forbidden. The elector keeps retrying.
   */
  onLeaseUnusable?(failure: LeaseFailure): void;
}

type Outcome = 'ok' | 'held' | 'conflict' | 'error';

function microTimeString(t: MicroTime | undefined): string {
  if (t === undefined) return '';
  return t instanceof Date ? t.toISOString() : String(t);
}

/**
 * A Lease-based leader elector following client-go's algorithm.
 * Invariants: a foreign holder is considered expired only after its `(holderIdentity, renewTime)` pair
 * stayed unchanged for its lease duration, measured on the local monotonic clock (never by comparing
 * the server's `renewTime` with local wall time); every take-over and renewal is a `replace` carrying
 * the observed resourceVersion, so of two racing candidates exactly one wins (409 for the other); a
 * leader that cannot renew within the renew deadline, or finds the lease taken, stops leading at once;
 * `onStartedLeading`/`onStoppedLeading` alternate strictly. After losing, the elector keeps competing;
 * the process is expected to exit in `onStoppedLeading` (as client-go users do).
 */
export class LeaderElector {
  private readonly o: Required<
    Pick<LeaderElectorOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'requestTimeoutMs'>
  > &
    LeaderElectorOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private observedKey = '';
  private observedAtMs = 0;
  private observedHolder = '';
  private current: Lease | undefined;
  private leading: AbortController | undefined;
  private tickTimer: TimerHandle | undefined;
  private deadlineTimer: TimerHandle | undefined;
  private inflight: Promise<void> | undefined;
  private running = false;
  private lastFailure: LeaseFailure | undefined;

  constructor(opts: LeaderElectorOptions) {
    this.o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      requestTimeoutMs: 5_000,
      ...opts,
    };
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
  }

  /** Starts competing for the lease; the first attempt is immediate. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops competing; if holding the lease, releases it (empty holder, 1 s duration) and ends the term. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.tickTimer) this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    await this.inflight;
    await this.release();
    this.endTerm('stopped');
  }

  /** True while this process holds the lease. */
  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /**
   * The failure of the last attempt when it was one retrying will not mend (namespace missing, forbidden);
   * undefined once an attempt reaches the Lease. A replica with such a failure can never lead.
   */
  unusableLease(): LeaseFailure | undefined {
    return this.lastFailure?.kind === 'transient' ? undefined : this.lastFailure;
  }

  /** The holder identity last observed on the lease ('' when none). */
  observedLeader(): string {
    return this.observedHolder;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = undefined;
      this.inflight = this.tick().finally(() => {
        this.inflight = undefined;
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    const outcome = await this.tryAcquireOrRenew();
    if (!this.running) return;
    if (outcome === 'ok') {
      if (this.leading) this.armDeadline();
      else this.beginTerm();
    } else if (this.leading && (outcome === 'held' || outcome === 'conflict')) {
      this.endTerm('lease taken by another holder');
    }
    const jitter = this.leading ? 0 : (this.o.random ?? Math.random)() * 1.2;
    this.schedule(this.o.retryPeriodMs * (1 + jitter));
  }

  private async tryAcquireOrRenew(): Promise<Outcome> {
    let lease: Lease;
    try {
      lease = await this.call(this.o.leaseApi.get(this.o.namespace, this.o.name));
    } catch (err) {
      if (isApiError(err, 'NotFound')) return this.create();
      return this.failed('get', err);
    }
    this.lastFailure = undefined;
    this.observe(lease);
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== '' && holder !== this.o.identity && !this.observedExpired(lease)) return 'held';
    return this.update(lease);
  }

  private async create(): Promise<Outcome> {
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.name, namespace: this.o.namespace },
      spec: this.ownSpec(undefined),
    };
    return this.write('create', () => this.o.leaseApi.create(this.o.namespace, lease));
  }

  private async update(lease: Lease): Promise<Outcome> {
    const next: Lease = { ...lease, spec: { ...lease.spec, ...this.ownSpec(lease) } };
    return this.write('update', () => this.o.leaseApi.replace(this.o.namespace, next));
  }

  private async write(op: 'create' | 'update', send: () => Promise<Lease>): Promise<Outcome> {
    try {
      const written = await this.call(send());
      this.lastFailure = undefined;
      this.current = written;
      this.observe(written);
      return 'ok';
    } catch (err) {
      const conflict = isApiError(err, 'Conflict') || isApiError(err, 'AlreadyExists');
      if (conflict) this.lastFailure = undefined;
      return conflict ? 'conflict' : this.failed(op, err);
    }
  }

  /** Records a failed attempt: a transient one is a warning, one retrying will not mend an error. */
  private failed(op: LeaseFailure['op'], err: unknown): Outcome {
    const failure: LeaseFailure = { op, err, kind: leaseFailureKind(op, err) };
    this.lastFailure = failure;
    const fields = { lease: this.o.name, namespace: this.o.namespace, op, err };
    if (failure.kind === 'transient') {
      this.logger.warn(fields, `${op === 'get' ? 'reading' : 'writing'} leader lease failed`);
      return 'error';
    }
    const why =
      failure.kind === 'forbidden' ? `${op} of Leases is forbidden` : 'its namespace does not exist';
    this.logger.error(fields, `leader Lease unusable (${why}): this replica can never lead`);
    this.o.onLeaseUnusable?.(failure);
    return 'error';
  }

  private ownSpec(previous: Lease | undefined): NonNullable<Lease['spec']> {
    const now = new V1MicroTime(this.clock.now().getTime());
    const spec = previous?.spec;
    const renewing = spec?.holderIdentity === this.o.identity;
    const transitions = spec?.leaseTransitions ?? 0;
    return {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: renewing && spec?.acquireTime ? spec.acquireTime : now,
      renewTime: now,
      leaseTransitions: previous === undefined ? 0 : renewing ? transitions : transitions + 1,
    };
  }

  private observe(lease: Lease): void {
    const holder = lease.spec?.holderIdentity ?? '';
    const key = `${holder}\u0000${microTimeString(lease.spec?.renewTime)}`;
    if (key === this.observedKey) return;
    this.observedKey = key;
    this.observedAtMs = this.clock.monotonicMs();
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      this.logger.info({ lease: this.o.name, holder }, 'observed new leader');
      if (holder !== '') this.o.onNewLeader?.(holder);
    }
  }

  private observedExpired(lease: Lease): boolean {
    const seconds = lease.spec?.leaseDurationSeconds;
    const durationMs = seconds !== undefined && seconds > 0 ? seconds * 1000 : this.o.leaseDurationMs;
    return this.clock.monotonicMs() - this.observedAtMs >= durationMs;
  }

  private beginTerm(): void {
    this.leading = new AbortController();
    this.armDeadline();
    this.logger.info({ lease: this.o.name, identity: this.o.identity }, 'started leading');
    const signal = this.leading.signal;
    Promise.resolve()
      .then(() => this.o.onStartedLeading?.(signal))
      .catch((err: unknown) => this.logger.error({ err }, 'onStartedLeading failed'));
  }

  private endTerm(reason: string): void {
    const term = this.leading;
    if (!term) return;
    this.leading = undefined;
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.logger.warn({ lease: this.o.name, identity: this.o.identity, reason }, 'stopped leading');
    term.abort(new Error(`leadership lost: ${reason}`));
    try {
      this.o.onStoppedLeading?.();
    } catch (err) {
      this.logger.error({ err }, 'onStoppedLeading failed');
    }
  }

  private armDeadline(): void {
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.clock.setTimeout(() => {
      this.deadlineTimer = undefined;
      this.endTerm('renew deadline exceeded');
    }, this.o.renewDeadlineMs);
  }

  private async release(): Promise<void> {
    const lease = this.current;
    if (!lease || lease.spec?.holderIdentity !== this.o.identity) return;
    const now = new V1MicroTime(this.clock.now().getTime());
    const spec = {
      ...lease.spec,
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
    };
    try {
      this.current = await this.call(this.o.leaseApi.replace(this.o.namespace, { ...lease, spec }));
    } catch (err) {
      this.logger.warn({ lease: this.o.name, err }, 'releasing leader lease failed');
    }
  }

  private call<R>(p: Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = this.clock.setTimeout(
        () => reject(new ApiError(0, 'Other', `lease request timed out after ${this.o.requestTimeoutMs} ms`)),
        this.o.requestTimeoutMs,
      );
      p.then(resolve, reject).finally(() => this.clock.clearTimeout(timer));
    });
  }
}
