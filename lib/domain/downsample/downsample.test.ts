import { describe, expect, it } from "vitest";
import { downsampleSeries, mergeDownsampled, type DownsampledSeries, type MetricSeries } from "./downsample";
import { lttbIndices } from "./lttb";

function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** A noisy decaying loss with a spike, a dip and NaN runs, one point per step from `firstStep`. */
function lossCurve(count: number, seed = 1, firstStep = 0): MetricSeries {
  const random = createRandom(seed);
  const values = Array.from({ length: count }, (_, i) => 2 * Math.exp(-i / (count / 4)) + random() * 0.1);
  values[Math.floor(count * 0.37)] = 9.5; // spike
  values[Math.floor(count * 0.81)] = -3.25; // dip
  for (let i = Math.floor(count * 0.5); i < Math.min(count - 1, Math.floor(count * 0.5) + 5); i++)
    values[i] = Number.NaN;
  return {
    steps: values.map((_, i) => firstStep + i),
    timestamps: values.map((_, i) => 1_700_000_000_000 + (firstStep + i) * 1000),
    values,
  };
}

function slice(series: MetricSeries, start: number, end: number): MetricSeries {
  const part = (source: ArrayLike<number>) => Array.from(source).slice(start, end);
  return { steps: part(series.steps), timestamps: part(series.timestamps), values: part(series.values) };
}

function extremes(values: ArrayLike<number>) {
  const finite = Array.from(values).filter((value) => !Number.isNaN(value));
  return { min: Math.min(...finite), max: Math.max(...finite) };
}

function expectShapeInvariants(input: MetricSeries, output: DownsampledSeries, target: number) {
  expect(output.values.length).toBeLessThanOrEqual(target);
  expect(output.steps.length).toBe(output.values.length);
  expect(output.timestamps.length).toBe(output.values.length);
  for (let i = 1; i < output.steps.length; i++) expect(output.steps[i]).toBeGreaterThan(output.steps[i - 1]);
  expect(output.steps[0]).toBe(Math.min(...Array.from(input.steps)));
  expect(output.steps.at(-1)).toBe(Math.max(...Array.from(input.steps)));
  expect(extremes(output.values)).toEqual(extremes(input.values));
}

describe.each(["m4", "lttb"] as const)("downsampleSeries (%s)", (method) => {
  it("keeps first, last, min and max, stays within the target and keeps steps increasing", () => {
    for (const [count, target] of [
      [10_000, 320],
      [1001, 40],
      [50, 8],
      [7, 4],
    ]) {
      const input = lossCurve(count, count);
      const output = downsampleSeries(input, target, { method });
      expectShapeInvariants(input, output, target);
      expect(output.sourceCount).toBe(count);
    }
  });

  it("keeps a NaN first or last point but never picks NaN as an extreme", () => {
    const input = lossCurve(500, 3);
    const values = Array.from(input.values);
    values[0] = Number.NaN;
    values[499] = Number.NaN;
    const output = downsampleSeries({ ...input, values }, 40, { method });
    expect(output.values[0]).toBeNaN();
    expect(output.values.at(-1)).toBeNaN();
    expect(extremes(output.values)).toEqual(extremes(values));
  });

  it("treats ±Infinity as real extremes", () => {
    const input = lossCurve(300, 4);
    const values = Array.from(input.values);
    values[120] = Number.POSITIVE_INFINITY;
    expect(downsampleSeries({ ...input, values }, 20, { method }).values).toContain(Number.POSITIVE_INFINITY);
  });

  it("returns a series that already fits unchanged, and copes with all-NaN values", () => {
    const small = lossCurve(30, 5);
    expect(downsampleSeries(small, 30, { method }).values).toEqual(Array.from(small.values));
    const allNaN = {
      steps: [0, 1, 2, 3, 4, 5],
      timestamps: [0, 1, 2, 3, 4, 5],
      values: Array(6).fill(Number.NaN),
    };
    const output = downsampleSeries(allNaN, 4, { method });
    expect(output.steps[0]).toBe(0);
    expect(output.steps.at(-1)).toBe(5);
    expect(output.values.length).toBeLessThanOrEqual(4);
  });

  it("sorts unsorted input by step, then timestamp", () => {
    const output = downsampleSeries(
      { steps: [3, 1, 2, 1, 0], timestamps: [5, 20, 6, 10, 1], values: [30, 12, 20, 11, 0] },
      8,
      { method },
    );
    expect(output.steps).toEqual([0, 1, 1, 2, 3]);
    expect(output.values).toEqual([0, 11, 12, 20, 30]);
  });
});

