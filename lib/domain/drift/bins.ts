import { z } from "zod";

/**
 * The histogram layout Switchboard stores instead of raw rows. A monitor fixes, per feature, the
 * reference bin edges (numeric) or category list (categorical) once, so every window's counts are
 * comparable with the reference and with each other.
 *
 * Stored count vectors (the monitor's `reference` and every window's `counts`) have one slot per
 * comparable bucket followed by ONE missing slot:
 * - numeric: one slot per bin (edges.length − 1), then missing;
 * - categorical: one slot per category, then "other" (values not in the list), then missing.
 * Numeric bins are [e_i, e_i+1) with the last closed, like numpy; the outer bins are open-ended, so
 * current values outside the reference range still count (in the first or last bin).
 */

export type FeatureKind = "numeric" | "categorical";

export interface NumericFeatureDefinition {
  name: string;
  kind: "numeric";
  /** Strictly increasing, at least two. */
  edges: number[];
  /** Stored layout: one count per bin, then missing. */
  reference: number[];
  /** Population standard deviation (np.std) of the raw reference, for the normed Wasserstein. */
  referenceStd?: number;
}

export interface CategoricalFeatureDefinition {
  name: string;
  kind: "categorical";
  categories: string[];
  /** Stored layout: one count per category, then other, then missing. */
  reference: number[];
}

export type FeatureDefinition = NumericFeatureDefinition | CategoricalFeatureDefinition;

const countsSchema = z.array(z.number().int().nonnegative());

/** Validates a monitor's stored `features` JSON, including the layout invariants below. */
export const featureDefinitionsSchema: z.ZodType<FeatureDefinition[]> = z
  .array(
    z.discriminatedUnion("kind", [
      z.object({
        name: z.string().min(1),
        kind: z.literal("numeric"),
        edges: z.array(z.number()).min(2),
        reference: countsSchema,
        referenceStd: z.number().nonnegative().optional(),
      }),
      z.object({
        name: z.string().min(1),
        kind: z.literal("categorical"),
        categories: z.array(z.string()),
        reference: countsSchema,
      }),
    ]),
  )
  .superRefine((features, ctx) => {
    const names = new Set<string>();
    features.forEach((feature, index) => {
      if (names.has(feature.name))
        ctx.addIssue({ code: "custom", path: [index, "name"], message: `Duplicate feature ${feature.name}` });
      names.add(feature.name);
      if (feature.kind === "numeric" && !isStrictlyIncreasing(feature.edges)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "edges"],
          message: "Edges must be finite and strictly increasing",
        });
      }
      if (feature.reference.length !== slotCount(feature)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "reference"],
          message: `Expected ${slotCount(feature)} reference slots`,
        });
      }
    });
  });

/** A histogram ready for the drift statistics: comparable slots only, missing kept apart. */
export interface HistogramSample {
  counts: ArrayLike<number>;
  missing?: number;
}

export type FeatureLayout =
  | Pick<NumericFeatureDefinition, "kind" | "edges">
  | Pick<CategoricalFeatureDefinition, "kind" | "categories">;

/** Length of a stored count vector for this feature, missing slot included. */
export function slotCount(layout: FeatureLayout): number {
  return layout.kind === "numeric" ? layout.edges.length : layout.categories.length + 2;
}

/** Element-wise sum of stored count vectors, e.g. the windows of an hour or a day. */
export function sumStoredCounts(vectors: readonly ArrayLike<number>[], slots: number): number[] {
  const total = new Array<number>(slots).fill(0);
  for (const vector of vectors) {
    if (vector.length !== slots)
      throw new RangeError(`A count vector has ${vector.length} slots, expected ${slots}`);
    for (let i = 0; i < slots; i++) total[i] += vector[i];
  }
  return total;
}

/** Splits a stored count vector into the comparable slots and the missing count. */
export function toHistogramSample(layout: FeatureLayout, stored: ArrayLike<number>): HistogramSample {
  const expected = slotCount(layout);
  if (stored.length !== expected) {
    throw new RangeError(`Stored counts have ${stored.length} slots; this feature's layout has ${expected}`);
  }
  return {
    counts: Array.prototype.slice.call(stored, 0, expected - 1) as number[],
    missing: stored[expected - 1],
  };
}

export type BinningStrategy = "quantile" | "equal-width";

export interface ReferenceBins {
  edges: number[];
  /** Stored layout: one count per bin, then missing. */
  counts: number[];
  /** How the edges were chosen: "distinct" when the reference has no more distinct values than bins. */
  binning: BinningStrategy | "distinct";
  finiteCount: number;
  missing: number;
  mean: number;
  /** Population standard deviation (ddof 0, like np.std, which Evidently's normed Wasserstein uses). */
  std: number;
}

export interface ReferenceBinsOptions {
  /** Upper bound on the number of bins; quantile edges that coincide are merged. Default 20. */
  bins?: number;
  strategy?: BinningStrategy;
}

/**
 * Fixed reference bins for a numeric feature. Quantile edges are the default: each bin then holds
 * about 1/bins of the reference, so no reference bin is near-empty (PSI's epsilon never dominates,
 * and heavy tails or outliers do not squash the bulk into one bin as equal-width bins do).
 * Evidently picks Sturges equal-width bins over reference and current together per comparison;
 * that cannot keep scores comparable across windows, so bins here depend on the reference alone.
 * With no more distinct values than `bins`, each distinct value gets its own narrow bin centred on
 * it and each gap between values a bin too (so up to 2·bins − 1 bins): chi-square, z, JS, PSI and
 * Wasserstein on such low-cardinality features then equal the raw-value results.
 */
