import { describe, expect, it, vi } from 'vitest';
import type { MetricChartView } from '../../../src/dashboard/model.js';
import { type CacheFactory, NamespaceFeed } from '../../../src/dashboard/server/feeds.js';
import {
  failureLimitText,
  thresholdText,
  ticksOf,
  valueRange,
  xOf,
  yOf,
} from '../../../src/dashboard/ui/chart-scale.js';

function countingFactory() {
  const started: string[] = [];
  const stopped: string[] = [];
  const factory: CacheFactory = (res) => {
    started.push(res.plural);
    return {
      list: () => [],
      waitForSync: () => new Promise(() => {}),
      error: () => undefined,
      stop: async () => {
        stopped.push(res.plural);
      },
    };
  };
  return { factory, started, stopped };
}

describe('namespace feeds', () => {
  it('shares one watch per kind and stops it a while after the last subscriber left', () => {
    vi.useFakeTimers();
    try {
      const { factory, started, stopped } = countingFactory();
      const feed = new NamespaceFeed('shop', factory, 1000);
      const first = feed.subscribe(['rollouts', 'pods'], () => {});
      const second = feed.subscribe(['rollouts'], () => {});
      expect(started).toEqual(['rollouts', 'pods']);
      first();
      vi.advanceTimersByTime(1500);
      expect(stopped).toEqual(['pods']);
      second();
      vi.advanceTimersByTime(500);
      const third = feed.subscribe(['rollouts'], () => {});
      vi.advanceTimersByTime(1500);
      expect(stopped).toEqual(['pods']);
      third();
      vi.advanceTimersByTime(1500);
      expect(stopped).toEqual(['pods', 'rollouts']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not wait for ever for a watch that never syncs', async () => {
    const { factory } = countingFactory();
    const feed = new NamespaceFeed('shop', factory);
    await feed.synced(['rollouts'], 20);
  });
});

const chart = (values: number[], thresholds: MetricChartView['thresholds'], failed = 0): MetricChartView => ({
  name: 'm',
  phase: 'Running',
  thresholds,
  failureLimit: 2,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  failed,
  inconclusive: 0,
  errors: 0,
  successful: 0,
  points: values.map((value) => ({ at: '', value, text: String(value), phase: 'Successful' })),
});

describe('chart scale', () => {
  it('spans every value and threshold, padded, and places the maximum at the top', () => {
    const c = chart([0.4, 0.5], [{ value: 0.95, op: '>=', of: 'success' }]);
    const range = valueRange(c);
    expect(range.min).toBeCloseTo(0.345);
    expect(range.max).toBeCloseTo(1.005);
    expect(yOf(range.max, range)).toBeLessThan(yOf(range.min, range));
    expect(valueRange(chart([3], []))).toEqual({ min: 2.7, max: 3.3 });
    expect(xOf(0, 3)).toBeLessThan(xOf(2, 3));
  });

  it('puts ticks on round values', () => {
    expect(ticksOf({ min: 0.3474, max: 1.005 })).toEqual([0.4, 0.6, 0.8, 1]);
    expect(ticksOf({ min: 2.7, max: 3.3 })).toEqual([2.8, 3, 3.2]);
    expect(ticksOf({ min: -5, max: 95 })).toEqual([0, 20, 40, 60, 80]);
  });

  it('says thresholds and the failure limit in words', () => {
    expect(thresholdText({ value: 0.95, op: '>=', of: 'success' })).toBe('success when ≥ 0.95');
    expect(failureLimitText(chart([], [], 3))).toBe('3 failed of limit 2: over the limit');
    expect(failureLimitText(chart([], [], 2))).toBe('2 failed of limit 2');
  });
});
