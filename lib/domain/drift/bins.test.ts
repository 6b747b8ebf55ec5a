import { describe, expect, it } from "vitest";
import {
  binIndex,
  buildReferenceBins,
  buildReferenceCategories,
  categoricalHistogram,
  featureDefinitionsSchema,
  histogram,
  slotCount,
  sumStoredCounts,
  toHistogramSample,
} from "./bins";

describe("buildReferenceBins", () => {
  it("uses numpy-style linear quantiles so each bin holds about the same share of the reference", () => {
    const values = Array.from({ length: 1001 }, (_, i) => i ** 2 / 1000); // skewed: 0 … 1000
    const bins = buildReferenceBins(values, { bins: 10 });
    expect(bins.binning).toBe("quantile");
    // np.quantile(values, 0.1) sits on index 100 exactly: 100² / 1000 = 10.
    expect(bins.edges).toHaveLength(11);
    expect(bins.edges[0]).toBe(0);
    expect(bins.edges[1]).toBeCloseTo(10, 12);
    expect(bins.edges[10]).toBe(1000);
    const perBin = bins.counts.slice(0, -1);
    expect(Math.max(...perBin) - Math.min(...perBin)).toBeLessThanOrEqual(1);
    expect(bins.counts[10]).toBe(0);
  });

  it("offers equal-width edges", () => {
    const bins = buildReferenceBins(
      Array.from({ length: 100 }, (_, i) => i),
      { bins: 4, strategy: "equal-width" },
    );
    expect(bins.edges).toEqual([0, 24.75, 49.5, 74.25, 99]);
    expect(bins.counts).toEqual([25, 25, 25, 25, 0]);
  });

  it("merges coinciding quantile edges when values repeat heavily", () => {
    const values = [...Array(800).fill(0), ...Array.from({ length: 200 }, (_, i) => i + 1)];
    const bins = buildReferenceBins(values, { bins: 10 });
    expect(new Set(bins.edges).size).toBe(bins.edges.length);
    expect(bins.edges.length).toBeLessThan(11);
    expect(bins.counts[0]).toBeGreaterThanOrEqual(800);
  });

  it("gives each distinct value its own centred bin and each gap a bin when there are few values", () => {
    const bins = buildReferenceBins([1, 1, 2, 5, 5, null, Number.NaN]);
    expect(bins.binning).toBe("distinct");
    // Smallest gap 1 → half-width 0.25.
    expect(bins.edges).toEqual([0.75, 1.25, 1.75, 2.25, 4.75, 5.25]);
    expect(bins.counts).toEqual([2, 0, 1, 0, 2, 2]);
    expect(bins.missing).toBe(2);
    expect(binIndex(bins.edges, 4)).toBe(3); // a value the reference never had: the gap bin (2, 5)
  });

  it("reports np.std (ddof 0) and the mean of the finite values", () => {
    const bins = buildReferenceBins([2, 4, 4, 4, 5, 5, 7, 9, Number.POSITIVE_INFINITY]);
    expect(bins.mean).toBe(5);
    expect(bins.std).toBe(2);
    expect(bins.finiteCount).toBe(8);
    expect(bins.missing).toBe(1);
  });

  it("refuses a reference without finite values", () => {
    expect(() => buildReferenceBins([null, Number.NaN])).toThrow(RangeError);
  });
});

describe("histogram", () => {
  const edges = [0, 1, 2, 3];

  it("counts [e_i, e_i+1) with the last bin closed, like np.histogram", () => {
    expect(histogram([0, 0.5, 1, 2.999, 3], edges)).toEqual([2, 1, 2, 0]);
  });

  it("counts values beyond the reference range in the outer bins and non-finite ones as missing", () => {
    expect(histogram([-10, 99, Number.NaN, null, undefined, Number.NEGATIVE_INFINITY], edges)).toEqual([
      1, 0, 1, 4,
    ]);
  });

  it("rejects edges that are not strictly increasing", () => {
    expect(() => histogram([1], [0, 1, 1])).toThrow(RangeError);
    expect(() => histogram([1], [0])).toThrow(RangeError);
  });
});

describe("categories", () => {
  it("lists categories by frequency, caps them and sends the rest to other", () => {
    const values = ["b", "a", "b", "c", "a", "b", "d", null, 3];
    const reference = buildReferenceCategories(values, { maxCategories: 2 });
    expect(reference.categories).toEqual(["b", "a"]);
    expect(reference.counts).toEqual([3, 2, 3, 1]);
  });

  it("counts unseen values as other and null/NaN as missing; numbers and booleans match their text", () => {
    expect(categoricalHistogram(["x", "zzz", 1, true, Number.NaN, undefined], ["x", "1", "true"])).toEqual([
      1, 1, 1, 1, 2,
    ]);
  });
});

describe("stored layout", () => {
  it("has one missing slot after the comparable ones", () => {
    expect(slotCount({ kind: "numeric", edges: [0, 1, 2] })).toBe(3);
    expect(slotCount({ kind: "categorical", categories: ["a", "b"] })).toBe(4);
    expect(toHistogramSample({ kind: "categorical", categories: ["a", "b"] }, [5, 6, 7, 8])).toEqual({
      counts: [5, 6, 7],
      missing: 8,
    });
    expect(() => toHistogramSample({ kind: "numeric", edges: [0, 1, 2] }, [1, 2])).toThrow(RangeError);
  });
});

describe("sumStoredCounts", () => {
  it("adds windows slot by slot and refuses a vector of another layout", () => {
    expect(
      sumStoredCounts(
        [
          [1, 2, 0],
          [3, 0, 1],
        ],
        3,
      ),
    ).toEqual([4, 2, 1]);
    expect(sumStoredCounts([], 2)).toEqual([0, 0]);
    expect(() => sumStoredCounts([[1, 2]], 3)).toThrow(RangeError);
  });
});

describe("featureDefinitionsSchema", () => {
  const numeric = { name: "age", kind: "numeric", edges: [0, 1, 2], reference: [3, 4, 0], referenceStd: 0.5 };
  const categorical = { name: "plan", kind: "categorical", categories: ["a"], reference: [1, 0, 0] };

  it("accepts what buildReferenceBins and buildReferenceCategories produce", () => {
    const bins = buildReferenceBins([1, 2, 3, 4, 5, 6], { bins: 3 });
    const categories = buildReferenceCategories(["x", "y"]);
    const features = [
      { name: "n", kind: "numeric", edges: bins.edges, reference: bins.counts, referenceStd: bins.std },
      { name: "c", kind: "categorical", categories: categories.categories, reference: categories.counts },
    ];
    expect(featureDefinitionsSchema.parse(features)).toEqual(features);
  });

  it("rejects broken layouts, unsorted edges and duplicate names", () => {
    expect(featureDefinitionsSchema.safeParse([{ ...numeric, reference: [1, 2] }]).success).toBe(false);
    expect(featureDefinitionsSchema.safeParse([{ ...numeric, edges: [0, 2, 1] }]).success).toBe(false);
    expect(featureDefinitionsSchema.safeParse([categorical, { ...categorical }]).success).toBe(false);
    expect(featureDefinitionsSchema.safeParse([{ ...categorical, reference: [1, -1, 0] }]).success).toBe(
      false,
    );
    expect(featureDefinitionsSchema.safeParse([numeric, categorical]).success).toBe(true);
  });
});
