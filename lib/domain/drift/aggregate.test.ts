import { describe, expect, it } from "vitest";
import {
  InferencePayloadError,
  aggregatePayload,
  compileAggregationPlan,
  createWindowAccumulator,
  drainFeatureWindows,
} from "./aggregate";
import type { FeatureDefinition } from "./bins";

const features: FeatureDefinition[] = [
  { name: "age", kind: "numeric", edges: [0, 30, 60, 90], reference: [10, 10, 10, 0] },
  { name: "plan", kind: "categorical", categories: ["free", "pro", "3"], reference: [5, 5, 5, 0, 0] },
];
// Stored layouts: age → [0–30, 30–60, 60–90, missing]; plan → [free, pro, "3", other, missing].
const FIVE_MINUTES = 5 * 60_000;
const t0 = Date.UTC(2026, 10, 26, 12, 0, 0);

function aggregateOnce(payload: unknown, options: { columns?: string[]; timeMs?: number } = {}) {
  const plan = compileAggregationPlan(features, { windowMinutes: 5, columns: options.columns });
  const accumulator = createWindowAccumulator();
  const rows = aggregatePayload(plan, accumulator, payload, options.timeMs ?? t0 + 1000);
  return { rows, deltas: drainFeatureWindows(plan, accumulator), accumulator };
}

function countsOf(deltas: ReturnType<typeof drainFeatureWindows>, feature: string) {
  return deltas.filter((delta) => delta.feature === feature).map((delta) => delta.counts);
}

