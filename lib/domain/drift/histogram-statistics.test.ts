import { describe, expect, it } from "vitest";
import { buildReferenceBins, histogram } from "./bins";
import { kolmogorovSf, ks2SampPValue } from "./distributions";
import {
  chiSquareFromCounts,
  histogramStd,
  jensenShannonDistance,
  ksFromHistograms,
  psi,
  wassersteinFromHistograms,
  zTestFromCounts,
} from "./histogram-statistics";
import { ks2Samp, populationStd, wassersteinDistance } from "./sample-statistics";

describe("psi", () => {
  it("sums (r − c)·ln(r / c) over shares", () => {
    // By hand: (0.5 − 0.9)·ln(0.5/0.9) + (0.5 − 0.1)·ln(0.5/0.1) = 0.2351151 + 0.6437752.
    expect(psi([50, 50], [90, 10])).toBeCloseTo(0.4 * Math.log(0.9 / 0.5) + 0.4 * Math.log(5), 12);
  });

  it("replaces a zero share like Evidently: 1e-4 when the smallest non-zero share exceeds 1e-4", () => {
    // Reference shares [0, .5, .5] → [1e-4, .5, .5]; current [.1, .45, .45].
    const expected = (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + 2 * (0.5 - 0.45) * Math.log(0.5 / 0.45);
    expect(psi([0, 50, 50], [10, 45, 45])).toBeCloseTo(expected, 12);
  });

  it("uses min share / 1e6 when the smallest non-zero share is at most 1e-4", () => {
    // Reference: 1 of 20,000 in the first bucket (share 5e-5), none in the last: that zero becomes 5e-11.
    const reference = [1, 19_999, 0];
    const current = [10, 80, 10];
    const r = [1 / 20_000, 19_999 / 20_000, 5e-5 / 1e6];
    const c = [0.1, 0.8, 0.1];
    const expected = r.reduce((total, share, i) => total + (share - c[i]) * Math.log(share / c[i]), 0);
    expect(psi(reference, current)).toBeCloseTo(expected, 10);
  });

  it("is zero for identical distributions and NaN for an empty side", () => {
    expect(psi([3, 5, 2], [30, 50, 20])).toBeCloseTo(0, 15);
    expect(psi([3, 5, 2], [0, 0, 0])).toBeNaN();
  });
});

describe("jensenShannonDistance", () => {
  it("matches scipy.spatial.distance.jensenshannon (natural log)", () => {
    expect(jensenShannonDistance([1, 0], [0.5, 0.5])).toBeCloseTo(0.464501404022459, 14);
    // Disjoint supports reach the maximum √ln 2.
    expect(jensenShannonDistance([1, 0, 0], [0, 1, 0])).toBeCloseTo(0.8325546111576977, 14);
    expect(jensenShannonDistance([10, 20, 30, 40], [25, 25, 25, 25])).toBeCloseTo(0.16692996572597962, 14);
  });

  it("normalises counts, so scale does not matter", () => {
    expect(jensenShannonDistance([2, 4, 6], [1, 1, 1])).toBeCloseTo(
      jensenShannonDistance([20, 40, 60], [7, 7, 7]),
      14,
    );
  });
});

describe("wassersteinFromHistograms", () => {
  it("equals scipy's raw-sample distance when each distinct value has its own bin", () => {
    const reference = [0, 0, 1, 1, 1, 2.5, 7, 7];
    const current = [1, 2.5, 2.5, 7, 7, 7, 7, 0];
    const bins = buildReferenceBins(reference);
    expect(bins.binning).toBe("distinct");
    const binned = wassersteinFromHistograms(
      bins.counts.slice(0, -1),
      histogram(current, bins.edges).slice(0, -1),
      bins.edges,
    );
    expect(binned).toBeCloseTo(wassersteinDistance(reference, current), 12);
  });

  it("stays within half a bin width of the raw-sample distance for continuous data", () => {
    const reference = Array.from(
      { length: 2000 },
      (_, i) => Math.sin(i * 12.9898) * 3 + Math.cos(i * 4.1414),
    );
    const current = reference.map((value, i) => value * 0.9 + 0.1 + Math.sin(i) * 0.05);
    const bins = buildReferenceBins(reference, { bins: 20 });
    const referenceCounts = bins.counts.slice(0, -1);
    const currentCounts = histogram(current, bins.edges).slice(0, -1);
    const binned = wassersteinFromHistograms(referenceCounts, currentCounts, bins.edges);
    const raw = wassersteinDistance(reference, current);
    // Documented bound: ½·Σ width_i·(r_i + c_i) over shares (current values beyond the range excluded).
    let bound = 0;
    for (let i = 0; i < referenceCounts.length; i++) {
      const width = bins.edges[i + 1] - bins.edges[i];
      bound += (width * (referenceCounts[i] / reference.length + currentCounts[i] / current.length)) / 2;
    }
    const beyondRange = current.filter(
      (value) => value < bins.edges[0] || value > bins.edges[bins.edges.length - 1],
    );
    expect(beyondRange).toHaveLength(0);
    expect(Math.abs(binned - raw)).toBeLessThanOrEqual(bound);
    expect(Math.abs(binned - raw) / raw).toBeLessThan(0.1);
  });

  it("is zero for the same distribution and rejects mismatched edges", () => {
    expect(wassersteinFromHistograms([1, 2, 3], [10, 20, 30], [0, 1, 2, 3])).toBeCloseTo(0, 15);
    expect(() => wassersteinFromHistograms([1, 2], [1, 2], [0, 1])).toThrow(RangeError);
  });
});

describe("histogramStd", () => {
  it("is exact for distinct-value bins, also with uneven gaps", () => {
    const values = [1, 1, 2, 5, 5, 5, 5.5];
    const bins = buildReferenceBins(values);
    expect(histogramStd(bins.counts.slice(0, -1), bins.edges)).toBeCloseTo(populationStd(values), 12);
  });
});

describe("ksFromHistograms", () => {
  it("equals ks_2samp on the bin-coded values and never exceeds the raw statistic", () => {
    const reference = Array.from({ length: 400 }, (_, i) => Math.sin(i * 7.77) * 2);
    const current = Array.from({ length: 250 }, (_, i) => Math.sin(i * 3.33) * 2 + 0.6);
    const bins = buildReferenceBins(reference, { bins: 10 });
    const binned = ksFromHistograms(
      bins.counts.slice(0, -1),
      histogram(current, bins.edges).slice(0, -1),
      "auto",
    );
    const indexOf = (value: number) =>
      bins.edges.filter((edge, i) => i > 0 && i < bins.edges.length - 1 && edge <= value).length;
    const coded = ks2Samp(reference.map(indexOf), current.map(indexOf));
    expect(binned.statistic).toBeCloseTo(coded.statistic, 14);
    expect(binned.pValue).toBeCloseTo(coded.pValue, 12);
    expect(binned.statistic).toBeLessThanOrEqual(ks2Samp(reference, current).statistic + 1e-15);
    expect(binned.pValue).toBeLessThan(0.05);
  });

  it("gives D = 1 and scipy's exact p-value for disjoint histograms in 'auto' mode", () => {
    const result = ksFromHistograms([5, 0], [0, 5], "auto");
    expect(result.statistic).toBe(1);
    expect(result.pValue).toBeCloseTo(2 / 252, 14);
  });

  it("defaults to the asymptotic p-value, kstwo.sf(D, round(n1·n2/(n1+n2)))", () => {
    // D = |30/100 − 50/80| = 0.325; n = round(8000/180) = 44.
    const result = ksFromHistograms([30, 70], [50, 30]);
    expect(result.statistic).toBeCloseTo(0.325, 14);
    expect(result.pValue).toBe(kolmogorovSf(44, result.statistic));
    expect(result.pValue).toBeCloseTo(ks2SampPValue(0.325, 100, 80).pValue, 2);
  });
});

describe("chiSquareFromCounts", () => {
  it("scales the reference to the current total and tests with dof = buckets − 1", () => {
    // Reference 50/30/20, current 40/25/35: expected 50/30/20, statistic 2 + 0.8333 + 11.25 = 14.0833.
    const result = chiSquareFromCounts([50, 30, 20], [40, 25, 35]);
    expect(result.statistic).toBeCloseTo(100 / 50 + 25 / 30 + 225 / 20, 12);
    expect(result.degreesOfFreedom).toBe(2);
    // chi2.sf(x, 2) = exp(−x/2).
    expect(result.pValue).toBeCloseTo(Math.exp(-result.statistic / 2), 14);
  });

  it("skips buckets empty on both sides and gives p = 0 for a bucket only the current has", () => {
    expect(chiSquareFromCounts([50, 0, 50], [50, 0, 50]).degreesOfFreedom).toBe(1);
    const unseen = chiSquareFromCounts([50, 50, 0], [45, 45, 10]);
    expect(unseen.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(unseen.pValue).toBe(0);
  });
});

describe("zTestFromCounts", () => {
  it("is the pooled two-proportion z-test", () => {
    // p1 = 0.4, p2 = 0.55, pooled 0.475: z = −0.15 / √(0.475·0.525·(1/100 + 1/100)) = −2.12494.
    const result = zTestFromCounts([60, 40], [45, 55]);
    expect(result.statistic).toBeCloseTo(-0.15 / Math.sqrt(0.475 * 0.525 * 0.02), 12);
    // Evidently's 2·(1 − norm.cdf(|z|)) for these samples, computed with scipy.
    expect(result.pValue).toBeCloseTo(0.03367206885634588, 12);
  });

  it("gives p = 1 when both sides hold the same single value and refuses three values", () => {
    expect(zTestFromCounts([0, 30], [0, 12]).pValue).toBe(1);
    expect(() => zTestFromCounts([1, 1, 1], [1, 1, 1])).toThrow(RangeError);
  });
});
