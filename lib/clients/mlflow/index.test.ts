import { describe, expect, it } from "vitest";
import { CloudApiError, collect, ContractError } from "../http";
import { createMlflowClient, isEndpointMissing, parseMlflowError, splitLogBatch } from ".";

/** A fetch that answers every request with one JSON body, recording what was asked. */
function fakeFetch(
  status: number,
  body: unknown,
  calls: Array<{ url: string; init?: RequestInit }> = [],
): typeof fetch {
  return (async (url: URL | RequestInfo, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return new Response(typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: { "content-type": typeof body === "string" ? "text/html" : "application/json" },
    });
  }) as typeof fetch;
}

describe("splitLogBatch", () => {
  it("keeps each request within MLflow's limits and loses nothing", () => {
    const metrics = Array.from({ length: 2500 }, (_, step) => ({
      key: "loss",
      value: step,
      step,
      timestamp: 1,
    }));
    const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, "v"]));
    const requests = splitLogBatch({ metrics, params, tags: { team: "qa" } });
    for (const request of requests) {
      expect(request.params.length).toBeLessThanOrEqual(100);
      expect(request.tags.length).toBeLessThanOrEqual(100);
      expect(request.metrics.length + request.params.length + request.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(requests.flatMap((r) => r.metrics)).toHaveLength(2500);
    expect(requests.flatMap((r) => r.params)).toHaveLength(150);
    expect(requests.flatMap((r) => r.tags)).toEqual([{ key: "team", value: "qa" }]);
  });

  it("writes non-finite values the way proto JSON does and fills in timestamps and steps", () => {
    const [request] = splitLogBatch(
      {
        metrics: [
          { key: "x", value: NaN },
          { key: "y", value: -Infinity },
        ],
      },
      123,
    );
    expect(request.metrics).toEqual([
      { key: "x", value: "NaN", timestamp: 123, step: 0 },
      { key: "y", value: "-Infinity", timestamp: 123, step: 0 },
    ]);
  });
});

describe("parseMlflowError and isEndpointMissing", () => {
  it("reads MLflow's and Azure ML's error bodies", () => {
    expect(parseMlflowError(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "gone" })).toEqual({
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      message: "gone",
    });
    expect(parseMlflowError(400, { error: { code: "UserError", message: "bad" } })).toEqual({
      errorCode: "UserError",
      message: "bad",
    });
    expect(parseMlflowError(404, "<h1>Not Found</h1>")).toEqual({});
  });

  it("tells a missing route from a missing resource", () => {
    expect(isEndpointMissing(new CloudApiError("MLflow", 404, "", "HTTP 404", false))).toBe(true);
    expect(isEndpointMissing(new CloudApiError("MLflow", 404, "ENDPOINT_NOT_FOUND", "no", false))).toBe(true);
    expect(isEndpointMissing(new CloudApiError("MLflow", 404, "UserError", "no such route", false))).toBe(
      true,
    );
    expect(isEndpointMissing(new CloudApiError("MLflow", 405, "", "method not allowed", false))).toBe(true);
    expect(
      isEndpointMissing(new CloudApiError("MLflow", 404, "RESOURCE_DOES_NOT_EXIST", "no run", false)),
    ).toBe(false);
    expect(isEndpointMissing(new CloudApiError("MLflow", 400, "INVALID_PARAMETER_VALUE", "bad", false))).toBe(
      false,
    );
    expect(isEndpointMissing(new Error("boom"))).toBe(false);
  });
});

describe("createMlflowClient", () => {
  it("fails loudly when a response drifts from the contract", async () => {
    const version = { name: "m", version: 3, current_stage: "None", status: "READY", source: "x" };
    const client = createMlflowClient({
      baseUrl: "http://mlflow.test",
      fetch: fakeFetch(200, { model_version: version }),
    });
    await expect(client.getModelVersion("m", 3)).rejects.toBeInstanceOf(ContractError);
    const unknownStage = createMlflowClient({
      baseUrl: "http://mlflow.test",
      fetch: fakeFetch(200, { model_version: { ...version, version: "3", current_stage: "Canary" } }),
    });
    await expect(unknownStage.getModelVersion("m", 3)).rejects.toThrow(/current_stage/);
  });

  it("reads proto JSON that leaves out empty lists and sends int64 as strings", async () => {
    const client = createMlflowClient({
      baseUrl: "http://mlflow.test",
      fetch: fakeFetch(200, {
        run: {
          info: {
            run_id: "r1",
            experiment_id: "7",
            status: "FINISHED",
            start_time: "1700000000000",
            lifecycle_stage: "active",
          },
          data: {},
        },
      }),
    });
    expect(await client.getRun("r1")).toEqual({
      info: {
        runId: "r1",
        runName: "",
        experimentId: "7",
        userId: "",
        status: "FINISHED",
        startTime: 1_700_000_000_000,
        endTime: undefined,
        artifactUri: "",
        lifecycleStage: "active",
      },
      metrics: {},
      params: {},
      tags: {},
      datasetInputs: [],
    });
  });

  it("sends the bearer token, repeated query parameters and the tracking URI's path prefix", async () => {
    const calls: Array<{ url: string; init?: RequestInit }> = [];
    const client = createMlflowClient({
      baseUrl: "https://westeurope.api.azureml.ms/mlflow/v1.0/subscriptions/s/workspaces/w",
      getToken: async () => "tok",
      fetch: fakeFetch(200, {}, calls),
    });
    expect(
      await client.getMetricHistoryBulkInterval({ runIds: ["a", "b"], metricKey: "auc", maxResults: 320 }),
    ).toEqual([]);
    const url = new URL(calls[0].url);
    expect(url.pathname).toBe(
      "/mlflow/v1.0/subscriptions/s/workspaces/w/api/2.0/mlflow/metrics/get-history-bulk-interval",
    );
    expect(url.searchParams.getAll("run_ids")).toEqual(["a", "b"]);
    expect((calls[0].init?.headers as Record<string, string>).authorization).toBe("Bearer tok");
  });

  it("keeps paging through an empty Unity Catalog page that still carries a token", async () => {
    const model = (name: string) => ({
      name,
      catalog_name: "main",
      schema_name: "ml",
      full_name: `main.ml.${name}`,
    });
    const pages = [
      { registered_models: [model("a")], next_page_token: "t1" },
      { next_page_token: "t2" },
      { registered_models: [model("b")] },
    ];
    const tokens: Array<string | null> = [];
    const fetchPages = (async (url: URL | RequestInfo) => {
      tokens.push(new URL(String(url)).searchParams.get("page_token"));
      return new Response(JSON.stringify(pages[tokens.length - 1]), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }) as typeof fetch;
    const client = createMlflowClient({ baseUrl: "https://adb-1.azuredatabricks.net", fetch: fetchPages });
    expect((await collect(client.iterateUcModels())).map((m) => m.fullName)).toEqual([
      "main.ml.a",
      "main.ml.b",
    ]);
    expect(tokens).toEqual([null, "t1", "t2"]);
  });
});
