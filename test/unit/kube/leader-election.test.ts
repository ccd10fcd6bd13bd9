import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/kube/errors.js';
import { LeaderElector } from '../../../src/kube/leader-election.js';
import type { Lease, LeaseApi, LeaseFailure } from '../../../src/kube/lease-api.js';
import { FakeClock } from '../../../src/util/clock.js';
import { MemoryLogger } from '../../../src/util/logger.js';

/** An in-memory Lease endpoint with resourceVersion checks; leases round-trip through JSON like the API. */
class FakeLeaseApi implements LeaseApi {
  stored: Lease | undefined;
  private rv = 0;
  failNext: ApiError | undefined;
  conflictNextReplace = false;
  writes = 0;

  async get(_ns: string, name: string): Promise<Lease> {
    this.maybeFail();
    if (!this.stored || this.stored.metadata.name !== name) throw new ApiError(404, 'NotFound', 'not found');
    return structuredClone(this.stored);
  }

  async create(_ns: string, lease: Lease): Promise<Lease> {
    this.maybeFail();
    if (this.stored) throw new ApiError(409, 'AlreadyExists', 'exists');
    return this.put(lease);
  }

  async replace(_ns: string, lease: Lease): Promise<Lease> {
    this.maybeFail();
    if (
      this.conflictNextReplace ||
      lease.metadata.resourceVersion !== this.stored?.metadata.resourceVersion
    ) {
      this.conflictNextReplace = false;
      throw new ApiError(409, 'Conflict', 'the object has been modified');
    }
    return this.put(lease);
  }

  /** Another process writes the lease directly. */
  seed(spec: NonNullable<Lease['spec']>): void {
    this.put({
      metadata: { name: 'vireo', namespace: 'ns', resourceVersion: this.stored?.metadata.resourceVersion },
      spec,
    });
  }

  private put(lease: Lease): Lease {
    this.writes++;
    const json = JSON.parse(JSON.stringify(lease)) as Lease;
    json.metadata.resourceVersion = String(++this.rv);
    this.stored = json;
    return structuredClone(json);
  }

  private maybeFail(): void {
    const err = this.failNext;
    if (err) throw err;
  }
}

function elector(api: LeaseApi, clock: FakeClock, identity: string, log: string[]) {
  return new LeaderElector({
    leaseApi: api,
    namespace: 'ns',
    name: 'vireo',
    identity,
    clock,
    random: () => 0,
    onStartedLeading: () => {
      log.push(`${identity} started`);
    },
    onStoppedLeading: () => log.push(`${identity} stopped`),
  });
}

