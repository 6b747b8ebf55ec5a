import { describe, expect, it } from "vitest";
import type { InferenceService } from "@/lib/clients/kserve";
import type { RangeQuery, RangeSeries } from "@/lib/clients/prometheus";
import { loadFleetSnapshot } from "./fleet-snapshot";

const now = Date.UTC(2026, 10, 26, 3, 0, 30);

function service(name: string, ready: boolean): InferenceService {
  return {
    metadata: { name, namespace: "models", generation: 1 },
    spec: {
      predictor: {
        model: { modelFormat: { name: "sklearn" }, storageUri: `https://store/models/${name}/3` },
      },
    },
    status: {
      observedGeneration: 1,
      url: `http://${name}.models.example.com`,
      conditions: ready
        ? [{ type: "Ready", status: "True" }]
        : [
            { type: "Ready", status: "False" },
            {
              type: "PredictorReady",
              status: "False",
              reason: "RevisionFailed",
              message: "model did not load",
            },
          ],
      components: {
        predictor: {
          latestReadyRevision: `${name}-predictor-00001`,
          traffic: [{ revisionName: `${name}-predictor-00001`, percent: 100, latestRevision: true }],
        },
      },
    },
  } as InferenceService;
}

/** Answers by metric: latency and rate for "busy" only (no 5xx series at all), nothing for "quiet". */
function prometheus(options: { fail?: boolean } = {}) {
  const queries: string[] = [];
  return {
    queries,
    client: {
      async queryRange(range: RangeQuery): Promise<RangeSeries[]> {
        queries.push(range.query);
        if (options.fail) throw new Error("Prometheus: connection refused");
        if (range.query.includes('response_code_class="5xx"')) return [];
        const value = range.query.startsWith("histogram_quantile") ? 42 : 3.5;
        const points = [];
        for (let t = Number(range.start); t <= Number(range.end); t += range.step * 1000)
          points.push({ t, value });
        return [{ metric: { configuration_name: "busy-predictor" }, points }];
      },
    },
  };
}

describe("loadFleetSnapshot", () => {
  const kserve = {
    list: async () => [service("quiet", true), service("busy", true), service("broken", false)],
  };

  it("reads every service with three range queries, and shows a service without samples as no data", async () => {
    const fake = prometheus();
    const snapshot = await loadFleetSnapshot({
      kserve,
      prometheus: fake.client,
      scheme: "knative",
      namespace: "models",
      now,
    });
    expect(fake.queries).toHaveLength(3);
    expect(snapshot.services.map((s) => s.name)).toEqual(["broken", "busy", "quiet"]);
    const [broken, busy, quiet] = snapshot.services;
    expect(busy.metrics).toMatchObject({ p95Ms: 42, requestRate: 3.5, errorShare: 0 });
    expect(busy.metrics.sparklines.p95Ms).toHaveLength(61);
    expect(quiet.metrics).toMatchObject({ p95Ms: null, requestRate: null, errorShare: null });
    expect(broken).toMatchObject({
      readiness: "NotReady",
      failing: { type: "PredictorReady", reason: "RevisionFailed" },
      model: { name: "broken", version: "3" },
    });
    expect(snapshot.errors).toEqual({ kserve: null, prometheus: null });
  });

  it("still lists the services when Prometheus is down, with no data and the reason", async () => {
    const snapshot = await loadFleetSnapshot({
      kserve,
      prometheus: prometheus({ fail: true }).client,
      scheme: "knative",
      namespace: "models",
      now,
    });
    expect(snapshot.services).toHaveLength(3);
    expect(snapshot.services.every((s) => s.metrics.p95Ms === null && s.metrics.requestRate === null)).toBe(
      true,
    );
    expect(snapshot.errors.prometheus).toContain("connection refused");
  });

  it("queries no error share under the KServe scheme", async () => {
    const fake = prometheus();
    await loadFleetSnapshot({ kserve, prometheus: fake.client, scheme: "kserve", namespace: "models", now });
    expect(fake.queries).toHaveLength(2);
    expect(fake.queries.every((q) => q.includes('namespace="models"'))).toBe(true);
  });
});
