import { assertEdges } from "./bins";
import { chiSquareSf, ks2SampPValue, normalSf, type KsPValueMode } from "./distributions";

/**
 * Drift statistics computed from two count vectors over the same buckets (reference bins or
 * categories). For categorical data and for numeric features binned one bin per distinct value these
 * equal Evidently's raw-sample results exactly; where binning loses information, the doc comment says
 * how the binned value relates to the raw-sample one.
 */

export interface PValueResult {
  statistic: number;
  pValue: number;
}

/**
 * Population Stability Index Σ (r − c)·ln(r / c) over bucket shares, as Evidently computes it: a zero
 * share is replaced, per distribution, by min(non-zero share)/10⁶ when that minimum is ≤ 10⁻⁴ and by
 * 10⁻⁴ otherwise (no renormalisation). Buckets empty on both sides are skipped, as Evidently only
 * sees values present in either sample. Binned PSI is what PSI is defined on; Evidently's own numeric
 * PSI bins reference and current together with Sturges' rule, so values differ from Evidently's when
 * the bins differ.
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  assertSameLength(reference, current);
  const referenceTotal = sum(reference);
  const currentTotal = sum(current);
  if (referenceTotal === 0 || currentTotal === 0) return Number.NaN;
  const referenceZero = zeroShareReplacement(reference, referenceTotal);
  const currentZero = zeroShareReplacement(current, currentTotal);
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i] === 0 && current[i] === 0) continue;
    const r = reference[i] === 0 ? referenceZero : reference[i] / referenceTotal;
    const c = current[i] === 0 ? currentZero : current[i] / currentTotal;
    total += (r - c) * Math.log(r / c);
  }
  return total;
}

function zeroShareReplacement(counts: ArrayLike<number>, total: number): number {
  let minimum = Number.POSITIVE_INFINITY;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0 && counts[i] < minimum) minimum = counts[i];
  const minimumShare = minimum / total;
  return minimumShare <= 0.0001 ? minimumShare / 1e6 : 0.0001;
}

/**
 * scipy.spatial.distance.jensenshannon(p, q) with the natural log: √((KL(p‖m) + KL(q‖m)) / 2),
 * m = (p + q)/2, after normalising each vector to sum 1. It is the distance (the square root of the
 * divergence), bounded by √ln 2 ≈ 0.8326. Accepts counts or shares.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  assertSameLength(p, q);
  const pTotal = sum(p);
  const qTotal = sum(q);
  if (pTotal === 0 || qTotal === 0) return Number.NaN;
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / pTotal;
    const qi = q[i] / qTotal;
    const mi = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / mi);
    if (qi > 0) divergence += qi * Math.log(qi / mi);
  }
  return Math.sqrt(Math.max(divergence, 0) / 2);
}

/**
 * First Wasserstein distance between two numeric histograms with each bin's mass at its midpoint:
 * Σ |F_ref − F_cur| · (mid_{i+1} − mid_i) over interior edges, where F are the exact cumulative
 * shares at the edges. For bins centred on distinct values (see buildReferenceBins) this equals
 * scipy.stats.wasserstein_distance on the raw values as long as the current values are among the
 * reference's (a new value counts at its gap bin's midpoint). For continuous data it differs from the
 * raw-sample distance by at most ½·Σ width_i·(r_i + c_i) (each unit of mass moves at most half a
 * bin), and current values beyond the reference range count at the outer bins' midpoints, so a
 * shift past the range is underestimated.
 */
export function wassersteinFromHistograms(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  edges: ArrayLike<number>,
): number {
  assertSameLength(reference, current);
  if (edges.length !== reference.length + 1) {
    throw new RangeError(`${reference.length} bins need ${reference.length + 1} edges, got ${edges.length}`);
  }
  const referenceTotal = sum(reference);
  const currentTotal = sum(current);
  if (referenceTotal === 0 || currentTotal === 0) return Number.NaN;
  let referenceCumulative = 0;
  let currentCumulative = 0;
  let distance = 0;
  for (let i = 0; i < reference.length - 1; i++) {
    referenceCumulative += reference[i];
    currentCumulative += current[i];
    const gap = (edges[i + 2] - edges[i]) / 2;
    distance += Math.abs(referenceCumulative / referenceTotal - currentCumulative / currentTotal) * gap;
  }
  return distance;
}

/** Population standard deviation of a histogram with mass at bin midpoints (Sheppard-uncorrected). */
export function histogramStd(counts: ArrayLike<number>, edges: ArrayLike<number>): number {
  assertEdges(edges);
  const total = sum(counts);
  if (total === 0) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < counts.length; i++) mean += (counts[i] * (edges[i] + edges[i + 1])) / 2;
  mean /= total;
  let squares = 0;
  for (let i = 0; i < counts.length; i++) squares += counts[i] * ((edges[i] + edges[i + 1]) / 2 - mean) ** 2;
  return Math.sqrt(squares / total);
}

