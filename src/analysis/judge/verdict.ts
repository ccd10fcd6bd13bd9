import { mannWhitneyU } from './mann-whitney.js';

/** Which way of the canary is bad: `increase` (errors, latency), `decrease` (throughput), or `either`. */
export type Direction = 'increase' | 'decrease' | 'either';

/** How one judged metric compares canary with baseline. */
export interface ComparisonSpec {
  readonly name: string;
  readonly direction: Direction;
  /** Absolute margin in the query's unit the canary may be worse by without failing. */
  readonly tolerance: number;
  /** Margin as a share of the baseline median; the larger of the two margins applies. */
  readonly relativeTolerance: number;
  /** Fewer samples than this in either role makes the metric `nodata`. */
  readonly minSamples: number;
  /** The test's significance level: fail when p < alpha (alpha = 1 − confidence). */
  readonly alpha: number;
  readonly weight: number;
}

/** One metric's verdict with the numbers behind it. */
export interface Comparison {
  readonly name: string;
  readonly verdict: 'pass' | 'fail' | 'nodata';
  readonly canary: { readonly n: number; readonly median?: number };
  readonly baseline: { readonly n: number; readonly median?: number };
  readonly margin: number;
  readonly pValue?: number;
  readonly weight: number;
  /** One line for people: the verdict and why. */
  readonly summary: string;
}

/** The median of a non-empty sample. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const shifted = (values: readonly number[], by: number) => values.map((v) => v + by);

/** One-sided p-value that the canary is worse than the baseline by more than `margin`. */
function worsePValue(spec: ComparisonSpec, canary: number[], baseline: number[], margin: number): number {
  const up = (): number => mannWhitneyU(shifted(canary, -margin), baseline, 'greater').pValue;
  const down = (): number => mannWhitneyU(shifted(canary, margin), baseline, 'less').pValue;
  if (spec.direction === 'increase') return up();
  if (spec.direction === 'decrease') return down();
  return Math.min(1, 2 * Math.min(up(), down()));
}

const WORSE: Readonly<Record<Direction, string>> = {
  increase: 'higher',
  decrease: 'lower',
  either: 'different',
};

const fmt = (v: number | undefined): string => (v === undefined ? '-' : Number(v.toPrecision(4)).toString());

/**
 * Judges a metric: NaN samples dropped; fewer than `minSamples` in a role → `nodata`; otherwise a one-sided
 * Mann–Whitney U test (two one-sided, Bonferroni-doubled, for `either`) of the canary shifted by the
 * margin against the baseline fails the metric when p < alpha. The margin is
 * max(tolerance, relativeTolerance·|baseline median|), so a canary worse by less than it passes.
 */
export function compareSamples(spec: ComparisonSpec, canaryIn: number[], baselineIn: number[]): Comparison {
  const canary = canaryIn.filter((v) => !Number.isNaN(v));
  const baseline = baselineIn.filter((v) => !Number.isNaN(v));
  const base = { name: spec.name, weight: spec.weight };
  const sizes = `n=${canary.length}/${baseline.length}`;
  if (canary.length < spec.minSamples || baseline.length < spec.minSamples) {
    const summary = `nodata: ${sizes} canary/baseline samples, minSamples ${spec.minSamples}`;
    const roles = { canary: { n: canary.length }, baseline: { n: baseline.length } };
    return { ...base, ...roles, verdict: 'nodata', margin: spec.tolerance, summary };
  }
  const canaryMedian = median(canary);
  const baselineMedian = median(baseline);
  const margin = Math.max(spec.tolerance, spec.relativeTolerance * Math.abs(baselineMedian));
  const pValue = worsePValue(spec, canary, baseline, margin);
  const verdict = pValue < spec.alpha ? 'fail' : 'pass';
  const claim = verdict === 'fail' ? `canary ${WORSE[spec.direction]}` : 'no significant difference';
  const summary =
    `${verdict}: ${claim} (p=${fmt(pValue)} ${verdict === 'fail' ? '<' : '≥'} ${fmt(spec.alpha)}, ` +
    `margin ${fmt(margin)}; median ${fmt(canaryMedian)} vs ${fmt(baselineMedian)}; ${sizes})`;
  return {
    ...base,
    verdict,
    canary: { n: canary.length, median: canaryMedian },
    baseline: { n: baseline.length, median: baselineMedian },
    margin,
    pValue,
    summary,
  };
}

/**
 * The score 0–100: the weight of passing metrics over the weight of metrics with data, rounded to two
 * decimals; `undefined` when no metric had data (nothing to judge).
 */
export function scoreOf(comparisons: readonly Comparison[]): number | undefined {
  const judged = comparisons.filter((c) => c.verdict !== 'nodata');
  const total = judged.reduce((sum, c) => sum + c.weight, 0);
  if (judged.length === 0 || total <= 0) return undefined;
  const passed = judged.filter((c) => c.verdict === 'pass').reduce((sum, c) => sum + c.weight, 0);
  return Math.round((10000 * passed) / total) / 100;
}
