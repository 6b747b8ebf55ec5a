import { describe, expect, it } from "vitest";
import { extrapolatedRate } from "./evaluate";

describe("extrapolatedRate (Prometheus 2.42)", () => {
  const at = (t: number, value: number) => ({ t, value });

  it("is the plain increase per second when samples sit on both ends of the range", () => {
    expect(extrapolatedRate(at(0, 100), at(60, 160), 5, { end: 60, seconds: 60 }, true)).toBe(1);
    expect(extrapolatedRate(at(0, 100), at(60, 160), 5, { end: 60, seconds: 60 }, false)).toBe(60);
  });

  it("extrapolates to an end within 1.1 sample intervals, and by half an interval beyond", () => {
    // Samples 15 s apart at 5..50 in [0, 60]: 5 s to the start and 10 s to the end are both close enough.
    expect(extrapolatedRate(at(5, 1000), at(50, 1045), 4, { end: 60, seconds: 60 }, false)).toBeCloseTo(
      60,
      9,
    );
    // The series began late (samples at 30, 45, 60): extrapolate half an interval back, 7.5 s, not 30.
    expect(extrapolatedRate(at(30, 1000), at(60, 1030), 3, { end: 60, seconds: 60 }, false)).toBeCloseTo(
      37.5,
      9,
    );
  });

  it("never extrapolates a counter below zero", () => {
    // Started from 0 two seconds before its first sample: extrapolate back 2 s, not 7.5 s.
    expect(extrapolatedRate(at(45, 2), at(60, 17), 2, { end: 60, seconds: 60 }, false)).toBeCloseTo(17, 9);
  });
});
