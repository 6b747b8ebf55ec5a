import { describe, expect, it } from "vitest";
import {
  chiSquareSf,
  FAST_KOLMOGOROV_MAX_ERROR,
  fastKolmogorovSf,
  kolmogorovSf,
  ks2SampPValue,
  normalSf,
  smirnovSf,
} from "./distributions";

// Expected values were printed by scipy 1.17.1 (`scipy.stats.chi2.sf`, `norm.sf`, `kstwo.sf`,
// `scipy.special.smirnov`, `scipy.stats._stats_py._attempt_exact_2kssamp`) unless a comment derives them.

function expectRelativelyClose(actual: number, expected: number, relative = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative + 1e-300);
}

describe("chiSquareSf", () => {
  it.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [20, 4, 0.0004993992273873336], // also e^-10·(1 + 10) by hand: Q(2, 10) for even dof
    [100, 50, 3.454931382984871e-5],
    [0.5, 3, 0.9188914116546758],
    [250, 10, 5.427833960969259e-48],
  ])("chi2.sf(%f, %i) = %g", (x, dof, expected) => {
    expectRelativelyClose(chiSquareSf(x, dof), expected);
  });

  it("is 1 at zero, 0 at infinity and NaN without degrees of freedom", () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(chiSquareSf(1, 0)).toBeNaN();
  });
});

describe("normalSf", () => {
  it("matches norm.sf in the body and the far tail", () => {
    expectRelativelyClose(normalSf(1.959963984540054), 0.025);
    expectRelativelyClose(normalSf(5), 2.866515718791933e-7, 1e-12);
    expect(normalSf(0)).toBe(0.5);
  });
});

describe("kolmogorovSf (kstwo.sf)", () => {
  // The grid walks every branch of Simard & L'Ecuyer's selection: Ruben–Gambino (n·x ≤ 1 and
  // n·x ≥ n − 1), Durbin matrix, exact 2·smirnov for x ≥ 0.5, the n ≤ 140 tail, and Pelz–Good.
  it.each([
    [5, 0.15, 0.9988],
    [10, 0.3, 0.27053557479999946],
    [10, 0.45, 0.022891810311718164],
    [10, 0.6, 0.0005681672000000003],
    [10, 0.95, 1.9531250000000172e-13],
    [100, 0.25, 5.408871776434847e-6],
    [100, 0.1, 0.2526927570063874],
    [1000, 0.01, 0.9999496745370611],
    [1000, 0.03, 0.3226902143914636],
    [1000, 0.05, 0.013012074781090332],
    [200000, 0.002, 0.39995085369038097],
    [200000, 0.004, 0.003314212822560255],
  ])("kstwo.sf(%f, n=%i)", (n, x, expected) => {
    expectRelativelyClose(kolmogorovSf(n, x), expected, 1e-9);
  });

  it("reproduces Massey's 5% critical values (n=5: 0.56328, n=10: 0.40925, n=20: 0.29408)", () => {
    expect(kolmogorovSf(5, 0.56328)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSf(10, 0.40925)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSf(20, 0.29408)).toBeCloseTo(0.05, 4);
  });

  it("saturates outside (0, 1)", () => {
    expect(kolmogorovSf(1000, 0.7)).toBe(0);
    expect(kolmogorovSf(500, 0.0015)).toBe(1);
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
  });
});

describe("smirnovSf", () => {
  it.each([
    [1, 0.3, 0.7], // one observation: Pr(D⁺ ≥ x) = Pr(U ≤ 1 − x) = 1 − x
    [10, 0.2, 0.39676169159999997],
    [100, 0.1, 0.1265906584562817],
    [1000, 0.05, 0.006506037390545166],
  ])("smirnov(%i, %f)", (n, x, expected) => {
    expectRelativelyClose(smirnovSf(n, x), expected, 1e-11);
  });
});

