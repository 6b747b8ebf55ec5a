import { categoryKey } from "./bins";
import { ks2SampPValue, type KsPValueMode } from "./distributions";
import type { PValueResult } from "./histogram-statistics";

/**
 * Raw-sample statistics, exact as scipy computes them, for callers that still hold rows (a reference
 * upload, the comparison API on two small datasets). Non-finite values must be removed first; the
 * helpers below that take raw values do it.
 */

/**
 * scipy.stats.ks_2samp(reference, current, method=mode), two-sided. D is taken after all ties at a
 * value (searchsorted 'right'), like scipy, so repeated values are handled.
 */
export function ks2Samp(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  mode: KsPValueMode = "auto",
): PValueResult {
  if (reference.length === 0 || current.length === 0)
    throw new RangeError("ks2Samp needs two non-empty samples");
  const a = Float64Array.from(reference).sort();
  const b = Float64Array.from(current).sort();
  let i = 0;
  let j = 0;
  let largest = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i], b[j]);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    const gap = Math.abs(i * b.length - j * a.length);
    if (gap > largest) largest = gap;
  }
  const statistic = largest / (a.length * b.length);
  return { statistic, pValue: ks2SampPValue(statistic, a.length, b.length, mode).pValue };
}

/** scipy.stats.wasserstein_distance(u, v): ∫ |U(x) − V(x)| dx between the empirical CDFs. */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length === 0 || v.length === 0)
    throw new RangeError("wassersteinDistance needs two non-empty samples");
  const a = Float64Array.from(u).sort();
  const b = Float64Array.from(v).sort();
  let i = 0;
  let j = 0;
  let previous = Math.min(a[0], b[0]);
  let distance = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    distance += Math.abs(i / a.length - j / b.length) * (next - previous);
    while (i < a.length && a[i] === next) i++;
    while (j < b.length && b[j] === next) j++;
    previous = next;
  }
  return distance;
}

/** np.std (ddof 0). */
export function populationStd(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** The finite numbers of a raw column; everything else (null, NaN, ±Infinity, strings) is missing. */
export function finiteNumbers(values: ArrayLike<unknown>): number[] {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "number" && Number.isFinite(value)) finite.push(value);
  }
  return finite;
}

export interface AlignedCounts {
  /** Sorted distinct keys present in either sample. */
  keys: string[];
  reference: number[];
  current: number[];
  referenceMissing: number;
  currentMissing: number;
}

/** Value counts of two raw columns over the union of their non-missing values, as Evidently aligns them. */
export function alignValueCounts(reference: ArrayLike<unknown>, current: ArrayLike<unknown>): AlignedCounts {
  const referenceCounts = new Map<string, number>();
  const currentCounts = new Map<string, number>();
  const referenceMissing = countInto(referenceCounts, reference);
  const currentMissing = countInto(currentCounts, current);
  const keys = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])].sort();
  return {
    keys,
    reference: keys.map((key) => referenceCounts.get(key) ?? 0),
    current: keys.map((key) => currentCounts.get(key) ?? 0),
    referenceMissing,
    currentMissing,
  };
}

function countInto(counts: Map<string, number>, values: ArrayLike<unknown>): number {
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const key = categoryKey(values[i]);
    if (key === undefined) missing++;
    else counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return missing;
}

/** np.histogram_bin_edges(values, bins="sturges"): ⌈log2 n⌉ + 1 equal-width bins over [min, max]. */
export function sturgesEdges(values: ArrayLike<number>): number[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  if (min === max) return [min - 0.5, max + 0.5];
  const bins = Math.ceil(Math.log2(values.length) + 1);
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + ((max - min) * i) / bins));
}
