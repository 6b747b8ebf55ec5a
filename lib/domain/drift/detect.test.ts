import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/testing/random";
import {
  buildReferenceBins,
  buildReferenceCategories,
  categoricalHistogram,
  histogram,
  type FeatureDefinition,
} from "./bins";
import {
  defaultDriftMethod,
  detectDrift,
  detectFeatureDrift,
  driftInputFromDefinition,
  windowDriftMethod,
} from "./detect";

// Expected scores come from Evidently's stattest functions (legacy `calculations/stattests`:
// get_binned_data, _chi_stat_test, _z_stat_test, _psi, _jensenshannon, _wasserstein_distance_norm)
// re-run with numpy 2 / scipy 1.17.1 on the same samples.

const repeat = (value: string, times: number) => Array<string>(times).fill(value);
// Integer arithmetic, so the Python re-run builds exactly the same samples.
const largeReference = Array.from({ length: 1500 }, (_, i) => ((i * 7919) % 1000) / 100);
const shiftedCurrent = Array.from({ length: 700 }, (_, i) => ((i * 104729) % 1000) / 100 + 0.8);

describe("defaultDriftMethod (Evidently's get_stattest defaults)", () => {
  it.each([
    ["numeric", 1000, 6, "ks"],
    ["numeric", 1000, 5, "chisquare"],
    ["numeric", 1000, 2, "z"],
    ["categorical", 200, 3, "chisquare"],
    ["categorical", 200, 2, "z"],
    ["numeric", 1001, 6, "wasserstein"],
    ["numeric", 1001, 5, "jensenshannon"],
    ["categorical", 5000, 2, "jensenshannon"],
  ] as const)("%s, %i reference rows, %i values → %s", (kind, rows, distinct, method) => {
    expect(defaultDriftMethod(kind, rows, distinct)).toBe(method);
  });
});

describe("detectFeatureDrift on raw values", () => {
  const categoricalReference = [...repeat("a", 50), ...repeat("b", 30), ...repeat("c", 20)];
  const categoricalCurrent = [...repeat("a", 40), ...repeat("b", 25), ...repeat("c", 35)];

  it("chi-square for a small categorical reference", () => {
    const result = detectFeatureDrift({
      name: "colour",
      kind: "categorical",
      reference: { values: categoricalReference },
      current: { values: categoricalCurrent },
    });
    expect(result.method).toBe("chisquare");
    expect(result.score).toBeCloseTo(0.0008746675674878502, 14);
    expect(result.isDrifted).toBe(true);
  });

  it("explicit Jensen–Shannon and PSI on the same columns", () => {
    const input = {
      name: "colour",
      kind: "categorical" as const,
      reference: { values: categoricalReference },
      current: { values: categoricalCurrent },
    };
    expect(detectFeatureDrift({ ...input, method: "jensenshannon" }).score).toBeCloseTo(
      0.11949662207437342,
      14,
    );
    const psiResult = detectFeatureDrift({ ...input, method: "psi" });
    expect(psiResult.score).toBeCloseTo(0.11537280116143206, 14);
    expect(psiResult.isDrifted).toBe(true);
  });

  it("z-test for two values", () => {
    const result = detectFeatureDrift({
      name: "churned",
      kind: "categorical",
      reference: { values: [...repeat("yes", 60), ...repeat("no", 40)] },
      current: { values: [...repeat("yes", 45), ...repeat("no", 55)] },
    });
    expect(result.method).toBe("z");
    expect(result.score).toBeCloseTo(0.03367206885634588, 12);
    expect(result.isDrifted).toBe(true);
  });

  it("KS for a small numeric reference, ignoring missing values", () => {
    const result = detectFeatureDrift({
      name: "amount",
      kind: "numeric",
      reference: { values: [0.61, 1.2, 1.2, 2.5, 3.3, 3.3, 4.1, 5.0, 5.9, 7.2, null] },
      current: { values: [1.2, 2.2, 3.3, 3.3, 4.8, 6.6, 7.7, 8.1, Number.NaN] },
    });
    expect(result.method).toBe("ks");
    expect(result.score).toBeCloseTo(0.8227067050596463, 12);
    expect(result.isDrifted).toBe(false);
    expect(result.currentMissing).toBe(1);
  });

  it("normed Wasserstein above 1000 reference rows, and Evidently's Sturges-binned PSI and JS", () => {
    const input = {
      name: "latency",
      kind: "numeric" as const,
      reference: { values: largeReference },
      current: { values: shiftedCurrent },
    };
    const wasserstein = detectFeatureDrift(input);
    expect(wasserstein.method).toBe("wasserstein");
    expect(wasserstein.score).toBeCloseTo(0.27682456372338665, 12);
    expect(wasserstein.isDrifted).toBe(true);
    expect(detectFeatureDrift({ ...input, method: "psi" }).score).toBeCloseTo(0.5191761660023796, 12);
    expect(detectFeatureDrift({ ...input, method: "jensenshannon" }).score).toBeCloseTo(
      0.2151529228991889,
      12,
    );
    const unshifted = detectFeatureDrift({
      ...input,
      current: { values: shiftedCurrent.map((value) => value - 0.8) },
    });
    expect(unshifted.score).toBeCloseTo(0.0025311558679460638, 10);
    expect(unshifted.isDrifted).toBe(false);
  });

  it("Jensen–Shannon for a large categorical reference, with a value the reference never had", () => {
    const result = detectFeatureDrift({
      name: "region",
      kind: "categorical",
      reference: { values: [...repeat("x", 700), ...repeat("y", 500), ...repeat("z", 300)] },
      current: {
        values: [...repeat("x", 200), ...repeat("y", 200), ...repeat("z", 200), ...repeat("w", 50)],
      },
    });
    expect(result.method).toBe("jensenshannon");
    expect(result.score).toBeCloseTo(0.2022081674813028, 14);
  });
});