describe("ks2SampPValue", () => {
  it("gives 2 / binom(10, 5) for two fully separated samples of five (ks_2samp([1..5], [6..10]))", () => {
    // Of the 252 orderings of two groups of five, only the two fully separated ones reach D = 1.
    const result = ks2SampPValue(1, 5, 5);
    expectRelativelyClose(result.pValue, 2 / 252, 1e-12);
    expect(result.method).toBe("exact");
  });

  it.each([
    [0.2, 100, 100, 0.2, 0.03638428787491733],
    [0.1, 1000, 300, 0.1, 0.01848732101450905],
    [0.35, 7, 13, 0.3516483516483517, 0.4833849329205366],
    [0.05, 2000, 3000, 0.05, 0.004836257555649373],
    [0.02, 10000, 10000, 0.02, 0.03662861114079258],
    [0.6, 12, 12, 0.5833333333333334, 0.031436056203858066],
    [0.5, 20, 8, 0.5, 0.08690633038459127],
  ])("exact: d=%f, n1=%i, n2=%i", (d, n1, n2, snapped, expected) => {
    const result = ks2SampPValue(d, n1, n2);
    expect(result.method).toBe("exact");
    expect(result.statistic).toBeCloseTo(snapped, 12);
    expectRelativelyClose(result.pValue, expected, 1e-9);
  });

  it("switches to kstwo.sf(d, round(n1·n2/(n1+n2))) above 10,000 rows, like 'auto'", () => {
    const result = ks2SampPValue(0.03, 15000, 800);
    expect(result.method).toBe("asymp");
    expectRelativelyClose(result.pValue, 0.49231962044656763, 1e-9);
    expectRelativelyClose(result.pValue, kolmogorovSf(759, 0.03), 1e-15);
  });

  it("agrees with brute-force enumeration of every arrangement of two small samples", () => {
    // Under H0 every interleaving of the n1 + n2 ranks is equally likely: count those whose ECDF gap
    // reaches d, independently of the lattice-path algorithm.
    for (const [n1, n2] of [
      [4, 6],
      [3, 7],
      [5, 5],
      [6, 9],
    ]) {
      const distribution = enumerateKsStatistics(n1, n2);
      for (const d of new Set(distribution)) {
        const tail = distribution.filter((value) => value >= d - 1e-12).length / distribution.length;
        expectRelativelyClose(ks2SampPValue(d, n1, n2).pValue, tail, 1e-12);
      }
    }
  });

  it("rejects non-integer sample sizes", () => {
    expect(() => ks2SampPValue(0.1, 0, 5)).toThrow(RangeError);
    expect(() => ks2SampPValue(0.1, 2.5, 5)).toThrow(RangeError);
  });
});

function enumerateKsStatistics(n1: number, n2: number): number[] {
  const statistics: number[] = [];
  const walk = (taken1: number, taken2: number, largest: number) => {
    if (taken1 === n1 && taken2 === n2) {
      statistics.push(largest);
      return;
    }
    if (taken1 < n1) walk(taken1 + 1, taken2, Math.max(largest, Math.abs((taken1 + 1) / n1 - taken2 / n2)));
    if (taken2 < n2) walk(taken1, taken2 + 1, Math.max(largest, Math.abs(taken1 / n1 - (taken2 + 1) / n2)));
  };
  walk(0, 0, 0);
  return statistics;
}

describe("fastKolmogorovSf", () => {
  it("stays within its documented error of kstwo.sf for n > 140 over the whole range", () => {
    let worstAbsolute = 0;
    let worstRelative = 0;
    for (const n of [141, 230, 231, 500, 1000, 5000, 30_000]) {
      for (let i = 1; i < 500; i++) {
        const x = (i / 500) * 0.5;
        const exact = kolmogorovSf(n, x);
        const error = Math.abs(fastKolmogorovSf(n, x) - exact);
        worstAbsolute = Math.max(worstAbsolute, error);
        if (exact > 1e-6) worstRelative = Math.max(worstRelative, error / exact);
      }
    }
    expect(worstAbsolute).toBeGreaterThan(0);
    expect(worstAbsolute).toBeLessThan(FAST_KOLMOGOROV_MAX_ERROR);
    expect(worstRelative).toBeLessThan(0.01);
  });

  it("equals kstwo.sf exactly for n ≤ 140, memoised or not", () => {
    for (const [n, x] of [
      [20, 0.29408],
      [44, 0.2],
      [140, 0.05],
      [140, 0.2],
    ]) {
      expect(fastKolmogorovSf(n, x)).toBe(kolmogorovSf(n, x));
      expect(fastKolmogorovSf(n, x)).toBe(kolmogorovSf(n, x));
    }
  });
});

describe("kolmogorovSf far below any critical value", () => {
  it("stays near 1 for large samples instead of collapsing to 0", async () => {
    const { kolmogorovSf } = await import("./distributions");
    // √n·x ≈ 0.006: the Kolmogorov limit puts the survival within 1e-30 of 1.
    expect(kolmogorovSf(100_000, 1.8878553634082045e-5)).toBeCloseTo(1, 10);
    // √n·x = 0.19: K(0.19) ≈ 1e-13 by the limit series.
    expect(kolmogorovSf(10_000, 0.0019)).toBeGreaterThan(0.999999);
  });
});
