import { describe, expect, it } from "vitest";
import { parsePromQL } from "@/sandbox/prometheus/promql";
import { ContractError } from "../http";
import {
  alignToSteps,
  chooseStep,
  createPrometheusClient,
  errorShareQuery,
  latencyQuantileQuery,
  maxPointsPerSeries,
  promqlString,
  requestRateQuery,
} from ".";

const respond = (body: unknown, status = 200) =>
  (async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    })) as unknown as typeof fetch;

describe("chooseStep", () => {
  it("picks the smallest readable step within the point budget", () => {
    expect(chooseStep(3600)).toBe(15);
    expect(chooseStep(6 * 3600)).toBe(120);
    expect(chooseStep(86400)).toBe(300);
    expect(chooseStep(7 * 86400)).toBe(3600);
    expect(chooseStep(7 * 86400, 2000)).toBe(600);
    expect(chooseStep(60, 300, 30)).toBe(30);
  });

  it("stays well under Prometheus' 11,000 points whatever is asked", () => {
    for (const range of [60, 3600, 86400, 30 * 86400, 400 * 86400, 5000 * 86400]) {
      for (const maxPoints of [1, 300, 11_000, 1_000_000]) {
        expect(range / chooseStep(range, maxPoints)).toBeLessThanOrEqual(maxPointsPerSeries / 2);
      }
    }
  });
});

describe("alignToSteps", () => {
  it("leaves a missing step as null and keeps NaN", () => {
    const series = {
      metric: {},
      points: [
        { t: 0, value: 1 },
        { t: 120_000, value: NaN },
      ],
    };
    expect(alignToSteps(series, { start: 0, end: 180_000, step: 60 })).toEqual([1, null, NaN, null]);
  });
});

describe("query builders", () => {
  const selector = {
    namespace: "models",
    service: "churn-classifier",
    revisions: ["churn-classifier-predictor-00002", "churn-classifier-predictor-00003"],
  };

  it("builds PromQL the sandbox's strict parser accepts, for both schemes", () => {
    for (const scheme of ["knative", "kserve"] as const) {
      parsePromQL(latencyQuantileQuery(selector, 0.95, { scheme, byRevision: true }));
      parsePromQL(requestRateQuery(selector, { scheme, window: "1m" }));
    }
    parsePromQL(errorShareQuery(selector, { scheme: "knative", byRevision: true })!);
  });

  it("returns seconds for both schemes and selects revisions the way each scheme can", () => {
    expect(latencyQuantileQuery(selector, 0.95, { scheme: "knative", byRevision: true })).toBe(
      'histogram_quantile(0.95, sum by (le, revision_name) (rate(revision_app_request_latencies_bucket{namespace_name="models", configuration_name="churn-classifier-predictor", revision_name=~"churn-classifier-predictor-00002|churn-classifier-predictor-00003"}[5m]))) / 1000',
    );
    expect(
      latencyQuantileQuery({ namespace: "models", service: "churn-classifier" }, 0.5, { scheme: "kserve" }),
    ).toBe(
      'histogram_quantile(0.5, sum by (le, model_name) (rate(request_predict_seconds_bucket{namespace="models", model_name="churn-classifier"}[5m])))',
    );
    expect(requestRateQuery(selector, { scheme: "kserve" })).toContain(
      'pod=~"(churn-classifier-predictor-00002|churn-classifier-predictor-00003)-.*"',
    );
    expect(errorShareQuery(selector, { scheme: "kserve" })).toBeUndefined();
  });

  it("escapes label values and refuses bad inputs", () => {
    expect(promqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => latencyQuantileQuery(selector, 95, { scheme: "knative" })).toThrow(RangeError);
    expect(() => requestRateQuery(selector, { scheme: "knative", window: "5 minutes" })).toThrow(RangeError);
  });
});

describe("createPrometheusClient", () => {
  it("turns sample strings into numbers, including NaN and infinities", async () => {
    const client = createPrometheusClient({
      baseUrl: "http://prometheus.test",
      fetch: respond({
        status: "success",
        data: {
          resultType: "matrix",
          result: [
            {
              metric: { a: "1" },
              values: [
                [1.5, "NaN"],
                [3, "+Inf"],
                [4.5, "-0.25"],
              ],
            },
          ],
        },
      }),
    });
    const [series] = await client.queryRange({ query: "x", start: 0, end: 4500, step: 1.5 });
    expect(series.points).toEqual([
      { t: 1500, value: NaN },
      { t: 3000, value: Infinity },
      { t: 4500, value: -0.25 },
    ]);
  });

  it("fails loudly on a value that is not a number", async () => {
    const client = createPrometheusClient({
      baseUrl: "http://prometheus.test",
      fetch: respond({
        status: "success",
        data: { resultType: "vector", result: [{ metric: {}, value: [1, "lots"] }] },
      }),
    });
    await expect(client.query({ query: "x" })).rejects.toBeInstanceOf(ContractError);
  });

  it("reads Prometheus' error envelope", async () => {
    const client = createPrometheusClient({
      baseUrl: "http://prometheus.test",
      fetch: respond({ status: "error", errorType: "execution", error: "query timed out" }, 422),
    });
    await expect(client.query({ query: "x" })).rejects.toMatchObject({
      status: 422,
      errorCode: "execution",
      retryable: false,
    });
  });
});
