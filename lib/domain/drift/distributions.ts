import erfc from "@stdlib/math-base-special-erfc";
import gammainc from "@stdlib/math-base-special-gammainc";

/**
 * Tail probabilities the drift tests need, matching scipy's definitions:
 * chi2.sf, norm.sf, kstwo.sf (the finite-n two-sided Kolmogorov distribution, Simard & L'Ecuyer's
 * method selection as in scipy.stats._ksstats) and ks_2samp's exact/asymptotic p-value.
 */

/** scipy.stats.chi2.sf(x, dof): the regularised upper incomplete gamma Q(dof/2, x/2), accurate in the tail. */
export function chiSquareSf(x: number, dof: number): number {
  if (!(dof > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return gammainc(x / 2, dof / 2, true, true);
}

/** scipy.stats.norm.sf(z), without the cancellation of 1 - cdf. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** "fast": the asymptotic law through fastKolmogorovSf (for many histogram comparisons). */
export type KsPValueMode = "auto" | "exact" | "asymp" | "fast";

export interface KsPValue {
  pValue: number;
  /** The statistic as the p-value saw it: exact mode snaps it to the lattice h / lcm(n1, n2). */
  statistic: number;
  method: "exact" | "asymp";
}

/** ks_2samp's 'auto' switches to the asymptotic distribution above this sample size. */
const KS_MAX_EXACT_N = 10_000;

/**
 * Two-sided p-value of the two-sample KS statistic `d` for sample sizes n1 and n2, as scipy's
 * `ks_2samp(..., method=mode)` computes it: lattice-path counting (Hodges) when exact, else
 * kstwo.sf(d, round(n1·n2 / (n1 + n2))). Like scipy, ties are ignored (the exact law assumes
 * continuous data, so with ties the test is conservative).
 */
export function ks2SampPValue(d: number, n1: number, n2: number, mode: KsPValueMode = "auto"): KsPValue {
  if (!(n1 > 0 && n2 > 0) || !Number.isInteger(n1) || !Number.isInteger(n2)) {
    throw new RangeError(`ks2SampPValue: sample sizes must be positive integers, got ${n1} and ${n2}`);
  }
  const useExact = mode === "exact" || (mode === "auto" && Math.max(n1, n2) <= KS_MAX_EXACT_N);
  if (useExact) {
    const exact = exactKs2SampPValue(d, n1, n2);
    if (exact !== undefined) return { pValue: exact.pValue, statistic: exact.statistic, method: "exact" };
  }
  const [large, small] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const effectiveN = roundHalfToEven((large * small) / (large + small));
  const sf = mode === "fast" ? fastKolmogorovSf : kolmogorovSf;
  return { pValue: clampProbability(sf(Math.max(effectiveN, 1), d)), statistic: d, method: "asymp" };
}

function exactKs2SampPValue(
  d: number,
  n1: number,
  n2: number,
): { pValue: number; statistic: number } | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  if (lcm > Number.MAX_SAFE_INTEGER) return undefined;
  const h = Math.round(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { pValue: 1, statistic };
  const pValue = n1 === n2 ? probabilityOutsideSquare(n1, h) : probabilityOutsideBand(n1, n2, g, h);
  // scipy falls back to the asymptotic law when rounding pushed the exact value out of range.
  if (!(pValue >= 0 && pValue <= 1)) return undefined;
  return { pValue, statistic };
}

/** Pr(D_{n,n} ≥ h/n) = 2·Σ_k (−1)^k binom(2n, n−(k+1)h) / binom(2n, n), summed Horner-style. */
function probabilityOutsideSquare(n: number, h: number): number {
  let total = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    total = term * (1 - total);
  }
  return 2 * total;
}

/**
 * Share of lattice paths (0,0)→(m,n) that leave the band |x/m − y/n| < h/lcm(m,n), i.e.
 * Pr(D ≥ h/lcm). Each cell holds that share directly (Viehmann's recursion, as scipy ≥ 1.7 does),
 * so there is neither overflow nor cancellation in 1 − Pr(inside).
 */
function probabilityOutsideBand(first: number, second: number, g: number, h: number): number {
  const m = Math.max(first, second);
  const n = Math.min(first, second);
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let length = maxJ - minJ;
  // Cells beyond the live window are outside the band: share 1.
  const column = new Float64Array(n + 2).fill(1);
  column.fill(0, minJ, maxJ);
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = length;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    length = maxJ - minJ;
    const offset = minJ - lastMinJ;
    let below = minJ === 0 ? 0 : 1;
    for (let k = 0; k < length; k++) {
      const j = k + minJ;
      below = (column[k + offset] * i + below * j) / (i + j);
      column[k] = below;
    }
    if (lastLength > length) column.fill(1, length, lastLength);
  }
  return column[length - 1];
}