export function buildReferenceBins(
  values: ArrayLike<number | null | undefined>,
  options: ReferenceBinsOptions = {},
): ReferenceBins {
  const maxBins = options.bins ?? 20;
  const strategy = options.strategy ?? "quantile";
  if (!Number.isInteger(maxBins) || maxBins < 1)
    throw new RangeError(`bins must be a positive integer, got ${maxBins}`);
  const finite = finiteValues(values);
  const missing = values.length - finite.length;
  if (finite.length === 0) throw new RangeError("buildReferenceBins: the reference has no finite values");
  finite.sort();

  const { mean, std } = meanAndStd(finite);
  const distinct = distinctSorted(finite);
  const distinctEdges = distinct.length <= maxBins ? edgesAroundDistinctValues(distinct) : undefined;
  const binning: ReferenceBins["binning"] = distinctEdges ? "distinct" : strategy;
  const edges =
    distinctEdges ??
    (strategy === "quantile"
      ? quantileEdges(finite, maxBins)
      : equalWidthEdges(finite[0], finite[finite.length - 1], maxBins));
  const counts = histogram(values, edges);
  return { edges, counts, binning, finiteCount: finite.length, missing, mean, std };
}

/** Bin of a finite value: binary search over the interior edges; outer bins are open-ended. */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  let low = 1;
  let high = edges.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Stored-layout counts of numeric values: one slot per bin, then missing (null, NaN, ±Infinity). */
export function histogram(values: ArrayLike<number | null | undefined>, edges: ArrayLike<number>): number[] {
  assertEdges(edges);
  const counts = new Array<number>(edges.length).fill(0);
  const missingSlot = edges.length - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "number" && Number.isFinite(value)) counts[binIndex(edges, value)]++;
    else counts[missingSlot]++;
  }
  return counts;
}

export interface ReferenceCategories {
  categories: string[];
  /** Stored layout: one count per category, then other (0 unless capped), then missing. */
  counts: number[];
}

/**
 * Category list for a categorical feature, most frequent first (ties by name), capped at
 * `maxCategories`; rarer reference values fall into the "other" slot along with unseen ones.
 */
export function buildReferenceCategories(
  values: ArrayLike<unknown>,
  options: { maxCategories?: number } = {},
): ReferenceCategories {
  const maxCategories = options.maxCategories ?? 50;
  const frequencies = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const key = categoryKey(values[i]);
    if (key !== undefined) frequencies.set(key, (frequencies.get(key) ?? 0) + 1);
  }
  const categories = [...frequencies.entries()]
    .sort(
      ([nameA, countA], [nameB, countB]) => countB - countA || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0),
    )
    .slice(0, maxCategories)
    .map(([name]) => name);
  return { categories, counts: categoricalHistogram(values, categories) };
}

/** Stored-layout counts of categorical values: one slot per category, then other, then missing. */
export function categoricalHistogram(values: ArrayLike<unknown>, categories: readonly string[]): number[] {
  const slots = new Map(categories.map((category, index) => [category, index]));
  const counts = new Array<number>(categories.length + 2).fill(0);
  for (let i = 0; i < values.length; i++) {
    const key = categoryKey(values[i]);
    if (key === undefined) counts[categories.length + 1]++;
    else counts[slots.get(key) ?? categories.length]++;
  }
  return counts;
}

/** The category a raw value stands for; undefined for missing (null, undefined, NaN, ±Infinity). */
export function categoryKey(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return undefined;
}

export function assertEdges(edges: ArrayLike<number>): void {
  if (edges.length < 2) throw new RangeError("Bin edges need at least two values");
  if (!isStrictlyIncreasing(edges)) throw new RangeError("Bin edges must be finite and strictly increasing");
}

function finiteValues(values: ArrayLike<number | null | undefined>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) count++;
  const finite = new Float64Array(count);
  let next = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "number" && Number.isFinite(value)) finite[next++] = value;
  }
  return finite;
}

function meanAndStd(values: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

function distinctSorted(sorted: Float64Array): number[] {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  return distinct;
}

/**
 * A narrow bin centred on each distinct value (half-width: a quarter of the smallest gap), with the
 * gaps between values as bins of their own: a bin's midpoint is then its value, and a current value
 * the reference never had lands in a gap bin instead of being merged with a neighbour.
 */
function edgesAroundDistinctValues(distinct: number[]): number[] | undefined {
  if (distinct.length === 1) {
    const halfWidth = Math.max(Math.abs(distinct[0]), 1) / 4;
    return [distinct[0] - halfWidth, distinct[0] + halfWidth];
  }
  let smallestGap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < distinct.length; i++)
    smallestGap = Math.min(smallestGap, distinct[i] - distinct[i - 1]);
  const halfWidth = smallestGap / 4;
  const edges: number[] = [];
  for (const value of distinct) edges.push(value - halfWidth, value + halfWidth);
  return isStrictlyIncreasing(edges) ? edges : undefined;
}

function isStrictlyIncreasing(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]) || (i > 0 && !(values[i] > values[i - 1]))) return false;
  }
  return true;
}

/** numpy.quantile's default (linear) interpolation at i/bins, with coinciding edges merged. */
function quantileEdges(sorted: Float64Array, bins: number): number[] {
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const position = ((sorted.length - 1) * i) / bins;
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    const edge = sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

function equalWidthEdges(min: number, max: number, bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + ((max - min) * i) / bins));
}
