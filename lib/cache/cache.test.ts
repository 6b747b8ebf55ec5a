import { describe, expect, it, vi } from "vitest";
import { createLazyListing } from "./lazy-listing";
import { createTtlCache } from "./ttl-cache";

function manualClock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe("createTtlCache", () => {
  it("serves a value until its lifetime ends, then loads again", async () => {
    const clock = manualClock();
    const cache = createTtlCache<number>({ ttlMs: 100, now: clock.now });
    const load = vi.fn().mockResolvedValueOnce(1).mockResolvedValueOnce(2);
    expect(await cache.getOrLoad("k", load)).toBe(1);
    clock.advance(99);
    expect(await cache.getOrLoad("k", load)).toBe(1);
    clock.advance(1);
    expect(await cache.getOrLoad("k", load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("shares one load among concurrent callers and starts the lifetime when the value arrives", async () => {
    const clock = manualClock();
    const cache = createTtlCache<string>({ ttlMs: 100, now: clock.now });
    let resolve!: (value: string) => void;
    const load = vi.fn(() => new Promise<string>((r) => (resolve = r)));
    const first = cache.getOrLoad("k", load);
    const second = cache.getOrLoad("k", load);
    clock.advance(500);
    resolve("v");
    expect(await Promise.all([first, second])).toEqual(["v", "v"]);
    clock.advance(50);
    expect(await cache.getOrLoad("k", load)).toBe("v");
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("never caches a failure", async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000 });
    const load = vi.fn().mockRejectedValueOnce(new Error("503")).mockResolvedValueOnce("ok");
    await expect(cache.getOrLoad("k", load)).rejects.toThrow("503");
    expect(cache.size).toBe(0);
    expect(await cache.getOrLoad("k", load)).toBe("ok");
  });

  it("drops the oldest entries beyond maxEntries", async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, maxEntries: 2 });
    for (const key of ["a", "b", "c"]) await cache.getOrLoad(key, async () => key);
    expect(cache.size).toBe(2);
    const reload = vi.fn(async () => "a2");
    expect(await cache.getOrLoad("a", reload)).toBe("a2");
    expect(await cache.getOrLoad("c", reload)).toBe("c");
  });
});

async function* numbers(count: number, pulled: number[], failAt?: number) {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error(`page ${i} failed`);
    pulled.push(i);
    yield i;
  }
}

describe("createLazyListing", () => {
  it("reads only as far as asked (plus one to know whether more follow)", async () => {
    const pulled: number[] = [];
    const listing = createLazyListing(numbers(100, pulled));
    expect(await listing.take(3)).toEqual({ items: [0, 1, 2], hasMore: true });
    expect(pulled).toEqual([0, 1, 2, 3]);
    expect(await listing.take(2)).toEqual({ items: [0, 1], hasMore: true });
    expect(pulled).toHaveLength(4);
  });

  it("reports the end, and serialises concurrent readers on one cursor", async () => {
    const pulled: number[] = [];
    const listing = createLazyListing(numbers(5, pulled));
    const [a, b] = await Promise.all([listing.take(2), listing.take(10)]);
    expect(a).toEqual({ items: [0, 1], hasMore: true });
    expect(b).toEqual({ items: [0, 1, 2, 3, 4], hasMore: false });
    expect(pulled).toEqual([0, 1, 2, 3, 4]);
    expect(await listing.all()).toEqual([0, 1, 2, 3, 4]);
  });

  it("stays broken after a failed page instead of passing off a cut listing as complete", async () => {
    const listing = createLazyListing(numbers(10, [], 4));
    expect((await listing.take(2)).items).toEqual([0, 1]);
    await expect(listing.take(8)).rejects.toThrow("page 4 failed");
    expect(listing.isBroken).toBe(true);
    await expect(listing.take(8)).rejects.toThrow("page 4 failed");
  });
});