/**
 * scipy.stats.kstwo.sf(x, n): Pr(D_n ≥ x) for the two-sided one-sample KS statistic, choosing the
 * algorithm like scipy's _kolmogn (Simard & L'Ecuyer 2011). Where scipy uses Pomeranz's recursion
 * (n ≤ 140, 0.754693 < n·x² ≤ 4) this uses the Durbin matrix, which is exact there as well.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: for 1/(2n) ≤ x ≤ 1/n the CDF is n!/nⁿ · (2t − 1)ⁿ.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clampProbability(1 - cdf);
  }
  if (t >= n - 1) return clampProbability(2 * (1 - x) ** n);
  if (x >= 0.5) return clampProbability(2 * smirnovSf(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 4) return clampProbability(1 - durbinMatrixCdf(n, x));
    return clampProbability(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clampProbability(2 * smirnovSf(n, x));
  // Far below any critical value the Durbin matrix loses all precision for large n (it returned 0
  // at n = 100,000); Kolmogorov's limit is within 1e-12 of 1 there.
  if (x * Math.sqrt(n) < 0.2) return clampProbability(1 - kolmogorovLimitCdf(x * Math.sqrt(n)));
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return clampProbability(1 - durbinMatrixCdf(n, x));
  return clampProbability(1 - pelzGoodCdf(n, x));
}

/** The limiting Kolmogorov CDF for small y: √(2π)/y · Σ exp(−(2k−1)²π²/(8y²)), fast to converge there. */
function kolmogorovLimitCdf(y: number): number {
  let sum = 0;
  for (let k = 1; k <= 5; k++) sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * y * y));
  return (Math.sqrt(2 * Math.PI) / y) * sum;
}

/** Exact kstwo.sf values for n ≤ 140, where the Durbin matrix may be needed; bounded like an LRU. */
const smallSampleSf = new Map<string, number>();
const SMALL_SAMPLE_SF_ENTRIES = 8192;

/**
 * kstwo.sf(x, n) for drift over many windows. For 140 < n ≤ 100,000 (and 1/n < x < 0.5) it uses
 * Pelz & Good's expansion, O(√n·x), instead of the Durbin matrix (O(k³·log n), k = ⌈n·x⌉, ~1 ms at
 * n = 230) or the O(n) Smirnov sum that kolmogorovSf picks like scipy. Measured against those for
 * n = 141…30,000 over the whole x range: absolute error ≤ 3.1e-6, relative error ≤ 0.6 % while
 * p > 1e-6 (FAST_KOLMOGOROV_MAX_ERROR is the tested bound), so decisions at p = 0.05 only differ
 * when p is within that of the threshold. Elsewhere the value is exactly kolmogorovSf's; for
 * n ≤ 140 it is memoised per (n, x), as windows of equal size repeat the same lattice statistics.
 */
export function fastKolmogorovSf(n: number, x: number): number {
  if (n <= 140) {
    const key = `${n}:${x}`;
    let value = smallSampleSf.get(key);
    if (value === undefined) {
      value = kolmogorovSf(n, x);
      if (smallSampleSf.size >= SMALL_SAMPLE_SF_ENTRIES)
        smallSampleSf.delete(smallSampleSf.keys().next().value!);
      smallSampleSf.set(key, value);
    }
    return value;
  }
  if (!Number.isInteger(n) || Number.isNaN(x)) return Number.NaN;
  const t = n * x;
  const nxSquared = t * x;
  if (t > 1 && x < 0.5 && t < n - 1 && nxSquared < 370 && n <= 100_000) {
    return clampProbability(1 - pelzGoodCdf(n, x));
  }
  return kolmogorovSf(n, x);
}

/** Bound on |fastKolmogorovSf − kolmogorovSf| (absolute), see its doc comment and the tests. */
export const FAST_KOLMOGOROV_MAX_ERROR = 1e-5;

/**
 * scipy.special.smirnov(n, x): Pr(D_n⁺ ≥ x), the one-sided KS survival function, by the exact
 * Birnbaum–Tingey sum. Every term is positive, so it is summed in log space without cancellation.
 */
export function smirnovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const lastJ = Math.floor(n * (1 - x));
  let logBinomial = 0;
  let maxLog = Number.NEGATIVE_INFINITY;
  let scaledSum = 0;
  for (let j = 0; j <= lastJ; j++) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const remaining = 1 - x - j / n;
    if (remaining <= 0 && n - j > 0) continue;
    const logTerm =
      (remaining <= 0 ? 0 : (n - j) * Math.log(remaining)) + logBinomial + (j - 1) * Math.log(x + j / n);
    // Running log-sum-exp: the sum is kept relative to the largest term so far.
    if (logTerm > maxLog) {
      scaledSum = scaledSum * Math.exp(maxLog - logTerm) + 1;
      maxLog = logTerm;
    } else {
      scaledSum += Math.exp(logTerm - maxLog);
    }
  }
  if (maxLog === Number.NEGATIVE_INFINITY) return 0;
  return clampProbability(x * scaledSum * Math.exp(maxLog));
}

