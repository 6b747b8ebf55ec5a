import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pino from "pino";
import { createTtlCache } from "@/lib/cache/ttl-cache";
import { chartPoints, type MlflowClient, type Run } from "@/lib/clients/mlflow";
import { createCloudClients } from "@/lib/cloud";
import { parseConfig } from "@/lib/config";
import {
  readRunComparison,
  readRunMetricCharts,
  recordExperimentViews,
  requestMetricSyncs,
  searchRunSummaries,
} from "@/lib/services/metrics/metric-series";
import { compareQuery } from "@/lib/validation/experiments";
import { createPrismaClient } from "@/lib/db/client";
import { createJobProducer } from "@/lib/queue/producer";
import { createTestDatabase } from "@/lib/testing/database";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { startWorkers } from "@/workers/manager";
import { handlers, type WorkerDeps } from "@/workers/registry";
import { countingClient, startMlflow } from "./mlflow-server";
import { treeCpuSeconds } from "./process-cpu";
import { ensureScaleData } from "./scale-data";

/**
 * Cold comparison of runs Switchboard has never seen, against a REAL MLflow 2.22 server:
 *   npx tsx bench/compare-cold.bench.ts
 * Starts its own server (../shared/mlflow-server/start.sh on BENCH_MLFLOW_PORT, data kept in
 * BENCH_MLFLOW_DIR so the runs are logged once) unless BENCH_MLFLOW_URL points at one. Logs 50 finished
 * runs × 10 metrics × 2,000 steps through runs/log-batch, and one run with a 150,000-point metric.
 * Then, in one run: MLflow's own UI path (runs/search + get-history-bulk-interval at 320 points per
 * metric, BENCH_UI_CONCURRENCY requests at a time), and Switchboard's cold path (summary from runs/search,
 * charts as the real worker's sampled first copies land, the whole histories after), on a fresh
 * database, counting every MLflow call and byte; then MLflow's path again, so the ratios are to the mean
 * of a run before and one after. The worker runs MLFLOW_SYNC_CONCURRENCY jobs at once (its default
 * unless set). Last, the run page on the 150,000-point metric, against MLflow's own read for its chart.
 * The last line says which of decision 010's targets are met.
 */

const shape = {
  runs: Number(process.env.BENCH_COLD_RUNS ?? 50),
  metrics: Number(process.env.BENCH_COLD_METRICS ?? 10),
  steps: Number(process.env.BENCH_COLD_STEPS ?? 2000),
};
const longSteps = Number(process.env.BENCH_LONG_STEPS ?? 150_000);
/** The worker's mlflow queue concurrency: MLFLOW_SYNC_CONCURRENCY, the worker's default unless set. */
const mlflowConcurrency = parseConfig({
  SWITCHBOARD_MODE: "sandbox",
  MLFLOW_SYNC_CONCURRENCY: process.env.MLFLOW_SYNC_CONCURRENCY,
}).MLFLOW_SYNC_CONCURRENCY;
/** Bulk-interval requests in flight on MLflow's UI path (a browser allows 6; gunicorn's 4 sync workers time out at 120 s under load). */
const uiConcurrency = Number(process.env.BENCH_UI_CONCURRENCY ?? 2);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function limited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** MLflow's own UI: one runs/search, then one bulk-interval request per chart. */
async function mlflowUiPath(mlflow: MlflowClient, experimentId: string, runIds: string[], keys: string[]) {
  const started = performance.now();
  await mlflow.searchRuns({ experimentIds: [experimentId], maxResults: 100 });
  const summaryMs = performance.now() - started;
  let firstChartMs = 0;
  await limited(keys, uiConcurrency, async (key) => {
    await mlflow.getMetricHistoryBulkInterval({ runIds, metricKey: key, maxResults: chartPoints });
    firstChartMs ||= performance.now() - started;
  });
  return { summaryMs, firstChartMs, allMs: performance.now() - started };
}

