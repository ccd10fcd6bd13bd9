import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/kube/errors.js';
import {
  type CoreEvent,
  EventRecorder,
  type EventRepeat,
  type EventSink,
  laneOf,
} from '../../../src/kube/events.js';
import { FakeClock } from '../../../src/util/clock.js';
import { MemoryLogger } from '../../../src/util/logger.js';

/** Keeps events in memory like the API would, keyed by namespace/name. */
class MemorySink implements EventSink {
  readonly events = new Map<string, CoreEvent>();
  failCreate: unknown;

  async create(event: CoreEvent): Promise<unknown> {
    if (this.failCreate) throw this.failCreate;
    this.events.set(`${event.metadata.namespace}/${event.metadata.name}`, structuredClone(event));
    return event;
  }

  async update(namespace: string, name: string, repeat: EventRepeat): Promise<unknown> {
    const existing = this.events.get(`${namespace}/${name}`);
    if (!existing) throw new ApiError(404, 'NotFound', 'events "x" not found');
    Object.assign(existing, repeat);
    return existing;
  }

  all(): CoreEvent[] {
    return [...this.events.values()];
  }
}

const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '7' },
};

function setup(window = 600_000) {
  const clock = new FakeClock(new Date('2026-02-01T12:00:00.456Z'));
  const sink = new MemorySink();
  const logger = new MemoryLogger();
  const recorder = new EventRecorder({ sink, clock, logger, instance: 'pod-1', aggregationWindowMs: window });
  return { clock, sink, logger, recorder };
}

describe('EventRecorder', () => {
  it('writes a core/v1 Event about the object, reported by vireo', async () => {
    const { sink, recorder } = setup();
    recorder.event(rollout, 'Normal', 'RolloutStepCompleted', 'Step 1/3 completed');
    await recorder.flush();
    const [event] = sink.all();
    expect(event).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'shop' },
      involvedObject: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'web',
        namespace: 'shop',
        uid: 'u-1',
      },
      reason: 'RolloutStepCompleted',
      message: 'Step 1/3 completed',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2026-02-01T12:00:00Z',
      lastTimestamp: '2026-02-01T12:00:00Z',
      source: { component: 'vireo', host: 'pod-1' },
      reportingComponent: 'vireo',
      reportingInstance: 'pod-1',
    });
    expect(event?.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('counts identical events within the window on one Event and starts a new one after it', async () => {
    const { clock, sink, recorder } = setup(60_000);
    recorder.event(rollout, 'Warning', 'ProgressDeadlineExceeded', 'stuck');
    clock.advance(30_000);
    recorder.event(rollout, 'Warning', 'ProgressDeadlineExceeded', 'stuck');
    clock.advance(30_000);
    recorder.event(rollout, 'Warning', 'ProgressDeadlineExceeded', 'stuck');
    await recorder.flush();
    expect(sink.all()).toHaveLength(1);
    expect(sink.all()[0]).toMatchObject({
      count: 3,
      firstTimestamp: '2026-02-01T12:00:00Z',
      lastTimestamp: '2026-02-01T12:01:00Z',
    });
    clock.advance(60_001);
    recorder.event(rollout, 'Warning', 'ProgressDeadlineExceeded', 'stuck');
    await recorder.flush();
    expect(sink.all().map((e) => e.count)).toEqual([3, 1]);
  });

  it('keeps different reasons, messages or types apart', async () => {
    const { sink, recorder } = setup();
    recorder.event(rollout, 'Normal', 'Paused', 'a');
    recorder.event(rollout, 'Normal', 'Paused', 'b');
    recorder.event(rollout, 'Warning', 'Paused', 'a');
    recorder.event(rollout, 'Normal', 'Resumed', 'a');
    await recorder.flush();
    expect(sink.all()).toHaveLength(4);
    expect(new Set(sink.all().map((e) => e.metadata.name)).size).toBe(4);
  });

  it('creates a fresh Event when the aggregated one has expired on the server', async () => {
    const { sink, recorder } = setup();
    recorder.event(rollout, 'Normal', 'Paused', 'a');
    await recorder.flush();
    sink.events.clear();
    recorder.event(rollout, 'Normal', 'Paused', 'a');
    await recorder.flush();
    expect(sink.all().map((e) => e.count)).toEqual([1]);
  });

  it('never throws into the caller: failures are logged and the event dropped', async () => {
    const { sink, logger, recorder } = setup();
    sink.failCreate = new ApiError(403, 'Forbidden', 'events is forbidden');
    expect(() => recorder.event(rollout, 'Normal', 'Paused', 'a')).not.toThrow();
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(logger.lines.map((l) => l.message)).toContain('event dropped: write failed');
    sink.failCreate = undefined;
    recorder.event(rollout, 'Normal', 'Paused', 'a');
    await recorder.flush();
    expect(sink.all()).toHaveLength(1);
  });

  it('uses the default namespace for cluster-scoped objects', async () => {
    const { sink, recorder } = setup();
    recorder.event(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterAnalysisTemplate', metadata: { name: 't' } },
      'Warning',
      'Invalid',
      'x',
    );
    await recorder.flush();
    expect(sink.all()[0]?.metadata.namespace).toBe('default');
  });

  it("writes one object's events in call order and other objects' alongside", async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const sink: EventSink = {
      create: (event) => {
        started.push(`${event.involvedObject.name}:${event.message}`);
        return new Promise((resolve) => release.push(() => resolve(event)));
      },
      update: async () => undefined,
    };
    const objects = Array.from({ length: 16 }, (_, i) => ({
      ...rollout,
      metadata: { ...rollout.metadata, name: `r${i}` },
    }));
    const lanes = new Set(objects.map((o) => laneOf(o, 4)));
    const recorder = new EventRecorder({ sink, lanes: 4 });
    for (const o of objects) recorder.event(o, 'Normal', 'Step', 'first');
    recorder.event(objects[0] as typeof rollout, 'Normal', 'Step', 'second');
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(lanes.size);
    expect(started).not.toContain('r0:second');
    while (release.length > 0) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await recorder.flush();
    expect(started).toHaveLength(17);
    expect(started.indexOf('r0:first')).toBeLessThan(started.indexOf('r0:second'));
  });

  it('maps an object to the same lane every time, within range', () => {
    const a = { kind: 'Rollout', metadata: { namespace: 'n', name: 'a' } };
    expect(laneOf(a, 8)).toBe(laneOf({ ...a }, 8));
    for (let i = 0; i < 50; i++) {
      const lane = laneOf({ kind: 'Rollout', metadata: { namespace: 'n', name: `x${i}` } }, 8);
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(8);
    }
    expect(laneOf(a, 1)).toBe(0);
  });
});
