import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { CloudApiError } from "../http";
import {
  alignToSteps,
  chooseStep,
  createPrometheusClient,
  errorShareQuery,
  latencyQuantileQuery,
  requestRateQuery,
  type PrometheusClient,
} from ".";

/**
 * The Prometheus client's contract suite: the shared half against the sandbox and, when
 * PROMETHEUS_CONTRACT_URL (and optionally PROMETHEUS_CONTRACT_TOKEN) is set, a real Prometheus.
 * The sandbox half checks query results against the counts the traffic generator produced.
 */

const realUrl = process.env.PROMETHEUS_CONTRACT_URL;
if (!realUrl)
  console.info(
    "[prometheus contract] PROMETHEUS_CONTRACT_URL is not set: the suite against a real Prometheus is skipped.",
  );

async function errorOf(promise: Promise<unknown>): Promise<CloudApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

function contractSuite(target: () => { client: PrometheusClient; url: string; token?: string }) {
  it("answers range queries with numbers on the step grid, NaN included", async () => {
    const { client } = target();
    const end = Math.floor(Date.now() / 1000 / 60) * 60;
    const series = await client.queryRange({
      query: "vector(1) / 0 - vector(1) / 0",
      start: (end - 600) * 1000,
      end: end * 1000,
      step: 60,
    });
    expect(series).toHaveLength(1);
    expect(series[0].points.map((p) => p.t)).toEqual(
      Array.from({ length: 11 }, (_, i) => (end - 600 + i * 60) * 1000),
    );
    expect(series[0].points.every((p) => Number.isNaN(p.value))).toBe(true);
    const instant = await client.query({ query: "2 * 21", time: end * 1000 });
    expect(instant).toEqual([{ metric: {}, t: end * 1000, value: 42 }]);
  });

  it("refuses more than 11,000 points per series with bad_data, and the client refuses it first", async () => {
    const { client, url, token } = target();
    const response = await fetch(`${url}/api/v1/query_range?query=vector(1)&start=0&end=11001&step=1`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: "error",
      errorType: "bad_data",
      error:
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    });
    await expect(
      client.queryRange({ query: "vector(1)", start: 0, end: 11_001_000, step: 1 }),
    ).rejects.toThrow(RangeError);
    const points = (7 * 86400) / chooseStep(7 * 86400, 20_000);
    expect(points).toBeLessThan(11_000);
  });

  it("reports an invalid query as bad_data with the parser's position", async () => {
    const error = await errorOf(target().client.query({ query: "sum(rate(x[5m])" }));
    expect(error).toMatchObject({ status: 400, errorCode: "bad_data", retryable: false });
    expect(error.message).toMatch(/invalid parameter "query": 1:\d+: parse error/);
  });
}