describe("aggregatePayload", () => {
  it("bins object rows, sends unknown categories to other and non-finite numbers to missing", () => {
    const { rows, deltas } = aggregateOnce({
      instances: [
        { age: 25, plan: "free" },
        { age: 30, plan: "enterprise" },
        { age: 120, plan: 3 },
        { age: -4, plan: null },
        { age: Number.NaN, plan: "pro" },
        { age: "45", plan: true },
        { plan: "pro" },
      ],
    });
    expect(rows).toBe(7);
    // 25 → bin 0, 30 → bin 1 (left-closed), 120 → last bin (open-ended), −4 → first bin, "45" → bin 1.
    expect(countsOf(deltas, "age")).toEqual([[2, 2, 1, 2]]);
    // 3 matches the category "3"; true matches no category → other.
    expect(countsOf(deltas, "plan")).toEqual([[1, 2, 1, 2, 1]]);
    expect(deltas.every((delta) => delta.total === 7 && delta.counts.reduce((a, b) => a + b) === 7)).toBe(
      true,
    );
    expect(deltas[0].windowStart).toEqual(new Date(t0));
  });

  it("reads array rows in the given column order and ignores unwatched columns", () => {
    const { deltas } = aggregateOnce(
      {
        instances: [
          ["pro", 99, 10],
          ["free", 1, 70],
        ],
      },
      { columns: ["plan", "unused", "age"] },
    );
    expect(countsOf(deltas, "age")).toEqual([[1, 0, 1, 0]]);
    expect(countsOf(deltas, "plan")).toEqual([[1, 1, 0, 0, 0]]);
  });

  it("counts a feature without a column as missing for every array row", () => {
    const { deltas } = aggregateOnce({ instances: [[10], [40]] }, { columns: ["age"] });
    expect(countsOf(deltas, "plan")).toEqual([[0, 0, 0, 0, 2]]);
  });

  it("leaves no partial counts behind when a payload is rejected", () => {
    const plan = compileAggregationPlan(features, { windowMinutes: 5 });
    const accumulator = createWindowAccumulator();
    expect(() =>
      aggregatePayload(plan, accumulator, { instances: [{ age: 1, plan: "pro" }, [1, 2, 3]] }, t0),
    ).toThrow(InferencePayloadError);
    expect(drainFeatureWindows(plan, accumulator)).toEqual([]);
  });

  it("takes scalar instances for a single-column monitor", () => {
    const { deltas } = aggregateOnce({ instances: [12, 45, null] }, { columns: ["age"] });
    expect(countsOf(deltas, "age")).toEqual([[1, 1, 0, 1]]);
    expect(countsOf(deltas, "plan")).toEqual([[0, 0, 0, 0, 3]]);
  });

  it("rejects array rows of the wrong width and instances that are neither rows nor objects", () => {
    expect(() => aggregateOnce({ instances: [[1, 2, 3]] })).toThrow(InferencePayloadError);
    expect(() => aggregateOnce({ instances: ["free"] })).toThrow(InferencePayloadError);
    expect(() => aggregateOnce({ predictions: [] })).toThrow(InferencePayloadError);
    expect(() => aggregateOnce([1, 2])).toThrow(InferencePayloadError);
  });

  it("reads Open Inference Protocol v2 tensors, one per feature", () => {
    const { rows, deltas } = aggregateOnce({
      inputs: [
        { name: "age", shape: [3, 1], datatype: "FP32", data: [[5], [65], [70]] },
        { name: "plan", shape: [3], datatype: "BYTES", data: ["pro", "pro", "gold"] },
        { name: "ignored", shape: [2], datatype: "INT64", data: [1, 2] },
      ],
    });
    expect(rows).toBe(3);
    expect(countsOf(deltas, "age")).toEqual([[1, 0, 2, 0]]);
    expect(countsOf(deltas, "plan")).toEqual([[0, 2, 0, 1, 0]]);
  });

  it("reads a v2 [N, columns] matrix tensor in column order", () => {
    const { deltas } = aggregateOnce(
      { inputs: [{ name: "input-0", shape: [2, 2], datatype: "FP64", data: [10, 3, 50, 7] }] },
      { columns: ["age", "plan"] },
    );
    expect(countsOf(deltas, "age")).toEqual([[1, 1, 0, 0]]);
    expect(countsOf(deltas, "plan")).toEqual([[0, 0, 1, 1, 0]]);
  });

  it("rejects tensors whose shape does not fit their data or that disagree on rows", () => {
    expect(() =>
      aggregateOnce({ inputs: [{ name: "age", shape: [3], datatype: "FP32", data: [1, 2] }] }),
    ).toThrow(InferencePayloadError);
    expect(() =>
      aggregateOnce({
        inputs: [
          { name: "age", shape: [2], data: [1, 2] },
          { name: "plan", shape: [1], data: ["pro"] },
        ],
      }),
    ).toThrow(InferencePayloadError);
  });

  it("accepts v1 `inputs` as rows or as named columns", () => {
    expect(countsOf(aggregateOnce({ inputs: [{ age: 1, plan: "pro" }] }).deltas, "age")).toEqual([
      [1, 0, 0, 0],
    ]);
    const columnar = aggregateOnce({ inputs: { age: [1, 31], plan: ["free", "free"] } });
    expect(countsOf(columnar.deltas, "plan")).toEqual([[2, 0, 0, 0, 0]]);
  });

  it("keeps windows apart by floor(time / windowMinutes) and accumulates within one", () => {
    const plan = compileAggregationPlan(features, { windowMinutes: 5 });
    const accumulator = createWindowAccumulator();
    aggregatePayload(plan, accumulator, { instances: [{ age: 1, plan: "free" }] }, t0 + FIVE_MINUTES + 10);
    aggregatePayload(plan, accumulator, { instances: [{ age: 1, plan: "free" }] }, t0 + FIVE_MINUTES - 1);
    aggregatePayload(plan, accumulator, { instances: [{ age: 2, plan: "pro" }] }, t0);
    const deltas = drainFeatureWindows(plan, accumulator);
    expect(deltas.map((delta) => [delta.windowStart.getTime() - t0, delta.feature, delta.total])).toEqual([
      [0, "age", 2],
      [0, "plan", 2],
      [FIVE_MINUTES, "age", 1],
      [FIVE_MINUTES, "plan", 1],
    ]);
    expect(accumulator.size).toBe(0);
  });
});

describe("compileAggregationPlan", () => {
  it("lays features out back to back", () => {
    const plan = compileAggregationPlan(features, { windowMinutes: 5 });
    expect(Array.from(plan.offsets)).toEqual([0, 4]);
    expect(plan.slotTotal).toBe(9);
  });

  it("refuses duplicate names and a non-positive window", () => {
    expect(() => compileAggregationPlan([features[0], features[0]], { windowMinutes: 5 })).toThrow(
      RangeError,
    );
    expect(() => compileAggregationPlan(features, { windowMinutes: 0 })).toThrow(RangeError);
  });
});
