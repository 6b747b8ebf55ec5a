import { describe, expect, it } from "vitest";
import { parsePromQL } from "@/sandbox/prometheus/promql";
import { fleetQuery, fleetRequestCountQuery, seriesKeyOf } from "./fleet-metrics";

describe("fleet queries", () => {
  it("select the whole namespace with the per-service queries' metric and label names", () => {
    expect(
      fleetQuery("p95", { namespace: "models", scheme: "knative", window: "5m", byRevision: true }),
    ).toBe(
      'histogram_quantile(0.95, sum by (le, configuration_name, revision_name) (rate(revision_app_request_latencies_bucket{namespace_name="models"}[5m])))',
    );
    expect(fleetQuery("errorShare", { namespace: "models", scheme: "knative", window: "5m" })).toBe(
      'sum by (configuration_name) (rate(revision_app_request_count{namespace_name="models", response_code_class="5xx"}[5m])) / sum by (configuration_name) (rate(revision_app_request_count{namespace_name="models"}[5m]))',
    );
    expect(fleetQuery("p95", { namespace: "models", scheme: "kserve", window: "1m", quantile: 0.5 })).toBe(
      'histogram_quantile(0.5, sum by (le, model_name) (rate(request_predict_seconds_bucket{namespace="models"}[1m]))) * 1000',
    );
    expect(fleetRequestCountQuery({ namespace: "models", scheme: "kserve", minutes: 10 })).toBe(
      'sum by (model_name) (increase(request_predict_seconds_count{namespace="models"}[10m]))',
    );
    expect(fleetRequestCountQuery({ namespace: "models", scheme: "knative", minutes: 0.2 })).toBe(
      'sum by (configuration_name) (increase(revision_app_request_count{namespace_name="models"}[1m]))',
    );
  });

  it("builds PromQL Prometheus parses for every metric and scheme, except a 5xx share without status classes", () => {
    for (const scheme of ["knative", "kserve"] as const) {
      for (const metric of ["p95", "requestRate", "errorShare"] as const) {
        const query = fleetQuery(metric, {
          namespace: 'ns "quoted"',
          scheme,
          window: "1h30m",
          byRevision: true,
        });
        if (scheme === "kserve" && metric === "errorShare") expect(query).toBeUndefined();
        else parsePromQL(query!);
      }
    }
    expect(() => fleetQuery("p95", { namespace: "models", scheme: "knative", window: "5 minutes" })).toThrow(
      RangeError,
    );
  });

  it("reads the service (and Knative revision) back from the labels the queries group by", () => {
    expect(
      seriesKeyOf(
        { configuration_name: "churn-predictor", revision_name: "churn-predictor-00002" },
        "knative",
      ),
    ).toEqual({ service: "churn", revision: "churn-predictor-00002" });
    expect(seriesKeyOf({ model_name: "churn" }, "kserve")).toEqual({ service: "churn" });
    expect(seriesKeyOf({ namespace: "models" }, "kserve")).toBeUndefined();
    expect(seriesKeyOf({}, "knative")).toBeUndefined();
  });
});
