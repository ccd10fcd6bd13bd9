const SQRT_PI = Math.sqrt(Math.PI);
const EPSILON = 1e-17;
const MAX_TERMS = 500;

/** erf(x) for 0 ≤ x < 2 from the all-positive series 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!! (no cancellation). */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_TERMS && term > sum * EPSILON; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/** erfc(x) for x ≥ 2 from the continued fraction e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))) (A&S 7.1.14), by Lentz. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let j = 1; j < MAX_TERMS; j++) {
    const a = j / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** The complementary error function, to about 1e-15 relative accuracy; erfc(±∞) = 0 / 2, NaN stays NaN. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < 2 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** P(Z ≥ z) for a standard normal Z (scipy's `norm.sf`); 1 at −∞, 0 at +∞. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
