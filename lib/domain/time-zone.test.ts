import { describe, expect, it } from "vitest";
import { safeTimeZone, zoneOffsetMs } from "./time-zone";

const HOUR = 3_600_000;

describe("zoneOffsetMs", () => {
  it("reads the zone's offset at that instant, daylight saving included", () => {
    expect(zoneOffsetMs(Date.UTC(2026, 11, 6, 12), "Australia/Sydney")).toBe(11 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 5, 6, 12), "Australia/Sydney")).toBe(10 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 11, 6, 12), "Asia/Kolkata")).toBe(5.5 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 11, 6, 12), "America/New_York")).toBe(-5 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 11, 6, 12, 0, 0, 750), "UTC")).toBe(0);
  });

  it("treats a zone Intl does not know as UTC, as every date on the page does", () => {
    expect(safeTimeZone("Mars/Olympus")).toBe("UTC");
    expect(zoneOffsetMs(Date.UTC(2026, 11, 6, 12), "Mars/Olympus")).toBe(0);
  });
});