describe("detectFeatureDrift on stored histograms", () => {
  it("matches the raw-value result for categorical counts (the histogram is lossless there)", () => {
    const referenceValues = [...repeat("x", 700), ...repeat("y", 500), ...repeat("z", 300)];
    const currentValues = [...repeat("x", 200), ...repeat("y", 200), ...repeat("z", 200), ...repeat("w", 50)];
    const reference = buildReferenceCategories(referenceValues);
    const definition: FeatureDefinition = {
      name: "region",
      kind: "categorical",
      ...reference,
      reference: reference.counts,
    };
    const windowCounts = categoricalHistogram(currentValues, reference.categories);
    expect(windowCounts).toEqual([200, 200, 200, 50, 0]); // w lands in "other"
    const fromHistogram = detectFeatureDrift(driftInputFromDefinition(definition, windowCounts));
    expect(fromHistogram.method).toBe("jensenshannon");
    expect(fromHistogram.score).toBeCloseTo(0.2022081674813028, 14);
    const psiFromHistogram = detectFeatureDrift(
      driftInputFromDefinition(definition, windowCounts, { method: "psi" }),
    );
    expect(psiFromHistogram.score).toBeCloseTo(0.6251789648327339, 12);
  });

  it("approximates the raw normed Wasserstein from 20 quantile bins", () => {
    const bins = buildReferenceBins(largeReference, { bins: 20 });
    const definition: FeatureDefinition = {
      name: "latency",
      kind: "numeric",
      edges: bins.edges,
      reference: bins.counts,
      referenceStd: bins.std,
    };
    const result = detectFeatureDrift(
      driftInputFromDefinition(definition, histogram(shiftedCurrent, bins.edges)),
    );
    expect(result.method).toBe("wasserstein");
    // Raw: 0.2768. The reference is uniform on [0, 9.99]; 8% of the shifted current lies beyond it and
    // is counted at the last bin's midpoint, so the binned distance is lower but still far over 0.1.
    expect(result.score).toBeGreaterThan(0.2);
    expect(result.score).toBeLessThan(0.2768);
    expect(result.isDrifted).toBe(true);
  });

  it("uses KS on cumulative bin counts for a small numeric reference", () => {
    const reference = largeReference.slice(0, 800);
    const bins = buildReferenceBins(reference, { bins: 20 });
    const definition: FeatureDefinition = {
      name: "latency",
      kind: "numeric",
      edges: bins.edges,
      reference: bins.counts,
    };
    const drifted = detectFeatureDrift(
      driftInputFromDefinition(definition, histogram(shiftedCurrent, bins.edges)),
    );
    expect(drifted.method).toBe("ks");
    expect(drifted.isDrifted).toBe(true);
    const stable = detectFeatureDrift(
      driftInputFromDefinition(definition, histogram(largeReference.slice(800), bins.edges)),
    );
    expect(stable.isDrifted).toBe(false);
    expect(stable.score).toBeGreaterThan(0.05);
  });

  it("reports an empty window as not evaluated instead of drifted", () => {
    const result = detectFeatureDrift({
      name: "f",
      kind: "categorical",
      reference: { counts: [5, 5] },
      current: { counts: [0, 0], missing: 7 },
    });
    expect(result.isEvaluated).toBe(false);
    expect(result.isDrifted).toBe(false);
    expect(result.score).toBeNaN();
    expect(result.currentMissing).toBe(7);
  });

  it("refuses KS and Wasserstein for categorical features, like Evidently", () => {
    const input = {
      name: "f",
      kind: "categorical" as const,
      reference: { counts: [10, 10] },
      current: { counts: [5, 15] },
    };
    expect(() => detectFeatureDrift({ ...input, method: "ks" })).toThrow(TypeError);
    expect(() => detectFeatureDrift({ ...input, method: "wasserstein" })).toThrow(TypeError);
  });

  it("refuses to mix a histogram with raw values, and Wasserstein without edges", () => {
    expect(() =>
      detectFeatureDrift({
        name: "f",
        kind: "numeric",
        reference: { counts: [1] },
        current: { values: [1] },
      }),
    ).toThrow(TypeError);
    expect(() =>
      detectFeatureDrift({
        name: "f",
        kind: "numeric",
        reference: { counts: [1000, 1000] },
        current: { counts: [1, 1] },
        method: "wasserstein",
      }),
    ).toThrow(TypeError);
  });

  it("honours an explicit threshold", () => {
    const input = {
      name: "f",
      kind: "categorical" as const,
      reference: { counts: [50, 50] },
      current: { counts: [45, 55] },
      method: "psi" as const,
    };
    expect(detectFeatureDrift(input).isDrifted).toBe(false);
    expect(detectFeatureDrift({ ...input, threshold: 0.001 }).isDrifted).toBe(true);
  });
});

