import { describe, expect, it } from "vitest";
import {
  buildParallelAxes,
  diffParams,
  isLowerBetter,
  prepareMetricSeries,
  smoothEma,
  summarizeMetrics,
} from "./comparison";

describe("isLowerBetter", () => {
  it.each([
    ["loss", true],
    ["val/loss", true],
    ["train_rmse", true],
    ["mae", true],
    ["error_rate", true],
    ["perplexity", true],
    ["accuracy", false],
    ["val/auc", false],
    ["f1_score", false],
    ["precision", false],
    ["r2", false],
    ["lr", false],
  ])("%s → %s", (key, expected) => expect(isLowerBetter(key)).toBe(expected));
});

describe("smoothEma", () => {
  it("is the identity at weight 0 and debiased otherwise (TensorBoard's formula)", () => {
    expect(smoothEma([1, 2, 3], 0)).toEqual(Float64Array.from([1, 2, 3]));
    const smoothed = smoothEma([1, 2, 3], 0.5);
    expect(smoothed[0]).toBeCloseTo(1);
    expect(smoothed[1]).toBeCloseTo((0.25 * 1 + 0.5 * 2) / 0.75);
    expect(smoothed[2]).toBeCloseTo((0.125 * 1 + 0.25 * 2 + 0.5 * 3) / 0.875);
  });

  it("lets non-finite values through without disturbing the average", () => {
    const smoothed = smoothEma([2, NaN, 2], 0.9);
    expect(smoothed[0]).toBeCloseTo(2);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeCloseTo(2);
  });
});

describe("prepareMetricSeries", () => {
  it("uses steps or timestamps for x and turns non-finite values into gaps", () => {
    const line = {
      runId: "r1",
      label: "run 1",
      steps: Float64Array.from([0, 10, 20]),
      timestamps: Float64Array.from([1000, 2000, 3000]),
      values: Float64Array.from([1, NaN, Infinity]),
    };
    expect(prepareMetricSeries([line], { x: "step", smoothing: 0 })).toEqual([
      { id: "r1", label: "run 1", x: Float64Array.from([0, 10, 20]), y: Float64Array.from([1, NaN, NaN]) },
    ]);
    expect([...prepareMetricSeries([line], { x: "time", smoothing: 0 })[0].x]).toEqual([1000, 2000, 3000]);
    // The decoded values are not changed in place: another x or smoothing prepares from them again.
    expect(line.values[2]).toBe(Infinity);
  });
});

describe("diffParams", () => {
  it("puts differing params first; a param missing from a run is counted as missing, not as differing", () => {
    const rows = diffParams([
      { lr: "0.1", depth: "6", seed: "1" },
      { lr: "0.01", depth: "6" },
      { lr: "0.1", seed: "1" },
    ]);
    expect(rows).toEqual([
      { key: "lr", values: ["0.1", "0.01", "0.1"], isDifferent: true, missing: 0 },
      { key: "depth", values: ["6", "6", null], isDifferent: false, missing: 1 },
      { key: "seed", values: ["1", null, "1"], isDifferent: false, missing: 1 },
    ]);
  });
});

describe("summarizeMetrics", () => {
  it("marks the lowest loss and the highest accuracy as best, skipping runs without the metric", () => {
    const columns = summarizeMetrics(
      ["loss", "accuracy"],
      [
        { loss: { last: 0.4, min: 0.3, max: 2 }, accuracy: { last: 0.8, min: 0.1, max: 0.85 } },
        { loss: { last: 0.35, min: 0.35, max: 1.5 } },
        { loss: { last: 0.5, min: 0.31, max: 3 }, accuracy: { last: 0.9, min: 0.2, max: 0.9 } },
      ],
    );
    expect(columns[0]).toMatchObject({ key: "loss", isLowerBetter: true, bestRunIndex: 0 });
    expect(columns[0].cells[1]).toEqual({ final: 0.35, best: 0.35 });
    expect(columns[1]).toMatchObject({ key: "accuracy", isLowerBetter: false, bestRunIndex: 2 });
    expect(columns[1].cells[1]).toEqual({ final: null, best: null });
  });
});

describe("buildParallelAxes", () => {
  it("makes numeric axes for numeric params, categorical ones otherwise, and the metric last", () => {
    const axes = buildParallelAxes(
      ["lr", "optimizer"],
      [{ lr: "0.1", optimizer: "adam" }, { lr: "0.01", optimizer: "sgd" }, { lr: "0.055" }],
      { key: "loss", values: [1, 3, null] },
    );
    expect(axes.map((a) => [a.key, a.kind])).toEqual([
      ["lr", "numeric"],
      ["optimizer", "categorical"],
      ["loss", "numeric"],
    ]);
    expect(axes[0].positions[0]).toBe(1);
    expect(axes[0].positions[1]).toBe(0);
    expect(axes[0].positions[2]).toBeCloseTo(0.5);
    expect(axes[1].positions).toEqual([0, 1, null]);
    expect(axes[2].positions).toEqual([0, 1, null]);
  });
});
