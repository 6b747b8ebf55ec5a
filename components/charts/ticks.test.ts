import { describe, expect, it } from "vitest";
import { logDomain, logTicks, niceLinearTicks, niceTimeTicks, zeroBasedTicks } from "./ticks";

describe("niceLinearTicks", () => {
  it("places round ticks inside the range", () => {
    expect(niceLinearTicks(0, 2975)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceLinearTicks(0.3, 2.6)).toEqual([0.5, 1, 1.5, 2, 2.5]);
  });

  it("never returns more than the limit", () => {
    for (const [min, max] of [
      [0, 1],
      [0, 7],
      [13, 997],
      [0, 123_456],
    ]) {
      const ticks = niceLinearTicks(min, max, 6);
      expect(ticks.length, `${min}-${max}`).toBeLessThanOrEqual(6);
      expect(ticks.every((tick) => tick >= min && tick <= max)).toBe(true);
    }
  });

  it("avoids floating-point noise", () => {
    expect(niceLinearTicks(0, 0.3, 4)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("handles a single value", () => {
    expect(niceLinearTicks(5, 5)).toEqual([5]);
  });
});

describe("niceTimeTicks", () => {
  const start = Date.UTC(2026, 10, 26, 13, 30);

  it("uses whole hours for a six-hour window", () => {
    const ticks = niceTimeTicks(start, start + 6 * 3_600_000);
    expect(ticks.map((tick) => new Date(tick).toISOString().slice(11, 16))).toEqual([
      "14:00",
      "15:00",
      "16:00",
      "17:00",
      "18:00",
      "19:00",
    ]);
  });

  it("uses UTC midnights for multi-week windows", () => {
    const ticks = niceTimeTicks(start, start + 30 * 86_400_000);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((tick) => tick % 86_400_000 === 0)).toBe(true);
  });

  it("falls on the person's whole hours and midnights when given their zone's offset", () => {
    const india = 5.5 * 3_600_000;
    const hours = niceTimeTicks(start, start + 6 * 3_600_000, 7, india);
    expect(hours.map((tick) => new Date(tick + india).toISOString().slice(11, 16))).toEqual([
      "19:00",
      "20:00",
      "21:00",
      "22:00",
      "23:00",
      "00:00",
      "01:00",
    ]);
    const sydney = 11 * 3_600_000;
    const days = niceTimeTicks(start, start + 5 * 86_400_000, 7, sydney);
    expect(days.every((tick) => (tick + sydney) % 86_400_000 === 0)).toBe(true);
  });

  it("returns nothing for an empty window", () => {
    expect(niceTimeTicks(start, start)).toEqual([]);
  });
});

describe("logTicks", () => {
  it("adds 2 and 5 multiples when the range is narrow", () => {
    expect(logTicks(0.28, 2.8)).toEqual([0.5, 1, 2]);
  });

  it("keeps to powers of ten across many decades", () => {
    expect(logTicks(0.001, 1000)).toEqual([0.001, 0.01, 0.1, 1, 10, 100, 1000]);
  });

  it("refuses non-positive ranges", () => {
    expect(logTicks(0, 10)).toEqual([]);
  });

  it("pads the domain around the data", () => {
    const [low, high] = logDomain(0.3, 2.5);
    expect(low).toBeLessThan(0.3);
    expect(high).toBeGreaterThan(2.5);
  });
});

describe("zeroBasedTicks", () => {
  it("starts at zero and ends on the first round value covering the maximum", () => {
    expect(zeroBasedTicks(0.22)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(zeroBasedTicks(100)).toEqual([0, 25, 50, 75, 100]);
  });

  it("handles an all-zero histogram", () => {
    expect(zeroBasedTicks(0)).toEqual([0]);
  });
});