/** Evidently's normed Wasserstein: W1 / max(std_ref, 0.001). */
export function normWasserstein(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, 0.001);
}

/**
 * Two-sample KS from cumulative bin counts: D = max over edges of |F_ref − F_cur|, with ks_2samp's
 * p-value for the bucket totals. This is exactly ks_2samp run on the values replaced by their bin
 * index; the raw-sample D can only be larger (the supremum may fall inside a bin), so binned KS is
 * conservative: it never reports drift that the raw test would not.
 * The p-value defaults to the asymptotic law (kstwo.sf at n = round(n1·n2/(n1+n2)), what ks_2samp
 * uses above 10,000 rows): the exact law assumes no ties, which binned data never satisfies, and it
 * costs O(max(n1, n2)·band) per test, about 1 ms at 1000 × 300 rows here, far too slow for a day of
 * windows over 50 features. At 1000 × 300 rows the two differ by about 1% relative around p = 0.02.
 * The default "fast" mode evaluates that law through fastKolmogorovSf (absolute error ≤ 1e-4, only
 * for p-values far above 0.05), which keeps 50 features × 288 windows well under 200 ms.
 */
export function ksFromHistograms(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  mode: KsPValueMode = "fast",
): PValueResult {
  assertSameLength(reference, current);
  const referenceTotal = sum(reference);
  const currentTotal = sum(current);
  if (referenceTotal === 0 || currentTotal === 0) return { statistic: Number.NaN, pValue: Number.NaN };
  let referenceCumulative = 0;
  let currentCumulative = 0;
  let largest = 0;
  for (let i = 0; i < reference.length; i++) {
    referenceCumulative += reference[i];
    currentCumulative += current[i];
    // Compared as integers scaled by both totals, so ties between buckets are exact.
    const gap = Math.abs(referenceCumulative * currentTotal - currentCumulative * referenceTotal);
    if (gap > largest) largest = gap;
  }
  const statistic = largest / (referenceTotal * currentTotal);
  return { statistic, pValue: ks2SampPValue(statistic, referenceTotal, currentTotal, mode).pValue };
}

export interface ChiSquareResult extends PValueResult {
  degreesOfFreedom: number;
}

/**
 * Evidently's chi-square drift test: scipy.stats.chisquare(f_obs = current counts, f_exp = reference
 * counts scaled to the current total) over buckets non-empty in either sample; dof = buckets − 1.
 * A bucket the reference never saw but the current did gives an infinite statistic (p = 0). With a
 * single bucket there is nothing to test and p = 1.
 */
export function chiSquareFromCounts(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): ChiSquareResult {
  assertSameLength(reference, current);
  const referenceTotal = sum(reference);
  const currentTotal = sum(current);
  if (referenceTotal === 0 || currentTotal === 0) {
    return { statistic: Number.NaN, pValue: Number.NaN, degreesOfFreedom: 0 };
  }
  const scale = currentTotal / referenceTotal;
  let statistic = 0;
  let buckets = 0;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i] === 0 && current[i] === 0) continue;
    buckets++;
    const expected = reference[i] * scale;
    statistic += expected === 0 ? Number.POSITIVE_INFINITY : (current[i] - expected) ** 2 / expected;
  }
  const degreesOfFreedom = buckets - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1, degreesOfFreedom };
  return { statistic, pValue: chiSquareSf(statistic, degreesOfFreedom), degreesOfFreedom };
}

/**
 * Evidently's two-proportion z-test for features with at most two values: pooled standard error,
 * two-sided p = 2·(1 − Φ(|z|)). The same single value on both sides gives p = 1.
 */
export function zTestFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): PValueResult {
  assertSameLength(reference, current);
  const present: number[] = [];
  for (let i = 0; i < reference.length; i++) if (reference[i] > 0 || current[i] > 0) present.push(i);
  if (present.length > 2) throw new RangeError(`The z-test needs at most two values; got ${present.length}`);
  const referenceTotal = sum(reference);
  const currentTotal = sum(current);
  if (referenceTotal === 0 || currentTotal === 0) return { statistic: Number.NaN, pValue: Number.NaN };
  if (present.length < 2) return { statistic: 0, pValue: 1 };
  // Evidently codes the first (sorted) value as 0 and the other as 1, so p is the share of the second.
  const second = present[1];
  const p1 = reference[second] / referenceTotal;
  const p2 = current[second] / currentTotal;
  const pooled = (reference[second] + current[second]) / (referenceTotal + currentTotal);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / referenceTotal + 1 / currentTotal));
  return { statistic, pValue: 2 * normalSf(Math.abs(statistic)) };
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

function assertSameLength(reference: ArrayLike<number>, current: ArrayLike<number>): void {
  if (reference.length !== current.length) {
    throw new RangeError(`Reference has ${reference.length} buckets but current has ${current.length}`);
  }
}
