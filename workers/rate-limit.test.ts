import { describe, expect, it } from "vitest";
import { createRateLimitedFetch } from "./rate-limit";

describe("createRateLimitedFetch", () => {
  it("starts a burst of one second's worth at once, then no more than the rate", async () => {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const started: number[] = [];
    const limited = createRateLimitedFetch(
      20,
      async () => {
        started.push(now);
        return new Response("{}");
      },
      clock,
    );
    await Promise.all(Array.from({ length: 60 }, () => limited("http://mlflow.invalid/")));
    expect(started).toHaveLength(60);
    expect(started.slice(0, 20).every((t) => t === 0)).toBe(true);
    // After the burst, one every 50 ms: the 40 others take two seconds.
    for (let i = 20; i < 60; i++) expect(started[i] - started[i - 1]).toBe(50);
    expect(started[59]).toBe(2000);
  });
});
