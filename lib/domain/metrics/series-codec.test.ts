import { describe, expect, it } from "vitest";
import { decodeSeries, encodeSeries, quantisationError } from "./series-codec";

describe("encodeSeries / decodeSeries", () => {
  it("round-trips steps and timestamps exactly, values within the quantisation error, extremes exactly", () => {
    const steps = [0, 1, 5, 6, 1000, 1001, 250_000];
    const timestamps = steps.map((s) => 1_760_000_000_000 + s * 1234);
    const values = [0.73, -0.2, 0.1 + 0.2, 12.5, -3.75, 0.0001, 7];
    const encoded = encodeSeries({ steps, timestamps, values }, { withTimestamps: true });
    const decoded = decodeSeries(encoded);
    expect(decoded.steps).toEqual(Float64Array.from(steps));
    expect(decoded.timestamps).toEqual(Float64Array.from(timestamps));
    const { absolute } = quantisationError(encoded);
    expect(absolute).toBeCloseTo((12.5 + 3.75) / 65532 / 2);
    decoded.values.forEach((value, i) =>
      expect(Math.abs(value - values[i])).toBeLessThanOrEqual(absolute + 1e-15),
    );
    expect(Math.max(...decoded.values)).toBe(12.5);
    expect(Math.min(...decoded.values)).toBe(-3.75);
  });

  it("keeps relative precision with a log scale when values span decades", () => {
    const values = [10, 1, 0.1, 0.01, 0.001234, 0.0005];
    const encoded = encodeSeries(
      { steps: [0, 1, 2, 3, 4, 5], timestamps: [0, 0, 0, 0, 0, 0], values },
      { withTimestamps: false },
    );
    expect(encoded.log).toBe(1);
    expect(encoded.t).toBeUndefined();
    const decoded = decodeSeries(encoded);
    expect(decoded.timestamps).toBeNull();
    decoded.values.forEach((value, i) => expect(Math.abs(value / values[i] - 1)).toBeLessThan(1e-4));
  });

  it("carries NaN and ±Infinity and does not let them set the scale", () => {
    const values = [NaN, 1, Infinity, 2, -Infinity];
    const encoded = encodeSeries(
      { steps: [0, 1, 2, 3, 4], timestamps: [0, 1, 2, 3, 4], values },
      { withTimestamps: false },
    );
    expect([encoded.lo, encoded.hi]).toEqual([1, 2]);
    expect(decodeSeries(encoded).values).toEqual(Float64Array.from(values));
  });

  it("encodes an empty or constant series", () => {
    expect(
      decodeSeries(encodeSeries({ steps: [], timestamps: [], values: [] }, { withTimestamps: true })),
    ).toEqual({ steps: new Float64Array(), timestamps: new Float64Array(), values: new Float64Array() });
    expect(
      decodeSeries(
        encodeSeries({ steps: [3, 4], timestamps: [1, 2], values: [5, 5] }, { withTimestamps: false }),
      ).values,
    ).toEqual(Float64Array.from([5, 5]));
  });

  it("takes about two bytes per value and one per small step delta", () => {
    const count = 1000;
    const encoded = encodeSeries(
      {
        steps: Array.from({ length: count }, (_, i) => i * 10),
        timestamps: [],
        values: Array.from({ length: count }, (_, i) => Math.sin(i)),
      },
      { withTimestamps: false },
    );
    expect(encoded.v.length).toBeLessThanOrEqual(Math.ceil((count * 2) / 3) * 4);
    expect(encoded.s.length).toBeLessThanOrEqual(Math.ceil((count * 2) / 3) * 4);
  });
});
