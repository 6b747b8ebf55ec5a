import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKServeClient } from "@/lib/clients/kserve";
import {
  createPrometheusClient,
  errorShareQuery,
  fleetQueueSizeQuery,
  fleetTtftP95Query,
  latencyQuantileQuery,
  llmQuerySets,
  type InstantSample,
  type MetricScheme,
  type PrometheusClient,
  type RangeSeries,
} from "@/lib/clients/prometheus";
import { alertingWindow } from "@/lib/services/alerts/evaluate-alerts";
import { fleetQuery, fleetRequestCountQuery } from "@/lib/domain/monitoring/fleet-metrics";
import { loadFleetSnapshot } from "@/lib/services/monitoring/fleet-snapshot";
import { loadLlmCharts } from "@/lib/services/monitoring/llm-charts";
import { loadServiceCharts } from "@/lib/services/monitoring/service-charts";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { findPrometheus, startPrometheus, type RunningPrometheus } from "./real-prometheus";

/**
 * The sandbox's PromQL evaluator against a real Prometheus (2.42 in CI) scraping the same sandbox's
 * /metrics: every query the product issues (the monitoring overview, the service charts, the alert
 * rules, the promotion evidence), run through the product's own code against Prometheus, then the
 * same requests to the sandbox. Both must return the same series with the same labels, the same
 * steps (gaps included), and values within 1e-9 relative (float summation order is all that differs).
 * The sandbox starts without history so Prometheus holds every sample it has.
 */

const binary = findPrometheus();
if (!binary)
  console.info(
    "[prometheus differential] no prometheus binary on PATH (apt-get install prometheus): skipped.",
  );
if (!binary && process.env.CI)
  throw new Error("CI must run the Prometheus differential tests: install Debian's prometheus package");