const TWO_POW_128 = 2 ** 128;
const TWO_POW_MINUS_128 = 2 ** -128;

/** Pr(D_n ≤ d) by Durbin's matrix as evaluated by Marsaglia, Tsang & Wang (2003). */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  const tail = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tail) * factorial;
  let matrix: Float64Array = new Float64Array(m * m);
  for (let column = 1; column < m; column++) {
    for (let row = column - 1; row < m; row++) matrix[row * m + column] = w[row - column + 1];
  }
  for (let row = 0; row < m; row++) matrix[row * m] = v[row];
  for (let column = 0; column < m; column++) matrix[(m - 1) * m + column] = v[m - 1 - column];

  // Only entry (k−1, k−1) of Hⁿ is needed: carry row k−1 as a vector, square H itself.
  let row: Float64Array = new Float64Array(m);
  row[k - 1] = 1;
  let nextRow: Float64Array = new Float64Array(m);
  let square: Float64Array = new Float64Array(m * m);
  let exponent = 0;
  let matrixExponent = 0;
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      multiplyRowByMatrix(row, matrix, nextRow, m);
      [row, nextRow] = [nextRow, row];
      exponent += matrixExponent;
    }
    if (remaining === 1) break;
    multiplyMatrices(matrix, matrix, square, m);
    [matrix, square] = [square, matrix];
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)]) > TWO_POW_128) {
      for (let i = 0; i < matrix.length; i++) matrix[i] /= TWO_POW_128;
      matrixExponent += 128;
    }
  }
  let p = row[k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < TWO_POW_MINUS_128) {
      p *= TWO_POW_128;
      exponent -= 128;
    }
  }
  return clampProbability(ldexp(p, exponent));
}

function multiplyRowByMatrix(
  row: Float64Array,
  matrix: Float64Array,
  into: Float64Array,
  size: number,
): void {
  into.fill(0);
  for (let inner = 0; inner < size; inner++) {
    const left = row[inner];
    if (left === 0) continue;
    for (let column = 0; column < size; column++) into[column] += left * matrix[inner * size + column];
  }
}

function multiplyMatrices(a: Float64Array, b: Float64Array, product: Float64Array, size: number): void {
  product.fill(0);
  for (let row = 0; row < size; row++) {
    for (let inner = 0; inner < size; inner++) {
      const left = a[row * size + inner];
      if (left === 0) continue;
      for (let column = 0; column < size; column++) {
        product[row * size + column] += left * b[inner * size + column];
      }
    }
  }
}

const PI_SQUARED = Math.PI ** 2;
const PI_FOURTH = Math.PI ** 4;
const PI_SIXTH = Math.PI ** 6;
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);

/** Pelz & Good's (1976) small-z form of the Li-Chien/Korolyuk expansion of Pr(D_n ≤ x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -PI_SQUARED / 8 / z2;
  if (qLog < -708) return 0;
  let q = Math.exp(qLog);

  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOURTH * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIXTH * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOURTH * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const odd = 2 * k - 1;
    const odd2 = odd * odd;
    const odd4 = odd2 * odd2;
    const odd6 = odd4 * odd2;
    const qPower = q ** (8 * k);
    terms[0] = terms[0] * qPower + 1;
    terms[1] = terms[1] * qPower + (k1a + k1b * odd2);
    terms[2] = terms[2] * qPower + (k2a + k2b * odd2 + k2c * odd4);
    terms[3] = terms[3] * qPower + (k3a + k3b * odd2 + k3c * odd4 + k3d * odd6);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i] * q * SQRT_TWO_PI) / divisors[i];

  q = Math.exp(-PI_SQUARED / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const kSquared = k * k;
    const qPower = q ** kSquared;
    k2Extra += kSquared * qPower;
    const kPi = Math.PI * k;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * kSquared * qPower;
  }
  terms[2] += (k2Extra * PI_SQUARED * SQRT_TWO_PI) / (-36 * z3);
  terms[3] += (k3Extra * PI_SQUARED * SQRT_TWO_PI) / (216 * z6);
  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += terms[i] / n ** (i / 2);
  return clampProbability(cdf);
}

const STIRLING_COEFFICIENTS = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/** log(n! / nⁿ) by Stirling's series, with n·log(n) removed up front to avoid cancellation. */
function logFactorialOverPower(n: number): number {
  const reciprocal = 1 / n;
  const reciprocalSquared = reciprocal * reciprocal;
  let series = 0;
  for (const coefficient of STIRLING_COEFFICIENTS) series = series * reciprocalSquared + coefficient;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + reciprocal * series;
}

function ldexp(value: number, exponent: number): number {
  if (exponent === 0 || value === 0) return value;
  const half = Math.trunc(exponent / 2);
  return value * 2 ** half * 2 ** (exponent - half);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy.round: ties go to the even neighbour. */
function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function clampProbability(p: number): number {
  if (Number.isNaN(p)) return p;
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
