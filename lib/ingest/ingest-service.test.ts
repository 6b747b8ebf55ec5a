import { describe, expect, it } from "vitest";
import type { FeatureWindowDelta } from "@/lib/domain/drift/aggregate";
import type { FeatureDefinition } from "@/lib/domain/drift/bins";
import {
  createSecretCheck,
  parseLoggerEvent,
  parseStructuredLoggerEvent,
  type LoggerEvent,
} from "./cloud-event";
import { IngestService } from "./ingest-service";
import type { MonitorResolution } from "./monitors";
import type { IngestStore } from "./store";

const features: FeatureDefinition[] = [
  { name: "x", kind: "numeric", edges: [0, 10, 20], reference: [5, 5, 0] },
  { name: "plan", kind: "categorical", categories: ["a", "b"], reference: [3, 2, 0, 0] },
];
const now = Date.UTC(2026, 10, 26, 12, 2, 0);
const event = (overrides: Partial<LoggerEvent> = {}): LoggerEvent => ({
  id: "1",
  kind: "request",
  namespace: "models",
  service: "churn",
  timeMs: now,
  ...overrides,
});

function memoryStore(options: { failures?: number } = {}) {
  let failures = options.failures ?? 0;
  const windows = new Map<string, number[]>();
  const counters = new Map<string, number>();
  const store: IngestStore = {
    async addFeatureWindows(monitorId, deltas: readonly FeatureWindowDelta[]) {
      if (failures-- > 0) throw new Error("database unavailable");
      for (const delta of deltas) {
        const key = `${monitorId}|${delta.windowStart.toISOString()}|${delta.feature}`;
        const stored = windows.get(key) ?? new Array<number>(delta.counts.length).fill(0);
        windows.set(
          key,
          stored.map((count, slot) => count + delta.counts[slot]),
        );
      }
    },
    async addCounters(_hour, counts) {
      for (const [outcome, count] of counts) counters.set(outcome, (counters.get(outcome) ?? 0) + count);
    },
  };
  return { store, windows, counters };
}

const ready = async (): Promise<MonitorResolution> => ({ monitor: { id: "m1", features, windowMinutes: 5 } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("IngestService", () => {
  it("aggregates once the monitor is resolved, and keeps increments a failed flush could not write", async () => {
    const { store, windows, counters } = memoryStore({ failures: 1 });
    const service = new IngestService({ store, resolveMonitor: ready, now: () => now });
    expect(service.ingest(event(), { instances: [{ x: 1, plan: "a" }] }).outcome).toBe("unmonitored");
    await settle();
    expect(
      service.ingest(event(), {
        instances: [
          { x: 1, plan: "a" },
          { x: 15, plan: "z" },
        ],
      }),
    ).toEqual({ outcome: "accepted-request", rows: 2 });
    await service.flush();
    expect(windows.size).toBe(0);
    expect(service.ingest(event(), { instances: [{ x: null, plan: "b" }] }).rows).toBe(1);
    await service.flush();
    const windowStart = new Date(Date.UTC(2026, 10, 26, 12, 0, 0)).toISOString();
    expect(windows.get(`m1|${windowStart}|x`)).toEqual([1, 1, 1]);
    expect(windows.get(`m1|${windowStart}|plan`)).toEqual([1, 1, 1, 0]);
    expect(Object.fromEntries(counters)).toEqual({ unmonitored: 1, "accepted-request": 2 });
  });

  it("refuses stale events, malformed payloads and services beyond its cap", async () => {
    const { store } = memoryStore();
    const service = new IngestService({
      store,
      resolveMonitor: ready,
      now: () => now,
      maxServices: 1,
      maxEventAgeMs: 60_000,
    });
    service.ingest(event(), { instances: [] });
    await settle();
    expect(service.ingest(event({ timeMs: now - 120_000 }), { instances: [{ x: 1 }] }).outcome).toBe(
      "stale-event",
    );
    expect(service.ingest(event(), { rows: [] }).outcome).toBe("invalid-payload");
    expect(service.ingest(event({ service: "other" }), { instances: [] }).outcome).toBe("monitor-limit");
    expect(service.ingest(event({ kind: "response" }), { predictions: [0.2] }).outcome).toBe(
      "accepted-response",
    );
  });

  it("retries an unavailable service only after its back-off", async () => {
    const { store } = memoryStore();
    let clock = now;
    let lookups = 0;
    const service = new IngestService({
      store,
      now: () => clock,
      retryUnavailableMs: 60_000,
      resolveMonitor: async () =>
        ++lookups === 1
          ? { unavailable: "no training data" }
          : { monitor: { id: "m1", features, windowMinutes: 5 } },
    });
    service.ingest(event(), { instances: [] });
    await settle();
    service.ingest(event(), { instances: [] });
    expect(lookups).toBe(1);
    clock += 61_000;
    expect(service.ingest(event({ timeMs: clock }), { instances: [] }).outcome).toBe("unmonitored");
    await settle();
    expect(lookups).toBe(2);
    expect(service.ingest(event({ timeMs: clock }), { instances: [{ x: 3 }] }).outcome).toBe(
      "accepted-request",
    );
  });
});

describe("CloudEvent attributes", () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  const valid = {
    "ce-specversion": "1.0",
    "ce-id": "abc",
    "ce-type": "org.kubeflow.serving.inference.request",
    "ce-namespace": "models",
    "ce-inferenceservicename": "churn",
    "ce-time": "2026-11-26T12:00:00Z",
  };

  it("reads KServe's binary-mode headers and refuses anything else", () => {
    expect(parseLoggerEvent(headers(valid))).toEqual({
      id: "abc",
      kind: "request",
      namespace: "models",
      service: "churn",
      endpoint: undefined,
      timeMs: Date.UTC(2026, 10, 26, 12),
    });
    expect(parseLoggerEvent(headers({ ...valid, "ce-specversion": "0.3" }))).toBeUndefined();
    expect(parseLoggerEvent(headers({ ...valid, "ce-inferenceservicename": "Not_A_Name" }))).toBeUndefined();
    expect(
      parseLoggerEvent(headers({ ...valid, "ce-type": "org.kubeflow.serving.inference.other" })),
    ).toBeUndefined();
  });

  it("reads structured events of a batch, data parsed when sent as text", () => {
    const structured = {
      specversion: "1.0",
      id: "abc",
      type: "org.kubeflow.serving.inference.response",
      namespace: "models",
      inferenceservicename: "churn",
    };
    expect(parseStructuredLoggerEvent({ ...structured, data: '{"predictions":[1]}' })).toMatchObject({
      event: { kind: "response" },
      data: { predictions: [1] },
    });
    expect(parseStructuredLoggerEvent(structured)).toBeUndefined();
    expect(parseStructuredLoggerEvent([structured])).toBeUndefined();
  });

  it("accepts only the exact bearer secret", () => {
    const isAuthorized = createSecretCheck("s3cret-value-0123456789");
    expect(isAuthorized("Bearer s3cret-value-0123456789")).toBe(true);
    expect(isAuthorized("Bearer s3cret-value-012345678")).toBe(false);
    expect(isAuthorized("Basic s3cret-value-0123456789")).toBe(false);
    expect(isAuthorized(null)).toBe(false);
  });
});
