import { describe, expect, it } from "vitest";
import { formatAxisValue, formatChartValue, formatTimeTick, formatXValue } from "./format";

describe("formatAxisValue", () => {
  it("keeps three significant digits and drops trailing zeros", () => {
    expect(formatAxisValue(0.31234)).toBe("0.312");
    expect(formatAxisValue(2)).toBe("2");
    expect(formatAxisValue(1.5)).toBe("1.5");
    expect(formatAxisValue(123.456)).toBe("123");
  });

  it("compacts large values and uses exponents for tiny ones", () => {
    expect(formatAxisValue(25_000)).toBe("25K");
    expect(formatAxisValue(0.00002)).toBe("2.0e-5");
    expect(formatAxisValue(0)).toBe("0");
  });

  it("formats by unit", () => {
    expect(formatAxisValue(0.25, "share")).toBe("25%");
    expect(formatAxisValue(0.015, "share")).toBe("1.5%");
    expect(formatAxisValue(0.05, "share")).toBe("5%");
    expect(formatAxisValue(0.0025, "share")).toBe("0.25%");
    expect(formatAxisValue(1500, "ms")).toBe("1.50 s");
    expect(formatAxisValue(2_000_000, "bytes")).toBe("2.0 MB");
  });

  it("returns an empty tick for non-finite values", () => {
    expect(formatAxisValue(Number.NaN)).toBe("");
  });
});

describe("formatChartValue", () => {
  it("appends unknown units and omits 'count'", () => {
    expect(formatChartValue(12.3456, "req/s")).toBe("12.35 req/s");
    expect(formatChartValue(42, "count")).toBe("42");
  });

  it("keeps small shares such as error rates distinguishable from zero", () => {
    expect(formatChartValue(0.12345, "share")).toBe("12.3%");
    expect(formatChartValue(0.0004, "share")).toBe("0.04%");
  });

  it("shows a dash for gaps", () => {
    expect(formatChartValue(null)).toBe("—");
    expect(formatChartValue(Infinity)).toBe("—");
  });
});

describe("time and step axes", () => {
  const t = Date.UTC(2026, 10, 26, 14, 5, 9);

  it("shows hours and minutes within a day and a half, date and time within a week, the date beyond", () => {
    expect(formatTimeTick(t, 6 * 3_600_000)).toBe("14:05");
    expect(formatTimeTick(t, 3 * 86_400_000)).toBe("26 Nov 14:05");
    expect(formatTimeTick(t, 30 * 86_400_000)).toBe("26 Nov");
  });

  it("labels ticks on the person's wall clock, as every date on the page is", () => {
    expect(formatTimeTick(t, 6 * 3_600_000, "Australia/Sydney")).toBe("01:05");
    expect(formatTimeTick(t, 3 * 86_400_000, "Australia/Sydney")).toBe("27 Nov 01:05");
    expect(formatTimeTick(t, 6 * 3_600_000, "Asia/Kolkata")).toBe("19:35");
    expect(formatTimeTick(t, 6 * 3_600_000, "Nowhere/Else")).toBe("14:05");
    expect(formatXValue(t, "time", 0, { isFull: true, timeZone: "Australia/Sydney" })).toBe(
      "2026-11-27 01:05:09 AEDT",
    );
  });

  it("writes full x values for tooltips and the text alternative", () => {
    expect(formatXValue(t, "time", 0, { isFull: true })).toBe("2026-11-26 14:05:09 UTC");
    expect(formatXValue(2250, "step", 0, { isFull: true })).toBe("Step 2,250");
  });

  it("keeps step ticks exact below 10k and compact above", () => {
    expect(formatXValue(2250, "step", 0)).toBe("2,250");
    expect(formatXValue(120_000, "step", 0)).toBe("120K");
  });
});
