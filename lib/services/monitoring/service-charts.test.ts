import { describe, expect, it } from "vitest";
import type { RangeQuery, RangeSeries } from "@/lib/clients/prometheus";
import { loadServiceCharts } from "./service-charts";

const now = Date.UTC(2026, 10, 26, 3, 0, 7);

/** A Prometheus that answers every range query with two revisions' samples on the query's grid. */
function fakePrometheus() {
  const queries: RangeQuery[] = [];
  return {
    queries,
    client: {
      async queryRange(range: RangeQuery): Promise<RangeSeries[]> {
        queries.push(range);
        const start = Number(range.start);
        const end = Number(range.end);
        const points = (value: number) => {
          const list = [];
          for (let t = start; t <= end; t += range.step * 1000) list.push({ t, value });
          return list.filter((_, i) => i !== 3); // one missing step: a gap, not a zero
        };
        return [
          { metric: { revision_name: "svc-predictor-00002" }, points: points(0.02) },
          { metric: { revision_name: "svc-predictor-00003" }, points: points(0.9) },
        ];
      },
    },
  };
}

describe("loadServiceCharts", () => {
  it("puts each revision's samples on the step grid in display units, with gaps kept", async () => {
    const prometheus = fakePrometheus();
    const charts = await loadServiceCharts(prometheus.client, {
      namespace: "models",
      service: "svc",
      scheme: "knative",
      range: "1h",
      now,
    });
    expect(prometheus.queries).toHaveLength(5);
    expect(charts.stepSeconds).toBe(15);
    expect(charts.latencyMs.map((l) => l.label)).toEqual([
      "p50 svc-predictor-00002",
      "p50 svc-predictor-00003",
      "p95 svc-predictor-00002",
      "p95 svc-predictor-00003",
      "p99 svc-predictor-00002",
      "p99 svc-predictor-00003",
    ]);
    const canary = charts.latencyMs.find((l) => l.label === "p95 svc-predictor-00003")!;
    expect(canary.points).toHaveLength(3600 / 15 + 1);
    expect(canary.points[0].y).toBeCloseTo(900);
    expect(canary.points[3].y).toBeNull();
    expect(canary.points.at(-1)!.x).toBe(Math.floor(now / 15_000) * 15_000);
    expect(charts.requestRate).toHaveLength(2);
    expect(charts.errorShare).toHaveLength(2);
  });

  it("keeps every range far inside Prometheus' point limit", async () => {
    for (const range of ["1h", "6h", "24h", "7d"] as const) {
      const prometheus = fakePrometheus();
      await loadServiceCharts(prometheus.client, {
        namespace: "models",
        service: "svc",
        scheme: "knative",
        range,
        now,
      });
      for (const query of prometheus.queries)
        expect((Number(query.end) - Number(query.start)) / 1000 / query.step).toBeLessThanOrEqual(300);
    }
  });

  it("has no error chart under the KServe scheme, which carries no status codes", async () => {
    const prometheus = fakePrometheus();
    const charts = await loadServiceCharts(prometheus.client, {
      namespace: "models",
      service: "svc",
      scheme: "kserve",
      range: "6h",
      now,
    });
    expect(charts.errorShare).toBeNull();
    expect(prometheus.queries).toHaveLength(4);
  });

  it("names every revision carrying traffic with its version and share, and says which has no latency", async () => {
    const prometheus = fakePrometheus();
    const charts = await loadServiceCharts(prometheus.client, {
      namespace: "models",
      service: "svc",
      scheme: "knative",
      range: "1h",
      now,
      serving: [
        { revisionName: "svc-predictor-00002", percent: 90, endpoint: "default", version: "8" },
        { revisionName: "svc-predictor-00003", percent: 10, endpoint: "canary", version: "9" },
      ],
    });
    expect(charts.latencyMs.filter((l) => l.label.startsWith("p95")).map((l) => l.label)).toEqual([
      "p95 svc-predictor-00002 (v8, 90 %)",
      "p95 svc-predictor-00003 (v9, 10 %)",
    ]);
    expect(charts.revisions.map((r) => [r.revisionName, r.version, r.percent, r.hasLatency])).toEqual([
      ["svc-predictor-00002", "8", 90, true],
      ["svc-predictor-00003", "9", 10, true],
    ]);
  });
});