describe("Prometheus client against the sandbox", () => {
  let sandbox: RunningSandbox;
  let client: PrometheusClient;
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 50 });
    client = createPrometheusClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
  });
  afterAll(() => sandbox?.close());

  describe("contract", () => contractSuite(() => ({ client, url: sandbox.url, token: sandbox.token })));

  /** Sums the generated counts of the 5 minutes ending at `end` (a 15 s boundary). */
  async function generatedWindow(revision: string, end: number) {
    const counts = await admin(
      "GET",
      `/__sandbox/traffic/counts?revision=${revision}&start=${end - 300}&end=${end}`,
    );
    expect(counts.slots).toHaveLength(20);
    type Slot = {
      requests: Record<string, number>;
      latencyMs: Record<string, { buckets: number[] }>;
      predictSeconds: { buckets: number[] };
    };
    const slots = counts.slots as Slot[];
    const requests = slots.reduce(
      (sum, s) => sum + s.requests["2xx"] + s.requests["4xx"] + s.requests["5xx"],
      0,
    );
    const errors = slots.reduce((sum, s) => sum + s.requests["5xx"], 0);
    const latencyBuckets = counts.latencyBucketsMs
      .concat(Infinity)
      .map((_: number, i: number) =>
        slots.reduce((sum, s) => sum + Object.values(s.latencyMs).reduce((a, c) => a + c.buckets[i], 0), 0),
      );
    return {
      requests,
      errors,
      latencyBuckets: latencyBuckets as number[],
      bounds: [...counts.latencyBucketsMs, Infinity] as number[],
    };
  }

  it("computes request rate, error share and p90 from the generated traffic", async () => {
    const { generatedUntil } = await admin("POST", "/__sandbox/traffic/advance");
    const end = Math.floor(generatedUntil / 15) * 15 - 30;
    const revision = "network-anomaly-predictor-00002";
    const generated = await generatedWindow(revision, end);
    expect(generated.requests).toBeGreaterThan(1000);

    const selector = { namespace: "models", service: "network-anomaly", revisions: [revision] };
    const [rate] = await client.query({
      query: requestRateQuery(selector, { scheme: "knative", byRevision: true }),
      time: end * 1000,
    });
    expect(rate.metric).toEqual({ revision_name: revision });
    expect(rate.value).toBeCloseTo(generated.requests / 300, 9);

    const [share] = await client.query({
      query: errorShareQuery(selector, { scheme: "knative", byRevision: true })!,
      time: end * 1000,
    });
    expect(share.value).toBeCloseTo(generated.errors / generated.requests, 12);

    // The same requests through the model server's metrics, found by pod name.
    const [kserveRate] = await client.query({
      query: requestRateQuery(selector, { scheme: "kserve" }),
      time: end * 1000,
    });
    expect(kserveRate.value).toBeCloseTo(generated.requests / 300, 9);

    // histogram_quantile's interpolation, recomputed here from the raw bucket counts.
    let cumulative = 0;
    const buckets = generated.latencyBuckets.map((count, i) => ({
      upperBound: generated.bounds[i],
      count: (cumulative += count),
    }));
    const rank = 0.9 * cumulative;
    const b = buckets.findIndex((bucket) => bucket.count >= rank);
    const lower = b === 0 ? 0 : buckets[b - 1].upperBound;
    const below = b === 0 ? 0 : buckets[b - 1].count;
    const expectedP90Ms =
      lower + (buckets[b].upperBound - lower) * ((rank - below) / (buckets[b].count - below));
    const [p90] = await client.query({
      query: latencyQuantileQuery(selector, 0.9, { scheme: "knative", byRevision: true }),
      time: end * 1000,
    });
    expect(p90.value).toBeCloseTo(expectedP90Ms / 1000, 9);
  });

  it("lists the revisions that report metrics, filtered by a selector", async () => {
    const revisions = await client.labelValues("revision_name", {
      match: ['revision_app_request_count{configuration_name="network-anomaly-predictor"}'],
    });
    expect(revisions).toEqual([
      "network-anomaly-predictor-00001",
      "network-anomaly-predictor-00002",
      "network-anomaly-predictor-00003",
    ]);
    expect(await client.labelValues("model_name")).toContain("support-assistant-llm");
  });

  it("keeps gaps as gaps and NaN as NaN over a week of history", async () => {
    const end = Math.floor(Date.now() / 1000 / 3600) * 3600;
    const start = end - 7 * 86400;
    const step = chooseStep(end - start, 200);
    expect(step).toBe(3600);
    const query = latencyQuantileQuery({ namespace: "models", service: "capacity-forecast" }, 0.5, {
      scheme: "knative",
      byRevision: true,
    });
    const series = await client.queryRange({ query, start: start * 1000, end: end * 1000, step });
    const canary = series.find((s) => s.metric.revision_name === "capacity-forecast-predictor-00002")!;
    const aligned = alignToSteps(canary, { start: start * 1000, end: end * 1000, step });
    expect(aligned).toHaveLength(169);
    // Created two days ago: nothing before that, then real latencies, then NaN once rolled back to 0 %.
    expect(aligned.slice(0, 100).every((v) => v === null)).toBe(true);
    expect(aligned.some((v) => v !== null && v > 0)).toBe(true);
    expect(Number.isNaN(aligned.at(-1))).toBe(true);
    const stable = series.find((s) => s.metric.revision_name === "capacity-forecast-predictor-00001")!;
    expect(stable.points.length).toBeGreaterThan(140);
    expect(stable.points.every((p) => p.value > 0.005 && p.value < 2)).toBe(true);
  });

  it("retries a throttled query after Retry-After", async () => {
    const waits: number[] = [];
    const throttled = createPrometheusClient({
      baseUrl: sandbox.url,
      getToken: async () => sandbox.token,
      sleep: async (ms) => void waits.push(ms),
    });
    await sandbox.injectFaults([
      { path: "^/api/v1/query_range$", status: 429, retryAfterSeconds: 1, times: 2 },
    ]);
    try {
      const series = await throttled.queryRange({
        query: "vector(1)",
        start: Date.now() - 60_000,
        end: Date.now(),
        step: 15,
      });
      expect(series[0].points.length).toBeGreaterThanOrEqual(4);
      expect(waits).toEqual([1000, 1000]);
    } finally {
      await sandbox.clearFaults();
    }
  });

  it("shows injected latency and errors on one revision only", { timeout: 60_000 }, async () => {
    const slow = "churn-classifier-predictor-00002";
    const failing = "sim-swap-fraud-predictor-00001";
    const { effectiveFrom } = await admin("PUT", `/__sandbox/traffic/revisions/${slow}`, {
      extraLatencyMs: 3000,
    });
    await admin("PUT", `/__sandbox/traffic/revisions/${failing}`, { errorRate: 0.5 });
    try {
      // Samples land on 15 s boundaries: a 15s window holds two once a whole slot follows the override.
      const ready = Math.ceil(effectiveFrom / 15) * 15 + 15;
      let until = effectiveFrom;
      while (until < ready) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        until = (await admin("POST", "/__sandbox/traffic/advance")).generatedUntil;
      }
      const time = ready * 1000;
      const latency = (service: string) =>
        client.query({
          query: latencyQuantileQuery({ namespace: "models", service }, 0.5, {
            scheme: "knative",
            window: "15s",
          }),
          time,
        });
      // +3 s lands in the 2.5–5 s bucket, and histogram_quantile interpolates inside it, so ask only for
      // "far above healthy" (the other services stay under 0.5 s).
      expect((await latency("churn-classifier"))[0].value).toBeGreaterThan(2);
      expect((await latency("network-anomaly"))[0].value).toBeLessThan(0.5);
      const share = await client.query({
        query: errorShareQuery(
          { namespace: "models", service: "sim-swap-fraud" },
          { scheme: "knative", window: "15s" },
        )!,
        time,
      });
      expect(share[0].value).toBeGreaterThan(0.25);
    } finally {
      await admin("DELETE", `/__sandbox/traffic/revisions/${slow}`);
      await admin("DELETE", `/__sandbox/traffic/revisions/${failing}`);
    }
  });
});