async function main() {
  const server = startMlflow();
  const probe = countingClient(server.url);
  const data = await ensureScaleData(
    probe.client,
    `/Shared/scale-${shape.runs}x${shape.metrics}x${shape.steps}`,
    shape,
  );
  const long = await ensureScaleData(
    probe.client,
    `/Shared/scale-1x1x${longSteps}`,
    { runs: 1, metrics: 1, steps: longSteps },
    1,
  );
  console.log(
    `MLflow ${server.url}: ${shape.runs} runs × ${shape.metrics} metrics × ${shape.steps} steps (${data.loggedRuns ? `logged ${data.loggedRuns} runs via log-batch in ${data.loadSeconds.toFixed(0)} s` : "already there"}); 1 × ${longSteps} (${long.loggedRuns ? `logged in ${long.loadSeconds.toFixed(0)} s` : "already there"})`,
  );
  const keys = Object.keys((await probe.client.getRun(data.runIds[0])).metrics).sort();

  // The server's own CPU (its gunicorn workers), what every cold path spends whoever asks.
  const serverCpu = () => (server.pid ? treeCpuSeconds(server.pid) : NaN);

  // ---- MLflow's own UI path, before and after Switchboard's (the ratios are to their mean) ----
  const measureUiPath = async () => {
    probe.reset();
    const cpuBefore = serverCpu();
    const timing = await mlflowUiPath(probe.client, data.experimentId, data.runIds, keys);
    return {
      ...timing,
      serverCpu: serverCpu() - cpuBefore,
      calls: probe.total(),
      bytes: probe.counters.bytes,
    };
  };
  const uiRuns = [await measureUiPath()];

  // ---- Switchboard, cold: fresh database, real worker ----
  const database = await createTestDatabase("bench_cold");
  const prefix = `bench-cold-${randomBytes(4).toString("hex")}`;
  const config = parseConfig({
    SWITCHBOARD_MODE: "sandbox",
    DATABASE_URL: database.url,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "warn",
  });
  const db = createPrismaClient(database.url);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const producer = createJobProducer(redis, prefix);
  const worker = countingClient(server.url);
  const web = countingClient(server.url);
  const deps: WorkerDeps = {
    config,
    db,
    redis,
    producer,
    clients: { ...createCloudClients(config), mlflow: worker.client },
    log: pino({ level: "warn" }),
  };
  const workerConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const workers = startWorkers({
    connection: workerConnection,
    prefix,
    handlers,
    deps,
    log: deps.log,
    queues: ["mlflow"],
    concurrency: { mlflow: mlflowConcurrency },
  });
  const cpuBefore = process.cpuUsage();

  const query = compareQuery.parse({ runs: data.runIds.join(","), metrics: keys.join(",") });
  const summarize = (ids: string[], known: string[]) => searchRunSummaries(web.client, ids, known);
  // A bare link: the experiment is learnt by runs/get first. From the experiment's page (its view
  // recorded), one runs/search finds the runs; the charts are timed from that second visit.
  const linkStarted = performance.now();
  await readRunComparison(db, query, { summarize });
  const linkSummaryMs = performance.now() - linkStarted;
  const linkCalls = web.total();
  web.reset();
  await recordExperimentViews(db, [data.experimentId]);
  const coldCpuBefore = serverCpu();
  const started = performance.now();
  const first = await readRunComparison(db, query, { summarize });
  const summaryMs = performance.now() - started;
  const summaryCalls = web.total();
  await requestMetricSyncs(producer, first.pending, { sampledFirst: true });
  let firstChartMs = 0;
  let allChartsMs = 0;
  let bytesAtAllCharts = 0;
  let callsAtAllCharts = 0;
  let serverCpuAtAllCharts = 0;
  // As the page polls: summaries of runs not copied yet are shared for 10 s (lib/dal/experiments.ts).
  const summaries = createTtlCache<Run[]>({ ttlMs: 10_000 });
  const sharedSummarize = (ids: string[], known: string[]) =>
    summaries.getOrLoad(ids.join(","), () => summarize(ids, known));
  for (;;) {
    const comparison = await readRunComparison(db, query, { summarize: sharedSummarize });
    const charted = shape.runs - comparison.pending.length;
    if (charted > 0) firstChartMs ||= performance.now() - started;
    if (!comparison.pending.length && !allChartsMs) {
      allChartsMs = performance.now() - started;
      bytesAtAllCharts = worker.counters.bytes + web.counters.bytes;
      callsAtAllCharts = worker.total() + web.total();
      serverCpuAtAllCharts = serverCpu() - coldCpuBefore;
    }
    if (!comparison.pending.length && comparison.runs.every((r) => r.isComplete)) break;
    await sleep(250);
  }
  const completeMs = performance.now() - started;
  const serverCpuComplete = serverCpu() - coldCpuBefore;
  const workerCpu = process.cpuUsage(cpuBefore);
  const coldCalls = Object.fromEntries(worker.counters.calls);
  const coldBytes = worker.counters.bytes + web.counters.bytes;

  uiRuns.push(await measureUiPath());
  const mean = (pick: (run: (typeof uiRuns)[number]) => number) => (pick(uiRuns[0]) + pick(uiRuns[1])) / 2;
  const ui = {
    summaryMs: mean((r) => r.summaryMs),
    firstChartMs: mean((r) => r.firstChartMs),
    allMs: mean((r) => r.allMs),
  };
  const [uiServerCpu, uiCalls, uiBytes] = [mean((r) => r.serverCpu), uiRuns[0].calls, mean((r) => r.bytes)];

  // ---- run page, 150,000-point metric ----
  const longRun = long.runIds[0];
  // What MLflow's own run page reads for the chart: one bulk-interval request at 320 points.
  const longUiStarted = performance.now();
  await probe.client.getMetricHistoryBulkInterval({
    runIds: [longRun],
    metricKey: Object.keys((await probe.client.getRun(longRun)).metrics)[0],
    maxResults: chartPoints,
  });
  const longUiMs = performance.now() - longUiStarted;
  worker.reset();
  const pageStarted = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  let charts = await readRunMetricCharts(db, longRun, (k) => k);
  await requestMetricSyncs(producer, [longRun], { sampledFirst: true });
  while (charts.isCopying) {
    await sleep(250);
    charts = await readRunMetricCharts(db, longRun, (k) => k);
  }
  const longFirstMs = performance.now() - pageStarted;
  const warmTimes: number[] = [];
  let body = "";
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    body = JSON.stringify(await readRunMetricCharts(db, longRun, (k) => k));
    warmTimes.push(performance.now() - t);
  }
  warmTimes.sort((a, b) => a - b);
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;

  await workers.close();
  workerConnection.disconnect();
  // Decision 010's targets for a cold comparison, each against MLflow's own path in this run.
  const targets = [
    ["summary < 1 s", summaryMs / 1000, 1],
    ["first chart ≤ 0.5× MLflow's", firstChartMs / ui.firstChartMs, 0.5],
    ["all charts ≤ 1.2× MLflow's", allChartsMs / ui.allMs, 1.2],
    ["MLflow server CPU ≤ 1.1× MLflow's path", serverCpuAtAllCharts / uiServerCpu, 1.1],
    ["bytes ≤ 1.5× MLflow's", bytesAtAllCharts / uiBytes, 1.5],
    ["run page first chart ≤ 1.2× MLflow's own read", longFirstMs / longUiMs, 1.2],
  ] as const;
  const lines = [
    `MLflow UI path (runs/search + ${keys.length} bulk-interval × ${data.runIds.length} runs at ${chartPoints} points, ${uiConcurrency} at a time): summary ${s(ui.summaryMs)}, first chart ${s(ui.firstChartMs)}, all charts ${s(ui.allMs)}, ${uiCalls} calls, ${mb(uiBytes)}, MLflow server CPU ${uiServerCpu.toFixed(1)} s (mean of the runs before and after Switchboard's: all charts ${uiRuns.map((r) => s(r.allMs)).join(", ")}; CPU ${uiRuns.map((r) => r.serverCpu.toFixed(1)).join(", ")} s)`,
    `Switchboard summary: from the experiment's page ${s(summaryMs)} (${summaryCalls} call), from a bare link ${s(linkSummaryMs)} (${linkCalls} calls)`,
    `Switchboard cold (worker mlflow concurrency ${mlflowConcurrency}): summary ${s(summaryMs)}, first chart ${s(firstChartMs)}, all charts ${s(allChartsMs)} (${(allChartsMs / ui.allMs).toFixed(2)}× MLflow's), ${callsAtAllCharts} calls, ${mb(bytesAtAllCharts)} (${(bytesAtAllCharts / uiBytes).toFixed(2)}× MLflow's bytes), MLflow server CPU ${serverCpuAtAllCharts.toFixed(1)} s (${(serverCpuAtAllCharts / uiServerCpu).toFixed(2)}× MLflow's path)`,
    `  then exact copies (whole histories, background priority) complete at ${s(completeMs)} (MLflow server CPU ${serverCpuComplete.toFixed(1)} s in all); worker calls ${JSON.stringify(coldCalls)}, ${mb(coldBytes)} read from MLflow in all; bench process CPU ${s((workerCpu.user + workerCpu.system) / 1000)}`,
    `run page, 1 metric × ${longSteps} points, never copied: first chart after ${s(longFirstMs)} (the worker's bounded sample; MLflow reads every step server-side; its own run page's read took ${s(longUiMs)}), ${JSON.stringify(Object.fromEntries(worker.counters.calls))}`,
    `run page from the copy: p50 ${warmTimes[10].toFixed(1)} ms, max ${warmTimes.at(-1)!.toFixed(1)} ms, ${(body.length / 1024).toFixed(1)} kB JSON, ${charts.series[0]?.points.length} points; heap change while serving it ${mb(heapDelta)}`,
    `targets (decision 010): ${targets.map(([name, value, bound]) => `${name}: ${value.toFixed(2)} ${value <= bound ? "met" : "MISSED"}`).join("; ")}`,
  ];
  console.log(lines.join("\n"));
  await producer.close();
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  await db.$disconnect();
  await database.drop();
  server.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
