import { normalSf } from './normal.js';

/** The alternative hypothesis about the first sample `x` against the second `y`. */
export type Alternative = 'greater' | 'less' | 'two-sided';

/** How the p-value was computed. */
export type MannWhitneyMethod = 'exact' | 'asymptotic';

/** A Mann–Whitney U test's outcome. */
export interface MannWhitneyResult {
  /** U of `x`: pairs (x, y) with x > y, a tie counting ½ (scipy's `statistic`). */
  readonly u: number;
  readonly pValue: number;
  readonly method: MannWhitneyMethod;
}

/** Options of `mannWhitneyU`; `auto` picks as scipy does, within `EXACT_WORK_LIMIT`. */
export interface MannWhitneyOptions {
  readonly method?: MannWhitneyMethod | 'auto';
}

/** Above this many steps (≈ m·n·(m+n)) the exact distribution is not computed and `auto` is asymptotic. */
export const EXACT_WORK_LIMIT = 2e8;

interface Ranked {
  /** Rank sum of the first sample, ties given the average of their positions. */
  readonly rankSumX: number;
  /** Σ (t³ − t) over groups of t tied values; 0 when there are no ties. */
  readonly tieTerm: number;
}

function rank(x: readonly number[], y: readonly number[]): Ranked {
  const all = [...x.map((v) => ({ v, first: true })), ...y.map((v) => ({ v, first: false }))];
  all.sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i + 1;
    while (j < all.length && all[j]?.v === all[i]?.v) j++;
    const ties = j - i;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]?.first) rankSumX += averageRank;
    tieTerm += ties ** 3 - ties;
    i = j;
  }
  return { rankSumX, tieTerm };
}

/**
 * Frequencies of U = 0…m·n under the null hypothesis for samples of sizes m and n: the coefficients of
 * the Gaussian binomial [m+n choose m]_q, built by [N, k] = [N−1, k−1] + q^k·[N−1, k]. Only additions of
 * non-negative numbers, so floating point keeps full relative precision even past 2^53.
 */
export function exactUFrequencies(m: number, n: number): Float64Array {
  let row = new Map<number, Float64Array>([[0, Float64Array.of(1)]]);
  for (let total = 1; total <= m + n; total++) {
    const next = new Map<number, Float64Array>();
    for (let k = Math.max(0, total - n); k <= Math.min(total, m); k++) {
      next.set(k, qPascal(row.get(k - 1), row.get(k), k, k * (total - k) + 1));
    }
    row = next;
  }
  return row.get(m) ?? Float64Array.of(1);
}

/** [N, k] = [N−1, k−1] + q^k·[N−1, k] as coefficient arrays (an absent term is zero). */
function qPascal(lower: Float64Array | undefined, same: Float64Array | undefined, k: number, size: number) {
  const poly = new Float64Array(size);
  if (lower) poly.set(lower);
  if (same) for (let d = 0; d < same.length; d++) (poly[d + k] as number) += same[d] as number;
  return poly;
}

/** P(U ≥ u) from the exact null distribution. */
function exactSf(u: number, m: number, n: number): number {
  const freq = exactUFrequencies(Math.min(m, n), Math.max(m, n));
  let total = 0;
  let tail = 0;
  for (let k = 0; k < freq.length; k++) {
    total += freq[k] as number;
    if (k >= u) tail += freq[k] as number;
  }
  return tail / total;
}

/** P(U ≥ u) by the normal approximation with tie and continuity corrections (scipy's `_get_mwu_z`). */
function asymptoticSf(u: number, m: number, n: number, tieTerm: number): number {
  const total = m + n;
  const sd = Math.sqrt(((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  if (!(sd > 0)) return 1;
  return normalSf((u - (m * n) / 2 - 0.5) / sd);
}

function chooseMethod(m: number, n: number, tieTerm: number, asked: MannWhitneyOptions['method']) {
  if (asked === 'exact' || asked === 'asymptotic') return asked;
  const small = Math.min(m, n) <= 8 && m * n * (m + n) <= EXACT_WORK_LIMIT;
  return small && tieTerm === 0 ? 'exact' : 'asymptotic';
}

/**
 * The Mann–Whitney U test of `x` against `y`, as scipy.stats.mannwhitneyu (continuity correction on):
 * U of `x` from average ranks; `greater` tests whether x tends to be larger, `less` smaller, `two-sided`
 * doubles the smaller tail. `auto` is exact when either sample has at most 8 values and there are no
 * ties (and the distribution is affordable), else the normal approximation with tie correction.
 * Samples must be non-empty and free of NaN (a RangeError otherwise); p is clipped to [0, 1].
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  if (x.length === 0 || y.length === 0) throw new RangeError('both samples must be non-empty');
  if ([...x, ...y].some(Number.isNaN)) throw new RangeError('samples must not contain NaN');
  const m = x.length;
  const n = y.length;
  const { rankSumX, tieTerm } = rank(x, y);
  const u1 = rankSumX - (m * (m + 1)) / 2;
  const u2 = m * n - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;
  const method = chooseMethod(m, n, tieTerm, options.method);
  const sf = method === 'exact' ? exactSf(Math.trunc(u), m, n) : asymptoticSf(u, m, n, tieTerm);
  return { u: u1, pValue: Math.min(1, Math.max(0, sf * factor)), method };
}