describe("payload logging from the sandbox", () => {
  let ingest: Server;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    ingest = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => ingest.listen(0, "127.0.0.1", resolve));
    const { port } = ingest.address() as AddressInfo;
    sandbox = await startSandbox({
      speed: 50,
      ingestUrl: `http://127.0.0.1:${port}/api/ingest/kserve`,
      ingestSecret: "ingest-secret-for-tests",
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    await new Promise((resolve) => ingest?.close(resolve));
  });

  it(
    "posts request and response CloudEvents sharing an id, with the ingest secret",
    { timeout: 30_000 },
    async () => {
      const deadline = Date.now() + 20_000;
      const pairs = () => {
        const byId = new Map<string, Set<string>>();
        for (const event of received)
          byId.set(
            String(event.headers["ce-id"]),
            (byId.get(String(event.headers["ce-id"])) ?? new Set()).add(String(event.headers["ce-type"])),
          );
        return [...byId.values()].filter((types) => types.size === 2).length;
      };
      while (pairs() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(pairs()).toBeGreaterThanOrEqual(2);
      const request = received.find(
        (e) => e.headers["ce-type"] === "org.kubeflow.serving.inference.request",
      )!;
      expect(request.headers).toMatchObject({
        authorization: "Bearer ingest-secret-for-tests",
        "ce-specversion": "1.0",
        "ce-namespace": "models",
        "content-type": "application/json",
        "ce-source": expect.any(String),
      });
      expect(["default", "canary"]).toContain(request.headers["ce-endpoint"]);
      const body = JSON.parse(request.body);
      expect(Array.isArray(body.instances)).toBe(true);
      if (request.headers["ce-inferenceservicename"] === "network-anomaly")
        expect(body.instances[0]).toHaveProperty("packet_loss_pct");
      const response = received.find(
        (e) =>
          e.headers["ce-type"] === "org.kubeflow.serving.inference.response" &&
          e.headers["ce-id"] === request.headers["ce-id"],
      );
      if (response) expect(JSON.parse(response.body).predictions).toHaveLength(body.instances.length);
    },
  );

  it("shifts a drifted feature in the logged requests", { timeout: 40_000 }, async () => {
    const revision = "network-anomaly-predictor-00002";
    const headers = { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" };
    await fetch(`${sandbox.url}/__sandbox/traffic/revisions/${revision}`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ drift: { latency_ms: 6 } }),
    });
    const since = received.length;
    const deadline = Date.now() + 30_000;
    const drifted = () =>
      received
        .slice(since)
        .filter(
          (e) =>
            e.headers["ce-inferenceservicename"] === "network-anomaly" &&
            e.headers["ce-endpoint"] === "default" &&
            e.headers["ce-type"] === "org.kubeflow.serving.inference.request",
        )
        .flatMap((e) => JSON.parse(e.body).instances.map((i: { latency_ms: number }) => i.latency_ms));
    while (drifted().length < 5 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    const values = drifted();
    expect(values.length).toBeGreaterThanOrEqual(5);
    // Baseline mean 28 ms, std 9: six standard deviations up is about 82 ms.
    expect(values.reduce((a: number, b: number) => a + b, 0) / values.length).toBeGreaterThan(60);
  });
});

