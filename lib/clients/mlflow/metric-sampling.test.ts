import { describe, expect, it } from "vitest";
import { sampleSteps } from "./metric-sampling";

const range = (from: number, to: number, every = 1) =>
  Array.from({ length: Math.floor((to - from) / every) + 1 }, (_, i) => from + i * every);

describe("sampleSteps", () => {
  it("returns every step when there are no more than max_results", () => {
    expect(
      sampleSteps(
        [
          [0, 1, 2],
          [2, 3],
        ],
        10,
      ),
    ).toEqual([0, 1, 2, 3]);
  });

  it("samples evenly and keeps the last step", () => {
    const steps = sampleSteps([range(0, 999)], 10);
    expect(steps).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 999]);
  });

  it("adds back every run's own minimum and maximum step", () => {
    // Run B ends at 503 and starts at 7: neither is on the even grid of the union.
    const steps = sampleSteps([range(0, 1000), range(7, 503, 4)], 5);
    expect(steps).toEqual(expect.arrayContaining([0, 7, 503, 1000]));
    expect(steps.length).toBeLessThanOrEqual(5 + 1 + 4);
  });

  it("restricts to [start_step, end_step] and drops out-of-range minima and maxima", () => {
    const steps = sampleSteps([range(0, 100), range(50, 60)], 1000, { startStep: 40, endStep: 55 });
    expect(steps[0]).toBe(40);
    expect(steps.at(-1)).toBe(55);
    expect(steps).toContain(50);
    expect(steps).not.toContain(60);
  });

  it("copes with runs that logged nothing", () => {
    expect(sampleSteps([[], []], 10)).toEqual([]);
  });
});
