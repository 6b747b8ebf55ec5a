import { describe, expect, it } from "vitest";
import { appliedBeforeStartMs, materializationOf, views } from "./registry";

const hour = 3_600_000;
const day = 24 * hour;
const view = (name: string) => views.find((v) => v.name === name)!;

describe("materializationOf", () => {
  const startedAt = Date.UTC(2026, 11, 1, 0, 0);

  it("runs an hourly view on the clock: contiguous intervals up to the last hour, a few minutes late", () => {
    const now = startedAt + 5 * hour + 30 * 60_000;
    const { intervals, lastUpdatedMs } = materializationOf(
      view("customer_churn_features"),
      startedAt,
      now,
      1,
    );
    expect(intervals.at(-1)!.endMs).toBe(startedAt + 5 * hour);
    expect(lastUpdatedMs).toBe(startedAt + 5 * hour + 6 * 60_000);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i].startMs).toBe(intervals[i - 1].endMs);
    // The history kept is the last 30 days (the registry was applied 30 days before the start).
    expect(intervals.at(-1)!.endMs - intervals[0].endMs).toBeLessThanOrEqual(30 * day);
    expect(intervals[0].startMs).toBeGreaterThanOrEqual(startedAt - appliedBeforeStartMs);
  });

  it("does not count an interval whose run has not finished yet, and shortens the lag with speed", () => {
    const justAfter = startedAt + 3 * hour + 60_000;
    expect(
      materializationOf(view("customer_churn_features"), startedAt, justAfter, 1).intervals.at(-1)!.endMs,
    ).toBe(startedAt + 2 * hour);
    expect(
      materializationOf(view("customer_churn_features"), startedAt, justAfter, 20).intervals.at(-1)!.endMs,
    ).toBe(startedAt + 3 * hour);
  });

  it("keeps the stopped view's last interval three days before the start, older than its one-day TTL", () => {
    const usage = view("network_usage_daily");
    const now = startedAt + 10 * day;
    const last = materializationOf(usage, startedAt, now, 1).intervals.at(-1)!;
    expect(last.endMs).toBe(startedAt - 3 * day);
    expect(now - last.endMs).toBeGreaterThan(usage.ttlSeconds * 1000);
  });

  it("has no intervals for an offline-only view", () => {
    expect(materializationOf(view("customer_demographics"), startedAt, startedAt + day, 1).intervals).toEqual(
      [],
    );
  });
});