const relativeTolerance = 1e-9;
/** Labels the scrape adds to every series (the sandbox's own API has no scrape targets). */
const targetLabels = new Set(["job", "instance"]);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const labelKey = (metric: Record<string, string>) =>
  JSON.stringify(
    Object.entries(metric)
      .filter(([name]) => !targetLabels.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

const sameValue = (a: number, b: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) ||
  a === b ||
  Math.abs(a - b) <= relativeTolerance * Math.max(Math.abs(a), Math.abs(b));

/** Differences between two answers, as readable lines (none when they agree). */
function compareRange(real: RangeSeries[], sandbox: RangeSeries[]): string[] {
  const problems: string[] = [];
  const sandboxByKey = new Map(sandbox.map((s) => [labelKey(s.metric), s]));
  const realKeys = new Set(real.map((s) => labelKey(s.metric)));
  for (const key of sandboxByKey.keys()) if (!realKeys.has(key)) problems.push(`only the sandbox has ${key}`);
  for (const series of real) {
    const key = labelKey(series.metric);
    const other = sandboxByKey.get(key);
    if (!other) {
      problems.push(`only Prometheus has ${key}`);
      continue;
    }
    const theirs = new Map(other.points.map((p) => [p.t, p.value]));
    const ours = new Map(series.points.map((p) => [p.t, p.value]));
    for (const [t, value] of ours) {
      if (!theirs.has(t)) problems.push(`${key} at ${t / 1000}: Prometheus ${value}, the sandbox has a gap`);
      else if (!sameValue(value, theirs.get(t)!))
        problems.push(`${key} at ${t / 1000}: Prometheus ${value}, the sandbox ${theirs.get(t)}`);
    }
    for (const t of theirs.keys())
      if (!ours.has(t))
        problems.push(`${key} at ${t / 1000}: the sandbox ${theirs.get(t)}, Prometheus has a gap`);
  }
  return problems;
}

const asRange = (samples: InstantSample[]): RangeSeries[] =>
  samples.map((s) => ({ metric: s.metric, points: [{ t: s.t, value: s.value }] }));

type Call =
  | { kind: "range"; args: Parameters<PrometheusClient["queryRange"]>[0] }
  | { kind: "instant"; args: Parameters<PrometheusClient["query"]>[0] };

/** A client for the product code that sends each request to the real Prometheus and records it; unpinned instant queries get `at`. */
function recording(client: PrometheusClient, at: number) {
  const calls: Call[] = [];
  return {
    calls,
    client: {
      queryRange: (args: Parameters<PrometheusClient["queryRange"]>[0]) => (
        calls.push({ kind: "range", args }),
        client.queryRange(args)
      ),
      query: (args: Parameters<PrometheusClient["query"]>[0]) => {
        const pinned = { ...args, time: args.time ?? at };
        calls.push({ kind: "instant", args: pinned });
        return client.query(pinned);
      },
    },
  };
}

describe.skipIf(!binary)("the sandbox's PromQL against a real Prometheus scraping it", () => {
  let sandbox: RunningSandbox;
  let prometheus: RunningPrometheus;
  let real: PrometheusClient;
  let emulated: PrometheusClient;
  /** The latest sample time (ms) Prometheus holds: every comparison is at or before it. */
  let now: number;

  beforeAll(async () => {
    process.env.SANDBOX_TRAFFIC_BACKFILL_DAYS = "0";
    // Prometheus first, so it scrapes the sandbox's very first sample. Samples land on 15 s boundaries
    // whatever the interval: 5 s gives each boundary three tries of 5 s on a busy machine.
    const sandboxPort = await freePort();
    prometheus = await startPrometheus({
      binary: binary!,
      port: await freePort(),
      target: `127.0.0.1:${sandboxPort}`,
      scrapeInterval: "5s",
    });
    sandbox = await startSandbox({ speed: 50, port: sandboxPort });
    real = createPrometheusClient({ baseUrl: prometheus.url });
    emulated = createPrometheusClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    // Wait (bounded) for five 15 s samples per series: a full 1 minute window.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [collected] = await real.query({
        query: "max(count_over_time(revision_app_request_count[10m]))",
      });
      if (collected && collected.value >= 5) break;
      if (Date.now() > deadline)
        throw new Error(
          `Prometheus did not collect a minute of samples from the sandbox in time (${collected?.value ?? 0} per series)`,
        );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const [latest] = await real.query({ query: "max(timestamp(revision_app_request_count))" });
    now = latest.value * 1000;
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await sandbox?.close();
    delete process.env.SANDBOX_TRAFFIC_BACKFILL_DAYS;
  });

  /** Replays every recorded request against the sandbox and compares the answers. */
  async function replay(calls: Call[]) {
    expect(calls.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let points = 0;
    for (const call of calls) {
      const [ours, theirs] =
        call.kind === "range"
          ? await Promise.all([real.queryRange(call.args), emulated.queryRange(call.args)])
          : await Promise.all([real.query(call.args).then(asRange), emulated.query(call.args).then(asRange)]);
      points += ours.reduce((sum, s) => sum + s.points.length, 0);
      problems.push(...compareRange(ours, theirs).map((p) => `${call.args.query}\n    ${p}`));
    }
    expect(problems.slice(0, 20)).toEqual([]);
    return points;
  }

  const schemes: MetricScheme[] = ["knative", "kserve"];

  it.each(schemes)("answers the monitoring overview's queries alike (%s metrics)", async (scheme) => {
    const recorder = recording(real, now);
    const kserve = createKServeClient({
      apiUrl: sandbox.url,
      getToken: async () => sandbox.token,
      namespace: "models",
    });
    const snapshot = await loadFleetSnapshot({
      kserve,
      prometheus: recorder.client,
      scheme,
      namespace: "models",
      now,
    });
    expect(snapshot.errors).toEqual({ kserve: null, prometheus: null });
    expect(snapshot.services.some((s) => s.metrics.requestRate !== null)).toBe(true);
    expect(await replay(recorder.calls)).toBeGreaterThan(0);
  });

  it.each(schemes)("answers every service chart's queries alike (%s metrics)", async (scheme) => {
    const recorder = recording(real, now);
    const services = await createKServeClient({
      apiUrl: sandbox.url,
      getToken: async () => sandbox.token,
      namespace: "models",
    }).list({ namespace: "models" });
    for (const service of services)
      await loadServiceCharts(recorder.client, {
        namespace: "models",
        service: service.metadata.name,
        scheme,
        range: "1h",
        now,
      });
    expect(await replay(recorder.calls)).toBeGreaterThan(0);
  });

  it.each(schemes)(
    "answers the alert rules' and the promotion evidence's instant queries alike (%s metrics)",
    async (scheme) => {
      const recorder = recording(real, now);
      const queries = [
        fleetQuery("p95", { namespace: "models", scheme, window: "1d" }),
        fleetQuery("p95", { namespace: "models", scheme, window: alertingWindow, byRevision: true }),
        fleetQuery("errorShare", { namespace: "models", scheme, window: alertingWindow, byRevision: true }),
        fleetRequestCountQuery({ namespace: "models", scheme, minutes: 1 }),
        fleetRequestCountQuery({ namespace: "models", scheme, minutes: 5 }),
        latencyQuantileQuery({ namespace: "models", service: "churn-classifier" }, 0.95, { scheme }),
        errorShareQuery({ namespace: "models", service: "churn-classifier" }, { scheme }),
      ];
      for (const query of queries) if (query) await recorder.client.query({ query });
      // Alerts run at any instant, not only on a slot boundary: between samples too.
      for (const offset of [-7_500, -1_000, -14_999])
        for (const query of queries.slice(1, 4))
          if (query) await recorder.client.query({ query, time: now + offset });
      expect(await replay(recorder.calls)).toBeGreaterThan(0);
    },
  );

  it("answers the LLM service's charts and alert queries alike (vLLM and DCGM series, gauges included)", async () => {
    const recorder = recording(real, now);
    const charts = await loadLlmCharts(recorder.client, {
      namespace: "models",
      service: "support-assistant-llm",
      range: "1h",
      now,
    });
    expect(charts.ttftMs!.length).toBeGreaterThan(0);
    expect(charts.queueSize.length).toBe(1);
    expect(charts.gpuUtilisation.length).toBe(1);
    for (const query of [fleetTtftP95Query("models", alertingWindow), fleetQueueSizeQuery("models")]) {
      await recorder.client.query({ query });
      for (const offset of [-7_500, -14_999]) await recorder.client.query({ query, time: now + offset });
    }
    expect(await replay(recorder.calls)).toBeGreaterThan(0);
  });

  it("answers a TGI-served LLM's charts and queue alert alike (TGI's router series, no labels of their own)", async () => {
    const recorder = recording(real, now);
    const service = "ticket-summariser-llm";
    const charts = await loadLlmCharts(recorder.client, {
      namespace: "models",
      service,
      range: "1h",
      runtime: "tgi",
      now,
    });
    expect(charts.ttftMs).toBeNull();
    expect(charts.queueWaitMs!.length).toBe(2);
    expect(charts.queueSize.length).toBe(1);
    expect(charts.tokensPerSecond.length).toBe(1);
    // The same panels split by revision, as during a canary.
    await loadLlmCharts(recorder.client, {
      namespace: "models",
      service,
      range: "1h",
      runtime: "tgi",
      now,
      serving: [
        { revisionName: `${service}-predictor-00001`, percent: 90, endpoint: "default" },
        { revisionName: `${service}-predictor-00002`, percent: 10, endpoint: "canary" },
      ],
    });
    const query = llmQuerySets.tgi.queueSize({ namespace: "models", service });
    await recorder.client.query({ query });
    for (const offset of [-7_500, -14_999]) await recorder.client.query({ query, time: now + offset });
    expect(await replay(recorder.calls)).toBeGreaterThan(0);
  });

  it("publishes monotonic counters that the sandbox's API reads back unchanged", async () => {
    const query = 'revision_app_request_count{namespace_name="models", response_code_class="2xx"}';
    const recorder = recording(real, now);
    await recorder.client.query({ query });
    await recorder.client.queryRange({ query, start: now - 120_000, end: now, step: 15 });
    await recorder.client.queryRange({
      query: "sum by (revision_name) (increase(revision_app_request_count[45s]))",
      start: now - 120_000,
      end: now,
      step: 5,
    });
    expect(await replay(recorder.calls)).toBeGreaterThan(0);
    const [resets] = await real.query({ query: "sum(resets(revision_app_request_count[10m]))", time: now });
    expect(resets.value).toBe(0);
  });
});