describe.skipIf(!realUrl)("Prometheus client against a real Prometheus", () => {
  const token = process.env.PROMETHEUS_CONTRACT_TOKEN;
  const client = () =>
    createPrometheusClient({ baseUrl: realUrl!, getToken: token ? async () => token : undefined });
  contractSuite(() => ({ client: client(), url: realUrl!, token }));

  // CI's Prometheus scrapes a sandbox (.ci/run); a cluster's scrapes Knative's queue-proxies: the same names either way.
  it(
    "holds the serving metrics under the queue-proxy's and the model server's names and labels",
    { timeout: 90_000 },
    async () => {
      const deadline = Date.now() + 80_000;
      let samples = await client().query({ query: "revision_app_request_count" });
      while (samples.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        samples = await client().query({ query: "revision_app_request_count" });
      }
      expect(samples.length).toBeGreaterThan(0);
      for (const name of ["namespace_name", "configuration_name", "revision_name", "response_code_class"])
        expect(samples[0].metric).toHaveProperty(name);
      const revisions = await client().labelValues("revision_name", {
        match: ["revision_app_request_latencies_bucket"],
      });
      expect(revisions).toContain(samples[0].metric.revision_name);
      const buckets = await client().labelValues("le", { match: ["revision_app_request_latencies_bucket"] });
      expect(buckets).toEqual(expect.arrayContaining(["5", "100", "+Inf"]));
      expect(
        await client().labelValues("model_name", { match: ["request_predict_seconds_bucket"] }),
      ).not.toHaveLength(0);
    },
  );
});