describe("M4 buckets", () => {
  it("keep every aligned bucket's own min and max, so no spike is lost anywhere", () => {
    const input = lossCurve(10_000, 9);
    const output = downsampleSeries(input, 320);
    const width = 2 ** output.bucketExponent;
    expect(Math.floor(9999 / width) + 1).toBeLessThanOrEqual(80);
    const byBucket = (steps: ArrayLike<number>, values: ArrayLike<number>) => {
      const buckets = new Map<number, number[]>();
      for (let i = 0; i < steps.length; i++) {
        const key = Math.floor(steps[i] / width);
        buckets.set(key, [...(buckets.get(key) ?? []), values[i]]);
      }
      return new Map([...buckets].map(([key, bucketValues]) => [key, extremes(bucketValues)]));
    };
    expect(byBucket(output.steps, output.values)).toEqual(byBucket(input.steps, input.values));
  });
});

describe("mergeDownsampled", () => {
  it("gives exactly the full recompute when a history arrives in batches", () => {
    const full = lossCurve(10_000, 11);
    const expected = downsampleSeries(full, 320);
    let cached = downsampleSeries(slice(full, 0, 100), 320);
    for (let start = 100; start < 10_000; start += 737) {
      cached = mergeDownsampled(cached, slice(full, start, Math.min(start + 737, 10_000)), 320);
      expect(cached.values.length).toBeLessThanOrEqual(320);
    }
    expect(cached).toEqual(expected);
  });

  it("stays exact with late points inside the cached range and with steps that start far from zero", () => {
    const full = lossCurve(4000, 12, 1_000_000);
    const early = slice(full, 0, 3000);
    const late = slice(full, 3000, 4000);
    const withHole = { ...early, values: Array.from(early.values) };
    const hole = [1200, 1201, 1202];
    hole.forEach((i) => (withHole.values[i] = Number.NaN));
    const missing = {
      steps: hole.map((i) => early.steps[i]),
      timestamps: hole.map((i) => early.timestamps[i]),
      values: hole.map((i) => early.values[i]),
    };
    // The history first held NaN at three steps, then the real values were logged again later.
    const expectedPoints: MetricSeries = {
      steps: [...Array.from(withHole.steps), ...Array.from(late.steps), ...missing.steps],
      timestamps: [...Array.from(withHole.timestamps), ...Array.from(late.timestamps), ...missing.timestamps],
      values: [...withHole.values, ...Array.from(late.values), ...missing.values],
    };
    const merged = mergeDownsampled(
      mergeDownsampled(downsampleSeries(withHole, 100), late, 100),
      missing,
      100,
    );
    expect(merged).toEqual(downsampleSeries(expectedPoints, 100));
  });

  it("stays exact when the cache went through JSON, which turns NaN into null", () => {
    const curve = lossCurve(3000, 14);
    const full = {
      ...curve,
      values: Array.from(curve.values, (value, i) => (i === 0 || i === 1999 ? Number.NaN : value)),
    };
    const cached = JSON.parse(
      JSON.stringify(downsampleSeries(slice(full, 0, 2000), 200)),
    ) as DownsampledSeries;
    expect(cached.values).toContain(null);
    const merged = mergeDownsampled(cached, slice(full, 2000, 3000), 200);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(downsampleSeries(full, 200)));
  });

  it("keeps raw points while the whole history still fits the target", () => {
    const full = lossCurve(60, 13);
    const merged = mergeDownsampled(downsampleSeries(slice(full, 0, 30), 64), slice(full, 30, 60), 64);
    expect(merged.values).toEqual(Array.from(full.values));
    expect(merged.sourceCount).toBe(60);
  });

  it("refuses to merge LTTB output and rejects a target below 4", () => {
    const lttb = downsampleSeries(lossCurve(100), 10, { method: "lttb" });
    expect(() => mergeDownsampled(lttb, lossCurve(5), 10)).toThrow(TypeError);
    expect(() => downsampleSeries(lossCurve(10), 3)).toThrow(RangeError);
  });
});

describe("lttbIndices", () => {
  it("picks the peaks of a zig-zag and always the first and last point", () => {
    const x = Array.from({ length: 21 }, (_, i) => i);
    const y = x.map((i) => (i % 4 === 2 ? 10 : i % 4 === 0 ? 0 : 5));
    const candidates = x;
    // 19 middle points in 5 buckets of 3.8: each bucket's largest triangle is at a peak or a trough.
    const chosen = lttbIndices(x, y, candidates, 7);
    expect(chosen[0]).toBe(0);
    expect(chosen.at(-1)).toBe(20);
    expect(chosen).toHaveLength(7);
    expect(chosen.slice(1, -1).every((i) => y[i] === 10 || y[i] === 0)).toBe(true);
  });

  it("returns every candidate when the threshold allows it", () => {
    expect(lttbIndices([0, 1, 2], [1, 2, 3], [0, 1, 2], 5)).toEqual([0, 1, 2]);
    expect(lttbIndices([0, 1, 2], [1, 2, 3], [0, 1, 2], 2)).toEqual([0, 2]);
  });
});
