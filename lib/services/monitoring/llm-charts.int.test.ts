import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPrometheusClient,
  fleetQueueSizeQuery,
  fleetTtftP95Query,
  llmQuerySets,
  type PrometheusClient,
} from "@/lib/clients/prometheus";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { loadLlmCharts } from "./llm-charts";

/**
 * The LLM queries against the sandbox's vLLM, TGI and DCGM series: the LLM service has every panel with
 * values in a plausible range, a classic model has none (no data, not zero), and a backed-up queue
 * shows in the queue size and the time to first token the alert rules read.
 */

const llm = "support-assistant-llm";
const llmRevision = `${llm}-predictor-00001`;
const tgi = "ticket-summariser-llm";
const tgiRevision = `${tgi}-predictor-00001`;

describe("LLM serving charts and alert queries", () => {
  let sandbox: RunningSandbox;
  let prometheus: PrometheusClient;

  beforeAll(async () => {
    process.env.SANDBOX_TRAFFIC_BACKFILL_DAYS = "1";
    sandbox = await startSandbox();
    prometheus = createPrometheusClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    delete process.env.SANDBOX_TRAFFIC_BACKFILL_DAYS;
  });

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const lastOf = (points: Array<{ y: number | null }>) =>
    points.filter((p) => p.y !== null).at(-1)?.y ?? null;

  it("draws every panel for the LLM service, with values in range", async () => {
    const charts = await loadLlmCharts(prometheus, { namespace: "models", service: llm, range: "6h" });
    expect(charts.runtime).toBe("vllm");
    expect(charts.queueWaitMs).toBeNull();
    expect(charts.ttftMs!.map((l) => l.label)).toEqual(["p50", "p95"]);
    const [p50, p95] = charts.ttftMs!.map((l) => lastOf(l.points)!);
    expect(p50).toBeGreaterThan(20);
    expect(p95).toBeGreaterThan(p50);
    expect(p95).toBeLessThan(2_000);
    expect(lastOf(charts.tpotMs[0].points)).toBeGreaterThan(10);
    expect(lastOf(charts.tokensPerSecond[0].points)).toBeGreaterThan(50);
    expect(lastOf(charts.queueSize[0].points)).toBe(0);
    expect(lastOf(charts.batchSize[0].points)).toBeGreaterThan(0);
    expect(lastOf(charts.promptTokens[1].points)).toBeGreaterThan(lastOf(charts.promptTokens[0].points)!);
    expect(lastOf(charts.gpuUtilisation[0].points)).toBeGreaterThan(0);
    expect(lastOf(charts.gpuMemoryGiB[0].points)).toBeCloseTo((81_920 * 0.9 + 486) / 1024, 3);
  });

  it("has no LLM series for a classic model: empty panels, not zeros", async () => {
    const charts = await loadLlmCharts(prometheus, {
      namespace: "models",
      service: "churn-classifier",
      range: "1h",
    });
    expect([charts.ttftMs, charts.tokensPerSecond, charts.queueSize, charts.gpuUtilisation].flat()).toEqual(
      [],
    );
  });

  it("reads a TGI-served LLM by TGI's names: no TTFT or KV cache, its queue wait instead", async () => {
    const charts = await loadLlmCharts(prometheus, {
      namespace: "models",
      service: tgi,
      range: "6h",
      runtime: "tgi",
    });
    expect(charts.ttftMs).toBeNull();
    expect(charts.kvCacheUsage).toBeNull();
    expect(charts.queueWaitMs!.map((l) => l.label)).toEqual(["p50", "p95"]);
    const [wait50, wait95] = charts.queueWaitMs!.map((l) => lastOf(l.points)!);
    expect(wait50).toBeGreaterThan(0);
    expect(wait95).toBeGreaterThan(wait50);
    expect(wait95).toBeLessThan(100);
    expect(lastOf(charts.tpotMs[0].points)).toBeGreaterThan(10);
    expect(lastOf(charts.tokensPerSecond[0].points)).toBeGreaterThan(20);
    expect(lastOf(charts.queueSize[0].points)).toBe(0);
    expect(lastOf(charts.batchSize[0].points)).toBeGreaterThan(0);
    expect(lastOf(charts.generatedTokens[1].points)).toBeGreaterThan(
      lastOf(charts.generatedTokens[0].points)!,
    );
    expect(lastOf(charts.gpuUtilisation[0].points)).toBeGreaterThan(0);
    // vLLM's query set finds nothing there: the names really differ.
    const asVllm = await loadLlmCharts(prometheus, { namespace: "models", service: tgi, range: "1h" });
    expect([asVllm.ttftMs, asVllm.tokensPerSecond, asVllm.queueSize].flat()).toEqual([]);
  });

  it("draws one line per revision during a canary, named like the latency chart's", async () => {
    const charts = await loadLlmCharts(prometheus, {
      namespace: "models",
      service: llm,
      range: "1h",
      // The seeded LLM has one revision; a second, unserved one gets a named but empty line set.
      serving: [
        { revisionName: llmRevision, percent: 90, endpoint: "default", version: "1" },
        { revisionName: `${llm}-predictor-00009`, percent: 10, endpoint: "canary", version: "2" },
      ],
    });
    expect(charts.revisions).toHaveLength(2);
    expect(charts.ttftMs!.map((l) => l.label)).toEqual([
      `p50 ${llmRevision} (v1, 90 %)`,
      `p95 ${llmRevision} (v1, 90 %)`,
    ]);
    expect(charts.queueSize.map((l) => l.label)).toEqual([`${llmRevision} (v1, 90 %)`]);
  });

  it("shows a backed-up queue in the queue size and the p95 time to first token", async () => {
    const response = await admin("PUT", `/__sandbox/traffic/revisions/${llmRevision}`, { queueBacklog: 80 });
    expect(response.status).toBe(200);
    expect(
      (await admin("PUT", `/__sandbox/traffic/revisions/${tgiRevision}`, { queueBacklog: 80 })).status,
    ).toBe(200);
    const { effectiveFrom } = (await response.json()) as { effectiveFrom: number };
    // Speed 50: one 15 s slot a second; wait for two slots after the override.
    for (let i = 0; i < 40; i++) {
      const { generatedUntil } = (await (await admin("POST", "/__sandbox/traffic/advance")).json()) as {
        generatedUntil: number;
      };
      if (generatedUntil >= effectiveFrom + 75) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const [queue] = await prometheus
      .query({ query: fleetQueueSizeQuery("models") })
      .then((s) => s.filter((x) => x.metric.model_name === llm));
    expect(queue.value).toBeGreaterThan(40);
    const [ttft] = await prometheus
      .query({ query: fleetTtftP95Query("models", "1m") })
      .then((s) => s.filter((x) => x.metric.model_name === llm));
    expect(ttft.value).toBeGreaterThan(5);
    const tgiQueue = await prometheus.query({
      query: llmQuerySets.tgi.queueSize({ namespace: "models", service: tgi }),
    });
    expect(tgiQueue[0].value).toBeGreaterThan(40);
    const refused = await admin("PUT", `/__sandbox/traffic/revisions/${llmRevision}`, { queueBacklog: -1 });
    expect(refused.status).toBe(400);
    await admin("DELETE", `/__sandbox/traffic/revisions/${llmRevision}`);
    await admin("DELETE", `/__sandbox/traffic/revisions/${tgiRevision}`);
  });
});
