import { describe, expect, it } from "vitest";
import { createRefreshingValue } from "./refreshing-value";

function setup(options: { fail?: boolean } = {}) {
  let clock = 0;
  let loads = 0;
  let shouldFail = options.fail ?? false;
  const value = createRefreshingValue({
    load: async () => {
      loads += 1;
      if (shouldFail) throw new Error("down");
      return `v${loads}`;
    },
    refreshAfterMs: 10,
    maxAgeMs: 100,
    now: () => clock,
    onRefreshError: () => {},
  });
  return {
    value,
    tick: (ms: number) => (clock += ms),
    loads: () => loads,
    setFail: (fail: boolean) => (shouldFail = fail),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createRefreshingValue", () => {
  it("waits for the first load and shares it between concurrent readers", async () => {
    const { value, loads } = setup();
    expect(await Promise.all([value.get(), value.get()])).toEqual(["v1", "v1"]);
    expect(loads()).toBe(1);
  });

  it("serves a stale value at once and refreshes it in the background, once", async () => {
    const { value, tick, loads } = setup();
    await value.get();
    tick(20);
    const [first, second] = await Promise.all([value.get(), value.get()]);
    expect([first, second]).toEqual(["v1", "v1"]);
    await settle();
    expect(loads()).toBe(2);
    expect(await value.get()).toBe("v2");
  });

  it("makes readers wait once the value is older than maxAgeMs", async () => {
    const { value, tick } = setup();
    await value.get();
    tick(101);
    expect(await value.get()).toBe("v2");
  });

  it("keeps the old value when a background refresh fails, and surfaces the failure past maxAgeMs", async () => {
    const { value, tick, setFail } = setup();
    await value.get();
    setFail(true);
    tick(20);
    expect(await value.get()).toBe("v1");
    await settle();
    expect(await value.get()).toBe("v1");
    tick(200);
    await expect(value.get()).rejects.toThrow("down");
  });
});
