import { describe, expect, it } from "vitest";
import { mapLimited } from "./map-limited";

describe("mapLimited", () => {
  it("keeps input order and never has more than the limit in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < n; i++) await Promise.resolve();
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it("answers an empty list without calling, and passes a failure on", async () => {
    expect(await mapLimited([], 3, async () => 1)).toEqual([]);
    await expect(
      mapLimited([1, 2], 3, async (n) => {
        if (n === 2) throw new Error("no");
        return n;
      }),
    ).rejects.toThrow("no");
  });
});