describe('LeaderElector', () => {
  it('creates the lease when absent, leads, and writes MicroTime timestamps', async () => {
    const clock = new FakeClock(new Date('2026-03-01T10:00:00.123Z'));
    const api = new FakeLeaseApi();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    a.start();
    await clock.advanceAsync(0);
    expect(a.isLeader()).toBe(true);
    expect(log).toEqual(['a started']);
    expect(api.stored?.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(api.stored?.spec?.renewTime).toBe('2026-03-01T10:00:00.123000Z');
    await a.stop();
  });

  it('renews every retry period, keeping acquireTime and transitions', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const a = elector(api, clock, 'a', []);
    a.start();
    await clock.advanceAsync(0);
    const acquired = api.stored?.spec?.acquireTime;
    await clock.advanceAsync(2000);
    expect(api.writes).toBe(2);
    await clock.advanceAsync(20_000);
    expect(api.writes).toBe(12);
    expect(api.stored?.spec?.acquireTime).toBe(acquired);
    expect(api.stored?.spec?.renewTime).not.toBe(acquired);
    expect(api.stored?.spec?.leaseTransitions).toBe(0);
    expect(a.isLeader()).toBe(true);
    await a.stop();
  });

  it('takes over a foreign lease only after it stayed unchanged for the lease duration on the local clock', async () => {
    const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
    const api = new FakeLeaseApi();
    api.seed({
      holderIdentity: 'crashed',
      leaseDurationSeconds: 15,
      renewTime: '2020-01-01T00:00:00.000000Z',
      leaseTransitions: 3,
    });
    const log: string[] = [];
    const b = elector(api, clock, 'b', log);
    b.start();
    await clock.advanceAsync(0);
    expect(b.isLeader()).toBe(false);
    expect(b.observedLeader()).toBe('crashed');
    clock.setWallTime(new Date('2030-01-01T00:00:00Z'));
    await clock.advanceAsync(14_000);
    expect(b.isLeader()).toBe(false);
    await clock.advanceAsync(2000);
    expect(b.isLeader()).toBe(true);
    expect(api.stored?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 4 });
    expect(log).toEqual(['b started']);
    await b.stop();
  });

  it('restarts the expiry countdown whenever the holder renews', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    api.seed({ holderIdentity: 'alive', leaseDurationSeconds: 15, renewTime: '2026-01-01T00:00:00.000000Z' });
    const b = elector(api, clock, 'b', []);
    b.start();
    for (let i = 1; i <= 10; i++) {
      await clock.advanceAsync(5000);
      api.seed({
        holderIdentity: 'alive',
        leaseDurationSeconds: 15,
        renewTime: `2026-01-01T00:00:${10 + i}.000000Z`,
      });
    }
    expect(b.isLeader()).toBe(false);
    await clock.advanceAsync(16_000);
    expect(b.isLeader()).toBe(false);
    await clock.advanceAsync(2000);
    expect(b.isLeader()).toBe(true);
    await b.stop();
  });

  it('stops leading at once when a renewal loses with 409 Conflict', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const log: string[] = [];
    let signal: AbortSignal | undefined;
    const a = new LeaderElector({
      leaseApi: api,
      namespace: 'ns',
      name: 'vireo',
      identity: 'a',
      clock,
      random: () => 0,
      onStartedLeading: (s) => {
        signal = s;
      },
      onStoppedLeading: () => log.push('stopped'),
    });
    a.start();
    await clock.advanceAsync(0);
    expect(a.isLeader()).toBe(true);
    api.conflictNextReplace = true;
    await clock.advanceAsync(2000);
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['stopped']);
    expect(signal?.aborted).toBe(true);
    await a.stop();
    expect(log).toEqual(['stopped']);
  });

  it('stops leading when the lease was taken over by another holder', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    a.start();
    await clock.advanceAsync(0);
    api.seed({
      holderIdentity: 'usurper',
      leaseDurationSeconds: 15,
      renewTime: '2026-01-01T00:00:01.000000Z',
    });
    await clock.advanceAsync(2000);
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a started', 'a stopped']);
    expect(api.stored?.spec?.holderIdentity).toBe('usurper');
    await a.stop();
  });

  it('stops leading when renewals keep failing past the renew deadline, not before', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    a.start();
    await clock.advanceAsync(0);
    api.failNext = new ApiError(500, 'Other', 'etcdserver: request timed out');
    await clock.advanceAsync(9999);
    expect(a.isLeader()).toBe(true);
    await clock.advanceAsync(1);
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a started', 'a stopped']);
    await a.stop();
  });

  it('releases the lease on stop so a standby takes over without waiting for expiry', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    const b = elector(api, clock, 'b', log);
    a.start();
    await clock.advanceAsync(0);
    b.start();
    await clock.advanceAsync(4000);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await a.stop();
    expect(api.stored?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await clock.advanceAsync(2000);
    expect(b.isLeader()).toBe(true);
    expect(api.stored?.spec?.leaseTransitions).toBe(1);
    expect(log).toEqual(['a started', 'a stopped', 'b started']);
    await b.stop();
  });

  it('lets exactly one of two simultaneous candidates win', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    const b = elector(api, clock, 'b', log);
    a.start();
    b.start();
    await clock.advanceAsync(10_000);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(log).toHaveLength(1);
    await a.stop();
    await b.stop();
  });

  it('treats a hung API call as a failure after the request timeout', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    a.start();
    await clock.advanceAsync(0);
    api.get = () => new Promise<Lease>(() => {});
    await clock.advanceAsync(10_000);
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a started', 'a stopped']);
    const stopping = a.stop();
    await clock.advanceAsync(5000);
    await stopping;
  });

  it('reports a missing namespace as unusable, at error level, and recovers once the Lease is reachable', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const create = api.create.bind(api);
    api.create = async () => {
      throw new ApiError(404, 'NotFound', 'namespaces "ns" not found');
    };
    const failures: LeaseFailure[] = [];
    const logger = new MemoryLogger();
    const a = new LeaderElector({
      leaseApi: api,
      namespace: 'ns',
      name: 'vireo',
      identity: 'a',
      clock,
      random: () => 0,
      logger,
      onLeaseUnusable: (f) => failures.push(f),
    });
    a.start();
    await clock.advanceAsync(0);
    expect(failures.map((f) => [f.op, f.kind])).toEqual([['create', 'namespace-missing']]);
    expect(a.unusableLease()?.kind).toBe('namespace-missing');
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'leader Lease unusable (its namespace does not exist): this replica can never lead',
    ]);
    api.create = create;
    await clock.advanceAsync(2000);
    expect(a.unusableLease()).toBeUndefined();
    expect(a.isLeader()).toBe(true);
    await a.stop();
  });

  it('reports a forbidden Lease as unusable but a transient failure not', async () => {
    const clock = new FakeClock();
    const api = new FakeLeaseApi();
    const failures: LeaseFailure[] = [];
    const a = new LeaderElector({
      leaseApi: api,
      namespace: 'ns',
      name: 'vireo',
      identity: 'a',
      clock,
      random: () => 0,
      onLeaseUnusable: (f) => failures.push(f),
    });
    api.failNext = new ApiError(503, 'Other', 'unavailable');
    a.start();
    await clock.advanceAsync(0);
    expect(a.unusableLease()).toBeUndefined();
    api.failNext = new ApiError(403, 'Forbidden', 'leases is forbidden');
    await clock.advanceAsync(2000);
    expect(a.unusableLease()).toMatchObject({ op: 'get', kind: 'forbidden' });
    expect(failures).toHaveLength(1);
    expect(a.isLeader()).toBe(false);
    api.failNext = undefined;
    await a.stop();
  });
});
