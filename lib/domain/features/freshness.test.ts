import { describe, expect, it } from "vitest";
import { freshnessOf } from "./freshness";

const now = Date.UTC(2026, 11, 6, 12, 0);
const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString();

describe("freshnessOf", () => {
  it("is fresh while the newest interval ended within the TTL, whatever the order of intervals", () => {
    const result = freshnessOf({
      isOnline: true,
      ttlSeconds: 86_400,
      intervalEnds: [hoursAgo(1), hoursAgo(30)],
      now,
    });
    expect(result).toEqual({
      state: "fresh",
      lastMaterializedAt: hoursAgo(1),
      ageSeconds: 3_600,
      ttlSeconds: 86_400,
    });
  });

  it("is stale once the newest interval ended more than a TTL ago", () => {
    expect(freshnessOf({ isOnline: true, ttlSeconds: 86_400, intervalEnds: [hoursAgo(25)], now }).state).toBe(
      "stale",
    );
    expect(freshnessOf({ isOnline: true, ttlSeconds: 86_400, intervalEnds: [hoursAgo(24)], now }).state).toBe(
      "fresh",
    );
  });

  it("says never for an online view without intervals, and does not judge a view without TTL", () => {
    expect(freshnessOf({ isOnline: true, ttlSeconds: 3_600, intervalEnds: [], now })).toMatchObject({
      state: "never",
      ageSeconds: null,
    });
    expect(freshnessOf({ isOnline: true, ttlSeconds: 0, intervalEnds: [hoursAgo(500)], now }).state).toBe(
      "unbounded",
    );
  });

  it("reads an offline-only view as offline, and ignores unparsable timestamps", () => {
    expect(freshnessOf({ isOnline: false, ttlSeconds: 60, intervalEnds: [hoursAgo(99)], now }).state).toBe(
      "offline",
    );
    expect(freshnessOf({ isOnline: true, ttlSeconds: 60, intervalEnds: ["not a date"], now }).state).toBe(
      "never",
    );
  });
});
