import { describe, expect, it } from 'vitest';
import {
  type ComparisonSpec,
  compareSamples,
  median,
  scoreOf,
} from '../../../../src/analysis/judge/verdict.js';

const spec = (extra: Partial<ComparisonSpec> = {}): ComparisonSpec => ({
  name: 'error-rate',
  direction: 'increase',
  tolerance: 0,
  relativeTolerance: 0,
  minSamples: 10,
  alpha: 0.05,
  weight: 1,
  ...extra,
});
const zeroHeavy = (n: number, every: number, value: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % every === 0 ? value : 0));
/** The "errors-20" samples of mann-whitney-reference.py: canary fails 8% every other point, baseline 0.2% every fifth. */
const BAD = zeroHeavy(20, 2, 0.08);
const GOOD = zeroHeavy(20, 5, 0.002);

describe('compareSamples', () => {
  it('fails a canary that is higher, with the one-sided p-value SciPy gives (greater: 0.0053307232909397114)', () => {
    const c = compareSamples(spec(), BAD, GOOD);
    expect(c.verdict).toBe('fail');
    expect(c.pValue).toBeCloseTo(0.0053307232909397114, 14);
    expect(c.summary).toBe('fail: canary higher (p=0.005331 < 0.05, margin 0; median 0.04 vs 0; n=20/20)');
  });

  it('passes the same canary when a lower one is bad (less: 0.9951412744538152)', () => {
    const c = compareSamples(spec({ direction: 'decrease' }), BAD, GOOD);
    expect(c.verdict).toBe('pass');
    expect(c.pValue).toBeCloseTo(0.9951412744538152, 14);
  });

  it('either: twice the smaller one-sided p (SciPy two-sided: 0.010661446581879423)', () => {
    const c = compareSamples(spec({ direction: 'either' }), BAD, GOOD);
    expect(c.pValue).toBeCloseTo(0.010661446581879423, 14);
    expect(c.verdict).toBe('fail');
  });

  it('a canary worse by less than the tolerance passes; the larger of the two margins applies', () => {
    const baseline = Array.from({ length: 12 }, (_, i) => 0.01 + i / 10000);
    const canary = baseline.map((v) => v + 0.004);
    expect(compareSamples(spec(), canary, baseline).verdict).toBe('fail');
    expect(compareSamples(spec({ tolerance: 0.005 }), canary, baseline).verdict).toBe('pass');
    const relative = compareSamples(spec({ tolerance: 0.001, relativeTolerance: 0.5 }), canary, baseline);
    expect(relative.margin).toBeCloseTo(0.5 * median(baseline), 12);
    expect(relative.verdict).toBe('pass');
  });

  it('identical constant series pass with p = 1 (all values tied)', () => {
    const flat = Array(15).fill(0.01);
    expect(compareSamples(spec(), flat, flat)).toMatchObject({ verdict: 'pass', pValue: 1 });
  });

  it('drops NaN samples and needs minSamples in each role', () => {
    const withNaN = [...GOOD.slice(0, 9), Number.NaN, Number.NaN];
    const c = compareSamples(spec(), withNaN, GOOD);
    expect(c).toMatchObject({ verdict: 'nodata', canary: { n: 9 }, baseline: { n: 20 } });
    expect(c.summary).toBe('nodata: n=9/20 canary/baseline samples, minSamples 10');
    expect(compareSamples(spec({ minSamples: 9 }), withNaN, GOOD).verdict).toBe('pass');
  });
});

describe('scoreOf', () => {
  const judged = (name: string, verdict: 'pass' | 'fail' | 'nodata', weight = 1) => ({
    name,
    verdict,
    weight,
    canary: { n: 0 },
    baseline: { n: 0 },
    margin: 0,
    summary: '',
  });

  it('is the passing weight over the weight of metrics with data', () => {
    expect(scoreOf([judged('a', 'pass'), judged('b', 'fail')])).toBe(50);
    expect(scoreOf([judged('a', 'pass', 3), judged('b', 'fail', 1), judged('c', 'nodata', 5)])).toBe(75);
    expect(scoreOf([judged('a', 'pass', 1), judged('b', 'fail', 2)])).toBe(33.33);
    expect(scoreOf([judged('a', 'pass')])).toBe(100);
  });

  it('is undefined when nothing had data', () => {
    expect(scoreOf([judged('a', 'nodata')])).toBeUndefined();
    expect(scoreOf([])).toBeUndefined();
  });

  it('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
