/**
 * The statistics of the judge against known values.
 *
 * Where each expected value comes from:
 * - `SCIPY`: SciPy 1.10.1 (Debian python3-scipy), computed offline by mann-whitney-reference.py beside this
 *   file and pasted verbatim (`[statistic, pvalue]` of scipy.stats.mannwhitneyu, use_continuity=True, and
 *   scipy.stats.norm.sf). "scipy-docs" is also the published example of scipy's mannwhitneyu documentation
 *   (males vs females, U = 17, exact two-sided p = 0.1111…).
 * - the exact null frequencies: enumerated by hand (each U count is the number of arrangements of the two
 *   samples with that many x-before-y inversions; the counts sum to C(m+n, m)), see the comments.
 */
import { describe, expect, it } from 'vitest';
import {
  type Alternative,
  exactUFrequencies,
  mannWhitneyU,
} from '../../../../src/analysis/judge/mann-whitney.js';
import { erfc, normalSf } from '../../../../src/analysis/judge/normal.js';

type Row = Record<string, [number, number]>;

/** Output of mann-whitney-reference.py (SciPy 1.10.1). */
const SCIPY: Record<string, Row | Record<string, number>> = {
  'scipy-docs': {
    'two-sided/auto': [17.0, 0.1111111111111111],
    'two-sided/asymptotic': [17.0, 0.11134688653314041],
    'two-sided/exact': [17.0, 0.1111111111111111],
    'greater/auto': [17.0, 0.05555555555555555],
    'greater/asymptotic': [17.0, 0.055673443266570206],
    'greater/exact': [17.0, 0.05555555555555555],
    'less/auto': [17.0, 0.9682539682539684],
    'less/asymptotic': [17.0, 0.9669037101389033],
    'less/exact': [17.0, 0.9682539682539684],
  },
  tiny: {
    'two-sided/auto': [0.0, 0.3333333333333333],
    'two-sided/asymptotic': [0.0, 0.2452781168067728],
    'two-sided/exact': [0.0, 0.3333333333333333],
    'greater/auto': [0.0, 0.9999999999999999],
    'greater/asymptotic': [0.0, 0.9735962442919432],
    'greater/exact': [0.0, 0.9999999999999999],
    'less/auto': [0.0, 0.16666666666666666],
    'less/asymptotic': [0.0, 0.1226390584033864],
    'less/exact': [0.0, 0.16666666666666666],
  },
  'ties-small': {
    'two-sided/auto': [3.0, 0.09934224785346528],
    'two-sided/asymptotic': [3.0, 0.09934224785346528],
    'greater/auto': [3.0, 0.9713880745611612],
    'greater/asymptotic': [3.0, 0.9713880745611612],
    'less/auto': [3.0, 0.04967112392673264],
    'less/asymptotic': [3.0, 0.04967112392673264],
  },
  'series-30': {
    'two-sided/auto': [537.0, 0.20094889697592833],
    'two-sided/asymptotic': [537.0, 0.20094889697592833],
    'greater/auto': [537.0, 0.10047444848796416],
    'greater/asymptotic': [537.0, 0.10047444848796416],
    'less/auto': [537.0, 0.9021046208244005],
    'less/asymptotic': [537.0, 0.9021046208244005],
  },
  'series-12-9': {
    'two-sided/auto': [72.0, 0.2136207303090525],
    'two-sided/asymptotic': [72.0, 0.2136207303090525],
    'greater/auto': [72.0, 0.10681036515452624],
    'greater/asymptotic': [72.0, 0.10681036515452624],
    'less/auto': [72.0, 0.9057009727203892],
    'less/asymptotic': [72.0, 0.9057009727203892],
  },
  'exact-8-20': {
    'two-sided/auto': [112.0, 0.11034440599657991],
    'two-sided/asymptotic': [112.0, 0.10917218938513513],
    'two-sided/exact': [112.0, 0.11034440599657991],
    'greater/auto': [112.0, 0.055172202998289954],
    'greater/asymptotic': [112.0, 0.05458609469256757],
    'greater/exact': [112.0, 0.055172202998289954],
    'less/auto': [112.0, 0.9504688548166808],
    'less/asymptotic': [112.0, 0.9508121556839586],
    'less/exact': [112.0, 0.9504688548166808],
  },
  'errors-20': {
    'two-sided/auto': [280.0, 0.010661446581879423],
    'two-sided/asymptotic': [280.0, 0.010661446581879423],
    'greater/auto': [280.0, 0.0053307232909397114],
    'greater/asymptotic': [280.0, 0.0053307232909397114],
    'less/auto': [280.0, 0.9951412744538152],
    'less/asymptotic': [280.0, 0.9951412744538152],
  },
  'all-tied': {
    'two-sided/auto': [60.0, 1.0],
    'two-sided/asymptotic': [60.0, 1.0],
    'greater/auto': [60.0, 1.0],
    'greater/asymptotic': [60.0, 1.0],
    'less/auto': [60.0, 1.0],
    'less/asymptotic': [60.0, 1.0],
  },
  'norm.sf': {
    '-3.0': 0.9986501019683699,
    '-0.5': 0.6914624612740131,
    '0.0': 0.5,
    '0.3': 0.3820885778110474,
    '1.0': 0.15865525393145707,
    '1.959963984540054': 0.025,
    '2.5': 0.006209665325776132,
    '2.8': 0.002555130330427932,
    '3.5': 0.00023262907903552502,
    '5.0': 2.866515718791933e-7,
    '8.0': 6.22096057427174e-16,
    '12.0': 1.776482112077653e-33,
    '30.0': 4.906713927147908e-198,
  },
};

