import { describe, expect, it } from "vitest";
import {
  alignValueCounts,
  finiteNumbers,
  ks2Samp,
  populationStd,
  sturgesEdges,
  wassersteinDistance,
} from "./sample-statistics";

describe("ks2Samp", () => {
  it("matches ks_2samp([1..5], [6..10]): D = 1, p = 2/252", () => {
    const result = ks2Samp([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(result.statistic).toBe(1);
    expect(result.pValue).toBeCloseTo(0.007936507936507936, 15);
  });

  it("takes the ECDF gap after all ties, like scipy (values from scipy 1.17.1)", () => {
    const a = [0.61, 1.2, 1.2, 2.5, 3.3, 3.3, 4.1, 5.0, 5.9, 7.2];
    const b = [1.2, 2.2, 3.3, 3.3, 4.8, 6.6, 7.7, 8.1];
    const result = ks2Samp(a, b);
    expect(result.statistic).toBeCloseTo(0.275, 14);
    expect(result.pValue).toBeCloseTo(0.8227067050596463, 12);
  });

  it("is symmetric and zero for identical samples", () => {
    expect(ks2Samp([3, 1, 2], [2, 3, 1]).statistic).toBe(0);
    expect(ks2Samp([3, 1, 2], [2, 3, 1]).pValue).toBe(1);
    expect(ks2Samp([1, 5, 9, 12], [2, 3]).pValue).toBeCloseTo(ks2Samp([2, 3], [1, 5, 9, 12]).pValue, 15);
  });
});

describe("wassersteinDistance", () => {
  it("matches the scipy documentation examples", () => {
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 14);
    expect(wassersteinDistance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4])).toBeCloseTo(2.7, 14);
  });

  it("handles ties (scipy gives 1.219 for these samples)", () => {
    const a = [0.61, 1.2, 1.2, 2.5, 3.3, 3.3, 4.1, 5.0, 5.9, 7.2];
    const b = [1.2, 2.2, 3.3, 3.3, 4.8, 6.6, 7.7, 8.1];
    expect(wassersteinDistance(a, b)).toBeCloseTo(1.2189999999999999, 13);
  });
});

describe("helpers", () => {
  it("population std is np.std", () => {
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
  });

  it("keeps finite numbers only", () => {
    expect(finiteNumbers([1, "2", null, Number.NaN, Number.POSITIVE_INFINITY, 3])).toEqual([1, 3]);
  });

  it("aligns value counts over the union of values", () => {
    expect(alignValueCounts(["a", "b", "a", null], ["c", "a"])).toEqual({
      keys: ["a", "b", "c"],
      reference: [2, 1, 0],
      current: [1, 0, 1],
      referenceMissing: 1,
      currentMissing: 0,
    });
  });

  it("builds Sturges edges like np.histogram_bin_edges(bins='sturges')", () => {
    // 8 values → ⌈log2 8 + 1⌉ = 4 equal bins over [0, 8].
    expect(sturgesEdges([0, 1, 2, 3, 4, 5, 6, 8])).toEqual([0, 2, 4, 6, 8]);
  });
});
