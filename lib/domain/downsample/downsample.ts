import { lttbIndices } from "./lttb";

/**
 * Downsampling of metric histories (MLflow step/timestamp/value) for charts.
 *
 * The default is M4 (Jugel et al., VLDB 2014): x is split into aligned buckets and each keeps its
 * first, last, minimum and maximum point. Why M4 rather than LTTB:
 * - every series keeps its true first, last, minimum and maximum, and every bucket its envelope, so
 *   a spike never disappears (LTTB drops any point its triangle rule does not favour);
 * - buckets are aligned to multiples of a power-of-two width, so the M4 of a union of M4 outputs is
 *   the M4 of the raw union: mergeDownsampled extends a cached series with new steps and gets
 *   exactly what downsampling the whole history would give, without re-reading old steps;
 * - one pass, no floating-point area maths.
 * LTTB (with first, last, min and max forced in) is offered for smoother previews; it is not mergeable.
 *
 * NaN values are kept only as a series' or bucket's first/last point (so gaps stay visible) and are
 * never a minimum or maximum (null, as JSON writes NaN, reads as NaN); ±Infinity are ordinary
 * extremes. Points are ordered by step, then
 * timestamp, then input order; input that is not sorted is sorted first.
 */

export interface MetricSeries {
  steps: ArrayLike<number>;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export type DownsampleMethod = "m4" | "lttb";

export interface DownsampledSeries {
  steps: number[];
  timestamps: number[];
  values: number[];
  method: DownsampleMethod;
  /** Points of the full history this summarises. */
  sourceCount: number;
  /** M4 bucket width is 2^bucketExponent steps; buckets are [i·width, (i+1)·width). */
  bucketExponent: number;
  target: number;
}

export interface DownsampleOptions {
  method?: DownsampleMethod;
}

/** At most `target` points (≥ 4); a series that already fits is returned whole. */
export function downsampleSeries(
  series: MetricSeries,
  target: number,
  options: DownsampleOptions = {},
): DownsampledSeries {
  assertTarget(target);
  const points = toSortedPoints(series);
  const method = options.method ?? "m4";
  const bucketExponent = smallestBucketExponent(points, target, Number.NEGATIVE_INFINITY);
  if (points.count <= target)
    return toSeries(points, allIndices(points.count), method, points.count, bucketExponent, target);
  const indices = method === "m4" ? m4Indices(points, bucketExponent) : lttbWithExtremes(points, target);
  return toSeries(points, indices, method, points.count, bucketExponent, target);
}

/**
 * Extends an M4-downsampled series with new points (any steps, also late ones inside the cached
 * range). The result is identical to downsampleSeries over the whole history with the same target:
 * the cached points contain every bucket's first/last/min/max at the cached width, and widths only
 * double, so each new bucket's extremes are among the cached and new points (zero error). If
 * `target` grew since the cache was built, buckets cannot be split again: the width stays, and the
 * result has fewer points than a full recompute would (still exact M4 at that width).
 */
export function mergeDownsampled(
  existing: DownsampledSeries,
  newPoints: MetricSeries,
  target: number,
): DownsampledSeries {
  assertTarget(target);
  if (existing.method !== "m4")
    throw new TypeError("Only M4 output can be merged exactly; recompute LTTB from the full history");
  const added = newPoints.steps.length;
  const points = toSortedPoints({
    steps: concat(existing.steps, newPoints.steps),
    timestamps: concat(existing.timestamps, newPoints.timestamps),
    values: concat(existing.values, newPoints.values),
  });
  const sourceCount = existing.sourceCount + added;
  const bucketExponent = smallestBucketExponent(points, target, existing.bucketExponent);
  const indices = sourceCount <= target ? allIndices(points.count) : m4Indices(points, bucketExponent);
  return toSeries(points, indices, "m4", sourceCount, bucketExponent, target);
}

interface SortedPoints {
  count: number;
  steps: ArrayLike<number>;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

function toSortedPoints(series: MetricSeries): SortedPoints {
  const count = series.steps.length;
  if (series.timestamps.length !== count || series.values.length !== count) {
    throw new RangeError("steps, timestamps and values must have the same length");
  }
  let isSorted = true;
  for (let i = 1; i < count && isSorted; i++) {
    const stepOrder = series.steps[i] - series.steps[i - 1];
    isSorted = stepOrder > 0 || (stepOrder === 0 && series.timestamps[i] >= series.timestamps[i - 1]);
  }
  const values = withNullAsNaN(series.values);
  if (isSorted) return { count, steps: series.steps, timestamps: series.timestamps, values };
  const order = sortedOrder(series);
  const permute = (source: ArrayLike<number>) => {
    const permuted = new Float64Array(count);
    for (let i = 0; i < count; i++) permuted[i] = source[order[i]];
    return permuted;
  };
  return {
    count,
    steps: permute(series.steps),
    timestamps: permute(series.timestamps),
    values: permute(values),
  };
}

/** JSON has no NaN: a cached series read back holds null where NaN was. */
function withNullAsNaN(values: ArrayLike<number>): ArrayLike<number> {
  let hasNull = false;
  for (let i = 0; i < values.length && !hasNull; i++) hasNull = typeof values[i] !== "number";
  if (!hasNull) return values;
  return Float64Array.from(Array.prototype.slice.call(values) as unknown[], (value) =>
    typeof value === "number" ? value : Number.NaN,
  );
}

function sortedOrder(series: MetricSeries): number[] {
  // Array.prototype.sort is stable, so equal (step, timestamp) keep their input order.
  return Array.from({ length: series.steps.length }, (_, i) => i).sort(
    (a, b) => series.steps[a] - series.steps[b] || series.timestamps[a] - series.timestamps[b],
  );
}

/**
 * Smallest power-of-two width of at least one step (MLflow steps are integers) and not below
 * `floor`, whose aligned buckets over the steps number at most target/4.
 */
function smallestBucketExponent(points: SortedPoints, target: number, floor: number): number {
  const buckets = Math.floor(target / 4);
  if (points.count === 0) return Math.max(floor, 0);
  const first = points.steps[0];
  const last = points.steps[points.count - 1];
  const span = last - first;
  let exponent = Math.max(span > 0 ? Math.floor(Math.log2(span / buckets)) - 1 : 0, 0, floor);
  while (Math.floor(last / 2 ** exponent) - Math.floor(first / 2 ** exponent) + 1 > buckets) exponent++;
  return exponent;
}

/** First, last, min and max of every aligned bucket, in order, each point once. */
function m4Indices(points: SortedPoints, bucketExponent: number): Uint32Array {
  const width = 2 ** bucketExponent;
  const { count, steps, values } = points;
  const selected = new Uint32Array(count);
  let selectedCount = 0;
  let start = 0;
  while (start < count) {
    const bucket = Math.floor(steps[start] / width);
    let end = start + 1;
    while (end < count && Math.floor(steps[end] / width) === bucket) end++;
    let minIndex = -1;
    let maxIndex = -1;
    for (let i = start; i < end; i++) {
      const value = values[i];
      if (Number.isNaN(value)) continue;
      if (minIndex < 0 || value < values[minIndex]) minIndex = i;
      if (maxIndex < 0 || value > values[maxIndex]) maxIndex = i;
    }
    selectedCount = pushSortedUnique(selected, selectedCount, [start, minIndex, maxIndex, end - 1]);
    start = end;
  }
  return selected.subarray(0, selectedCount);
}

function pushSortedUnique(into: Uint32Array, count: number, candidates: number[]): number {
  candidates.sort((a, b) => a - b);
  for (const index of candidates) {
    if (index < 0) continue;
    if (count > 0 && into[count - 1] === index) continue;
    into[count++] = index;
  }
  return count;
}

/** LTTB over the non-NaN points with the series' first, last, min and max forced in. */
function lttbWithExtremes(points: SortedPoints, target: number): Uint32Array {
  const { count, steps, values } = points;
  let minIndex = -1;
  let maxIndex = -1;
  let finiteCount = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i];
    if (Number.isNaN(value)) continue;
    if (minIndex < 0 || value < values[minIndex]) minIndex = i;
    if (maxIndex < 0 || value > values[maxIndex]) maxIndex = i;
    if (Number.isFinite(value)) finiteCount++;
  }
  const candidates = new Uint32Array(finiteCount);
  let next = 0;
  for (let i = 0; i < count; i++) if (Number.isFinite(values[i])) candidates[next++] = i;
  // Four slots are reserved for the forced points, so the union never exceeds the target.
  const shape = lttbIndices(steps, values, candidates, target - 4);
  const forced = [0, count - 1, minIndex, maxIndex].filter((index) => index >= 0);
  const union = new Set<number>([...shape, ...forced]);
  return Uint32Array.from([...union].sort((a, b) => a - b));
}

function toSeries(
  points: SortedPoints,
  indices: ArrayLike<number>,
  method: DownsampleMethod,
  sourceCount: number,
  bucketExponent: number,
  target: number,
): DownsampledSeries {
  const pick = (source: ArrayLike<number>) => {
    const picked = new Array<number>(indices.length);
    for (let i = 0; i < indices.length; i++) picked[i] = source[indices[i]];
    return picked;
  };
  return {
    steps: pick(points.steps),
    timestamps: pick(points.timestamps),
    values: pick(points.values),
    method,
    sourceCount,
    bucketExponent,
    target,
  };
}

function allIndices(count: number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return indices;
}

function concat(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const joined = new Array<number>(a.length + b.length);
  for (let i = 0; i < a.length; i++) joined[i] = a[i];
  for (let i = 0; i < b.length; i++) joined[a.length + i] = b[i];
  return joined;
}

function assertTarget(target: number): void {
  if (!Number.isInteger(target) || target < 4)
    throw new RangeError(`target must be an integer ≥ 4, got ${target}`);
}
