import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCompactNumber,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatNumber,
  formatPercent,
  formatRelativeTime,
  formatSigned,
  relativeTimeRefreshMs,
  safeTimeZone,
} from "./format";

const NOW = Date.UTC(2026, 10, 26, 19, 30, 0);

describe("number formatting", () => {
  it("shows a dash for missing values instead of zero", () => {
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(undefined)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
    expect(formatPercent(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
  });

  it("groups thousands and limits fraction digits", () => {
    expect(formatNumber(1234567.891)).toBe("1,234,567.89");
    expect(formatInteger(9876.6)).toBe("9,877");
    expect(formatNumber(0.5, 0)).toBe("1");
  });

  it("switches tiny non-zero values to exponent form rather than printing 0", () => {
    expect(formatNumber(0.0004)).toBe("4.00e-4");
    expect(formatNumber(0)).toBe("0");
  });

  it("writes infinities as symbols", () => {
    expect(formatNumber(Infinity)).toBe("∞");
    expect(formatNumber(-Infinity)).toBe("−∞");
  });

  it("formats shares as percentages", () => {
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(1, 0)).toBe("100%");
  });

  it("compacts large numbers", () => {
    expect(formatCompactNumber(1_234_567)).toBe("1.2M");
    expect(formatCompactNumber(950)).toBe("950");
  });

  it("signs deltas with a true minus", () => {
    expect(formatSigned(1.5)).toBe("+1.5");
    expect(formatSigned(-0.25)).toBe("−0.25");
    expect(formatSigned(0)).toBe("0");
  });
});

describe("formatDuration", () => {
  it.each([
    [450, "450 ms"],
    [3_210, "3.21 s"],
    [45_500, "45.5 s"],
    [65_000, "1m 05s"],
    [1_384_000, "23m 04s"],
    [7_980_000, "2h 13m"],
    [3 * 86_400_000 + 4 * 3_600_000, "3d 4h"],
    [-1_500, "−1.50 s"],
  ])("%d ms → %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe("formatBytes", () => {
  it.each([
    [512, "512 B"],
    [1_500, "1.5 kB"],
    [2_500_000_000, "2.5 GB"],
    [123_000_000, "123 MB"],
  ])("%d → %s", (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe("formatDateTime", () => {
  it("uses UTC so server and browser agree", () => {
    expect(formatDateTime(NOW)).toBe("2026-11-26 19:30 UTC");
    expect(formatDateTime("2026-01-02T03:04:05Z", { withSeconds: true })).toBe("2026-01-02 03:04:05 UTC");
  });

  it("does not print Invalid Date", () => {
    expect(formatDateTime("not a date")).toBe("—");
  });

  it("shows the person's time zone by name, including the date change", () => {
    expect(formatDateTime("2026-11-26T19:23:05Z", { timeZone: "Australia/Sydney" })).toBe(
      "2026-11-27 06:23 AEDT",
    );
    expect(formatDateTime("2026-11-26T19:23:05Z", { timeZone: "Asia/Kolkata", withSeconds: true })).toBe(
      "2026-11-27 00:53:05 GMT+5:30",
    );
  });

  it("falls back to UTC for a zone Intl does not know (the cookie is the browser's word)", () => {
    expect(safeTimeZone("Mars/Olympus")).toBe("UTC");
    expect(formatDateTime("2026-11-26T19:23:05Z", { timeZone: "Mars/Olympus" })).toBe("2026-11-26 19:23 UTC");
  });
});

describe("formatRelativeTime", () => {
  it.each([
    [NOW - 3_000, "just now"],
    [NOW - 42_000, "42 s ago"],
    [NOW - 3 * 60_000, "3 min ago"],
    [NOW - 59 * 60_000 - 59_000, "59 min ago"],
    [NOW - 2 * 3_600_000, "2 h ago"],
    [NOW - 3 * 86_400_000, "3 d ago"],
    [NOW + 5 * 60_000, "in 5 min"],
    [Date.UTC(2026, 10, 12, 8), "12 Nov"],
    [Date.UTC(2025, 2, 1), "1 Mar 2025"],
  ])("%d → %s", (then, expected) => {
    expect(formatRelativeTime(then, NOW)).toBe(expected);
  });

  it("refreshes quickly while the label changes every few seconds, slowly once it is in hours", () => {
    expect(relativeTimeRefreshMs(NOW - 20_000, NOW)).toBe(5_000);
    expect(relativeTimeRefreshMs(NOW - 10 * 60_000, NOW)).toBe(30_000);
    expect(relativeTimeRefreshMs(NOW - 5 * 3_600_000, NOW)).toBe(300_000);
  });
});