/** The same formulas as mann-whitney-reference.py, so both sides see identical samples. */
const series = (n: number, scale: number, offset: number, mod = 7): number[] =>
  Array.from({ length: n }, (_, i) => offset + scale * (((i * 37) % 101) / 101 + ((i * i) % mod) / 1000));
const zeroHeavy = (n: number, every: number, value: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % every === 0 ? value : 0));

const SAMPLES: Record<string, [number[], number[]]> = {
  'scipy-docs': [
    [19, 22, 16, 29, 24],
    [20, 11, 17, 12],
  ],
  tiny: [
    [1, 2],
    [3, 4],
  ],
  'ties-small': [
    [1, 2, 2, 3],
    [2, 3, 3, 4, 5],
  ],
  'series-30': [series(30, 1.0, 0.1), series(30, 1.0, 0.0)],
  'series-12-9': [series(12, 2.0, 0.5, 5), series(9, 2.0, 0.0, 3)],
  'exact-8-20': [series(8, 1.0, 0.3), series(20, 1.0, 0.0, 11)],
  'errors-20': [zeroHeavy(20, 2, 0.08), zeroHeavy(20, 5, 0.002)],
  'all-tied': [Array(10).fill(0), Array(12).fill(0)],
};

/** |actual − expected| within 1e-12 absolute or 1e-9 relative. */
function expectClose(actual: number, expected: number, what: string): void {
  const ok = Math.abs(actual - expected) <= Math.max(1e-12, Math.abs(expected) * 1e-9);
  expect(ok, `${what}: got ${actual}, expected ${expected}`).toBe(true);
}

const cases = Object.entries(SAMPLES).flatMap(([name, [x, y]]) =>
  Object.entries(SCIPY[name] as Row).map(([key, [u, p]]) => {
    const [alternative, method] = key.split('/') as [Alternative, 'auto' | 'exact' | 'asymptotic'];
    return { name: `${name} ${key}`, x, y, alternative, method, u, p };
  }),
);

describe('Mann–Whitney U against SciPy', () => {
  it.each(cases)('$name', ({ x, y, alternative, method, u, p }) => {
    const result = mannWhitneyU(x, y, alternative, { method });
    expect(result.u).toBe(u);
    expectClose(result.pValue, p, 'p-value');
  });

  it('picks the exact method as SciPy does: a sample of at most 8 and no ties', () => {
    const [x, y] = SAMPLES['exact-8-20'] as [number[], number[]];
    expect(mannWhitneyU(x, y).method).toBe('exact');
    expect(mannWhitneyU(...(SAMPLES['ties-small'] as [number[], number[]])).method).toBe('asymptotic');
    expect(mannWhitneyU(...(SAMPLES['series-30'] as [number[], number[]])).method).toBe('asymptotic');
  });

  it('refuses empty samples and NaN', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([Number.NaN], [1])).toThrow(RangeError);
  });
});

describe('the exact null distribution of U (enumerated by hand)', () => {
  it('m = n = 2: 6 arrangements, U = 0,1,2,3,4 in 1,1,2,1,1 of them', () => {
    // xxyy→0 xyxy→1 xyyx,yxxy→2 yxyx→3 yyxx→4 (U = pairs with x after y)
    expect([...exactUFrequencies(2, 2)]).toEqual([1, 1, 2, 1, 1]);
  });

  it('m = 2, n = 3: 10 arrangements; m = n = 3: 20 (partitions fitting a 3×3 box)', () => {
    // U = a + b with 0 ≤ a ≤ b ≤ 3: sums 0..6 occur 1,1,2,2,2,1,1 times
    expect([...exactUFrequencies(2, 3)]).toEqual([1, 1, 2, 2, 2, 1, 1]);
    // partitions of k into at most 3 parts each ≤ 3, k = 0..9
    expect([...exactUFrequencies(3, 3)]).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
  });

  it('tiny samples give the hand-computed p-values 1/6 and 1/3', () => {
    expectClose(mannWhitneyU([1, 2], [3, 4], 'less').pValue, 1 / 6, 'less');
    expectClose(mannWhitneyU([1, 2], [3, 4], 'two-sided').pValue, 1 / 3, 'two-sided');
  });

  it('frequencies sum to C(m+n, m), also past 2^53', () => {
    const sum = (m: number, n: number) => [...exactUFrequencies(m, n)].reduce((a, b) => a + b, 0);
    expect(sum(8, 60)).toBe(7392009768); // C(68, 8), Python's math.comb
    expectClose(sum(8, 1000), 2.5708099169553625e19, 'C(1008, 8)'); // math.comb(1008, 8)
  });
});

describe('the normal survival function', () => {
  it.each(Object.entries(SCIPY['norm.sf'] as Record<string, number>))(
    'sf(%s) as scipy.stats.norm.sf',
    (z, expected) => {
      expectClose(normalSf(Number(z)), expected, `sf(${z})`);
    },
  );

  it('handles the infinities and NaN', () => {
    expect(normalSf(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(Number.isNaN(erfc(Number.NaN))).toBe(true);
  });
});
