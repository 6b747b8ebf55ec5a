import { describe, expect, it } from "vitest";
import { distributionOverlay, numericBinLabels } from "./chart-data";

describe("distributionOverlay", () => {
  it("turns numeric stored counts into shares of the non-missing rows, labelled by the reference edges", () => {
    const overlay = distributionOverlay(
      { name: "tenure", kind: "numeric", edges: [0, 10, 20, 30], reference: [10, 30, 60, 5] },
      [5, 5, 0, 2],
    );
    expect(overlay).toEqual({
      bins: [
        { label: "< 10", reference: 0.1, current: 0.5 },
        { label: "10 – 20", reference: 0.3, current: 0.5 },
        { label: "≥ 20", reference: 0.6, current: 0 },
      ],
      referenceCount: 100,
      currentCount: 10,
      referenceMissing: 5,
      currentMissing: 2,
    });
  });

  it("shows 'other' only when a side has values outside the category list", () => {
    const definition = {
      name: "contract",
      kind: "categorical" as const,
      categories: ["monthly", "yearly"],
      reference: [3, 1, 0, 0],
    };
    expect(distributionOverlay(definition, [1, 1, 0, 4]).bins.map((bin) => bin.label)).toEqual([
      "monthly",
      "yearly",
    ]);
    expect(distributionOverlay(definition, [1, 1, 2, 0]).bins).toEqual([
      { label: "monthly", reference: 0.75, current: 0.25 },
      { label: "yearly", reference: 0.25, current: 0.25 },
      { label: "other", reference: 0, current: 0.5 },
    ]);
  });

  it("refuses a vector of another layout", () => {
    expect(() =>
      distributionOverlay({ name: "x", kind: "numeric", edges: [0, 1], reference: [1, 0] }, [1, 0, 0]),
    ).toThrow(RangeError);
  });
});

describe("numericBinLabels", () => {
  it("rounds edges to three significant digits", () => {
    expect(numericBinLabels([0.12345, 1.5, 2.71828, 10])).toEqual(["< 1.5", "1.5 – 2.72", "≥ 2.72"]);
  });
});
