import { describe, expect, it } from "vitest";
import { fieldCount, Tier, TierSamples } from "./series-store";

const increments = (value: number) => {
  const array = new Float64Array(fieldCount);
  array[0] = value;
  return array;
};

describe("Tier", () => {
  it("keeps only the last `capacity` slots, moving what it evicts into the base", () => {
    const tier = new Tier(15, 4);
    tier.add(0, increments(1));
    tier.add(15, increments(2));
    tier.add(90, increments(3)); // slot 6: slots 0..2 fall out of the ring
    expect(tier.oldest).toBe(3);
    expect(tier.offsetOf(1)).toBe(-1);
    expect(tier.isPresent(4)).toBe(false);
    expect(tier.isPresent(6)).toBe(true);
    expect(tier.base[0]).toBe(3);
    const samples = new TierSamples(tier, 105);
    // Only the boundary after slot 6 has a sample, and it still counts everything since the start.
    expect(samples.window(0, 105)).toEqual({ first: 4, last: 4, samples: 1 });
    expect(samples.time(4)).toBe(105);
    expect(samples.value(0, 4)).toBe(6);
  });
});

describe("TierSamples", () => {
  it("has a sample at each boundary the traffic passed, after a present slot, with the running total", () => {
    const tier = new Tier(15, 10);
    tier.add(0, increments(10));
    tier.add(15, increments(20));
    tier.add(30, increments(5)); // the open slot: generated up to t = 40
    const samples = new TierSamples(tier, 40);
    const window = samples.window(0, 1000)!;
    expect([samples.time(window.first), samples.time(window.last), window.samples]).toEqual([15, 30, 2]);
    expect(samples.value(0, window.first)).toBe(10);
    expect(samples.value(0, window.last)).toBe(30);
    // Both ends of a window are included, as in Prometheus 2.x.
    expect(samples.window(15, 30)?.samples).toBe(2);
    expect(samples.window(15.001, 29.999)).toBeUndefined();
  });
});