describe("windowDriftMethod (monitoring windows smaller than the reference)", () => {
  const { normal } = createRandom(12345);
  const bins = buildReferenceBins(Array.from({ length: 5000 }, normal), { bins: 20 });
  const definition: FeatureDefinition = {
    name: "x",
    kind: "numeric",
    edges: bins.edges,
    reference: bins.counts,
    referenceStd: bins.std,
  };
  const window = (rows: number, shift = 0) =>
    driftInputFromDefinition(
      definition,
      histogram(
        Array.from({ length: rows }, () => normal() + shift),
        bins.edges,
      ),
    );

  it("sizes Evidently's rule by the smaller side: tests for small windows, distances for large ones", () => {
    expect(windowDriftMethod(window(60))).toBe("ks");
    expect(windowDriftMethod(window(1000))).toBe("ks");
    expect(windowDriftMethod(window(1001))).toBe("wasserstein");
    expect(detectFeatureDrift(window(60)).method).toBe("wasserstein"); // Evidently's own rule looks at the reference only
  });

  it("keeps small windows drawn from the reference itself from reading as drift, and still sees a real shift", () => {
    const falseAlarms = (method: "default" | "window") =>
      Array.from({ length: 200 }, () => {
        const input = window(60);
        return detectFeatureDrift(
          method === "window" ? { ...input, method: windowDriftMethod(input) } : input,
        ).isDrifted;
      }).filter(Boolean).length / 200;
    expect(falseAlarms("default")).toBeGreaterThan(0.5);
    expect(falseAlarms("window")).toBeLessThan(0.1);
    const shifted = window(60, 1);
    expect(detectFeatureDrift({ ...shifted, method: windowDriftMethod(shifted) }).isDrifted).toBe(true);
  });
});

describe("detectDrift", () => {
  const drifted = {
    kind: "categorical" as const,
    reference: { counts: [50, 50] },
    current: { counts: [90, 10] },
    method: "psi" as const,
  };
  const stable = {
    kind: "categorical" as const,
    reference: { counts: [50, 50] },
    current: { counts: [51, 49] },
    method: "psi" as const,
  };

  it("flags the dataset when at least half of the evaluated features drift", () => {
    const result = detectDrift({
      features: [
        { name: "a", ...drifted },
        { name: "b", ...stable },
      ],
    });
    expect(result.driftedCount).toBe(1);
    expect(result.share).toBe(0.5);
    expect(result.isDrifted).toBe(true);
    expect(result.features.map((feature) => feature.name)).toEqual(["a", "b"]);
  });

  it("stays quiet below the share, excludes empty features from it, and honours driftShare", () => {
    const empty = {
      name: "c",
      kind: "categorical" as const,
      reference: { counts: [50, 50] },
      current: { counts: [0, 0] },
    };
    const features = [{ name: "a", ...drifted }, { name: "b", ...stable }, { name: "d", ...stable }, empty];
    const result = detectDrift({ features });
    expect(result.evaluatedCount).toBe(3);
    expect(result.share).toBeCloseTo(1 / 3, 15);
    expect(result.isDrifted).toBe(false);
    expect(detectDrift({ features, driftShare: 0.3 }).isDrifted).toBe(true);
    expect(detectDrift({ features: [empty] })).toMatchObject({ share: 0, isDrifted: false });
  });
});
