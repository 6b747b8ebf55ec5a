import { describe, expect, it } from "vitest";
import { cumulative, fieldCount, presenceField, Tier } from "./series-store";

const increments = (value: number) => {
  const array = new Float64Array(fieldCount);
  array[0] = value;
  return array;
};

describe("Tier", () => {
  it("keeps only the last `capacity` slots, clearing the ones it reuses", () => {
    const tier = new Tier(15, 4);
    tier.add(0, increments(1));
    tier.add(15, increments(2));
    tier.add(90, increments(3)); // slot 6: slots 0..2 fall out of the ring
    expect(tier.oldest).toBe(3);
    expect(tier.offsetOf(1)).toBe(-1);
    expect(tier.isPresent(4)).toBe(false);
    expect(tier.isPresent(6)).toBe(true);
    const total = cumulative(tier, 0, 105);
    expect(total(1e9)).toBe(3);
  });

  it("interpolates the running total inside a slot and stops at what was generated", () => {
    const tier = new Tier(15, 10);
    tier.add(0, increments(10));
    tier.add(15, increments(20)); // the open slot: generated up to t = 20
    const total = cumulative(tier, 0, 20);
    const presence = cumulative(tier, presenceField, 20);
    expect(total(-5)).toBe(0);
    expect(total(7.5)).toBe(5);
    expect(total(15)).toBe(10);
    expect(total(17.5)).toBe(20);
    expect(total(20)).toBe(30);
    expect(total(60)).toBe(30);
    expect(presence(60) - presence(0)).toBe(20);
  });
});
