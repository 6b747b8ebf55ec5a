import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { createPrismaClient } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { readRunComparison } from "@/lib/services/metrics/metric-series";
import { ensureDatabase } from "@/sandbox/lib/context";
import { buildSandbox } from "@/sandbox/server";
import { syncRunMetrics } from "@/workers/handlers/metric-sync";

/**
 * Run comparison: 100 runs × 20 metrics × 10,000 steps.
 *   npx tsx bench/compare.bench.ts
 * Setup (once; kept in two databases so later runs skip it): the runs are created in a sandbox MLflow
 * through its API, their points written straight into its metrics table (log-batch is too slow for
 * 20 million points here), then copied into Switchboard's cache by the real sync handler. Then it measures: the compare read (cache → JSON, warm p50/p95, bytes raw and gzip),
 * fetching the same from MLflow directly (full get-history, and get-history-bulk-interval at 320
 * points), and the fill cost of one finished run (time, MLflow calls by endpoint).
 * BENCH_COMPARE_RUNS / _METRICS / _STEPS shrink it; BENCH_DIRECT_RUNS / BENCH_BULK_METRICS set how
 * much of the direct MLflow fetch is timed (the rest is extrapolated linearly and marked so).
 */

const runsCount = Number(process.env.BENCH_COMPARE_RUNS ?? 100);
const metricsCount = Number(process.env.BENCH_COMPARE_METRICS ?? 20);
const stepsCount = Number(process.env.BENCH_COMPARE_STEPS ?? 10_000);
const directRuns = Math.min(runsCount, Number(process.env.BENCH_DIRECT_RUNS ?? 5));
const bulkMetrics = Math.min(metricsCount, Number(process.env.BENCH_BULK_METRICS ?? 4));
const warmRepeats = Number(process.env.BENCH_REPEATS ?? 30);
const adminUrl = (
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres"
).replace(/\/[^/]*$/, "");
const shape = `${runsCount}x${metricsCount}x${stepsCount}`;
const sandboxDatabaseUrl = `${adminUrl}/bench_compare_sandbox_${shape}`;
const appDatabaseUrl = `${adminUrl}/bench_compare_app_${shape}`;
const token = "bench-compare-token";

const metricKeys = Array.from({ length: metricsCount }, (_, i) =>
  i % 4 === 0
    ? `train/loss_${i}`
    : i % 4 === 1
      ? `val/accuracy_${i}`
      : i % 4 === 2
        ? `val/rmse_${i}`
        : `lr_${i}`,
);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

async function main() {
  await ensureDatabase(sandboxDatabaseUrl);
  const sandboxDb = new pg.Pool({ connectionString: sandboxDatabaseUrl, max: 2 });
  const { app } = await buildSandbox({
    databaseUrl: sandboxDatabaseUrl,
    baseUrl: "http://127.0.0.1:0",
    token,
    speed: 50,
    logLevel: "warn",
  });
  const sandboxUrl = await app.listen({ host: "127.0.0.1", port: 0 });
  const calls = new Map<string, number>();
  let responseBytes = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    const endpoint = new URL(String(input)).pathname.replace("/api/2.0/mlflow/", "");
    calls.set(endpoint, (calls.get(endpoint) ?? 0) + 1);
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    responseBytes += body.byteLength;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const mlflow = createMlflowClient({
    baseUrl: sandboxUrl,
    getToken: async () => token,
    fetch: countingFetch,
    timeoutMs: 600_000,
  });
  const resetCounters = () => {
    calls.clear();
    responseBytes = 0;
  };

  // ---- setup: runs in the sandbox MLflow ----
  const setupStarted = performance.now();
  const { experimentId } = await mlflow.ensureExperiment(`/Shared/bench-compare-${shape}`);
  const runIds: string[] = [];
  const finished = new Map<string, string>();
  for await (const run of mlflow.iterateRuns({
    experimentIds: [experimentId],
    filter: "tags.`bench.complete` = '1'",
  }))
    finished.set(run.info.runName, run.info.runId);
  let logged = 0;
  for (let r = 0; r < runsCount; r++) {
    const name = `bench-run-${String(r).padStart(3, "0")}`;
    const existing = finished.get(name);
    if (existing) {
      runIds.push(existing);
      continue;
    }
    const run = await mlflow.createRun({ experimentId, runName: name, startTime: 1_760_000_000_000 });
    const params = {
      learning_rate: String([0.1, 0.03, 0.01, 0.003][r % 4]),
      max_depth: String(3 + (r % 7)),
      optimizer: ["adam", "sgd", "adamw"][r % 3],
      batch_size: String(2 ** (5 + (r % 4))),
    };
    await mlflow.logBatch(run.info.runId, { params });
    // 20 million points through runs/log-batch take over an hour on this machine (about 4,400 points/s),
    // so the sandbox's own table is filled in SQL with the same rows log-batch would write.
    await sandboxDb.query(
      `INSERT INTO mlflow_metrics (run_id, key, value, timestamp, step)
       SELECT $1, ($2::text[])[m + 1], CASE m % 4
           WHEN 0 THEN (1 + $3 / 100.0) * exp(-4.0 * s / $4) + 0.05 + (random() - 0.5) * 0.05 + CASE WHEN s % 2477 = $3 % 97 THEN 3 ELSE 0 END
           WHEN 1 THEN 0.5 + 0.45 * (1 - exp(-5.0 * s / $4)) + (random() - 0.5) * 0.01
           WHEN 2 THEN 2 * exp(-3.0 * s / $4) + 0.3 + (random() - 0.5) * 0.05
           ELSE 0.001 * cos(pi() * s / (2.0 * $4)) END,
         1760000000000 + s * 250 + $3, s
       FROM generate_series(0, $4 - 1) AS s, generate_series(0, $5 - 1) AS m
       ON CONFLICT DO NOTHING`,
      [run.info.runId, metricKeys, r, stepsCount, metricsCount],
    );
    await mlflow.setRunTag(run.info.runId, "bench.complete", "1");
    await mlflow.updateRun(run.info.runId, {
      status: "FINISHED",
      endTime: 1_760_000_000_000 + stepsCount * 250,
    });
    runIds.push(run.info.runId);
    logged++;
    if (logged % 5 === 0)
      console.error(`logged ${logged} runs (${((performance.now() - setupStarted) / 1000).toFixed(0)} s)`);
  }
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  // ---- setup: fill the cache through the real sync handler ----
  await applyMigrations({
    databaseUrl: appDatabaseUrl,
    migrationsDir: new URL("../prisma/migrations", import.meta.url).pathname,
    createDatabase: true,
  });
  const db = createPrismaClient(appDatabaseUrl);
  const fillStarted = performance.now();
  const cached = new Set(
    (
      await db.$queryRaw<
        Array<{ id: string }>
      >`SELECT r.mlflow_run_id AS id FROM cached_mlflow_runs r WHERE r.is_complete AND NOT EXISTS (SELECT 1 FROM metric_series s WHERE s.mlflow_run_id = r.mlflow_run_id AND s.previews IS NULL)`
    ).map((r) => r.id),
  );
  const toFill = runIds.filter((id) => !cached.has(id));
  let nextFill = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (nextFill < toFill.length)
        await syncRunMetrics({ db, mlflow }, toFill[nextFill++], { isFinal: true });
    }),
  );
  const fillAllSeconds = (performance.now() - fillStarted) / 1000;

  // ---- fill cost of one finished run, from nothing ----
  const probeRun = runIds[0];
  await db.$executeRaw`DELETE FROM metric_series WHERE mlflow_run_id = ${probeRun}`;
  await db.cachedMlflowRun.deleteMany({ where: { mlflowRunId: probeRun } });
  resetCounters();
  let started = performance.now();
  const fill = await syncRunMetrics({ db, mlflow }, probeRun, { isFinal: true });
  const fillMs = performance.now() - started;
  const fillCalls = Object.fromEntries(calls);
  const fillBytes = responseBytes;
  resetCounters();
  started = performance.now();
  const resync = await syncRunMetrics({ db, mlflow }, probeRun, { isFinal: true });
  const resyncMs = performance.now() - started;

  // ---- compare read from the cache (warm) ----
  const measureCompare = async (x: "step" | "time") => {
    const query = { runs: runIds, metrics: [], x };
    for (let i = 0; i < 3; i++) JSON.stringify(await readRunComparison(db, query));
    const times: number[] = [];
    let body = "";
    for (let i = 0; i < warmRepeats; i++) {
      const t = performance.now();
      body = JSON.stringify(await readRunComparison(db, query));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const parsed = JSON.parse(body) as {
      pointsPerSeries: number;
      pending: string[];
      series: Record<string, Record<string, unknown>>;
    };
    const seriesCount = Object.values(parsed.series).reduce((n, byRun) => n + Object.keys(byRun).length, 0);
    return {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      bytes: Buffer.byteLength(body),
      gzipBytes: gzipSync(body).byteLength,
      pointsPerSeries: parsed.pointsPerSeries,
      seriesCount,
      pending: parsed.pending.length,
    };
  };
  const compareStep = await measureCompare("step");
  const compareTime = await measureCompare("time");

  // ---- the same straight from MLflow ----
  resetCounters();
  started = performance.now();
  for (const runId of runIds.slice(0, directRuns)) {
    for (const key of metricKeys)
      for await (const point of mlflow.iterateMetricHistory(runId, key)) void point;
  }
  const fullSampleMs = performance.now() - started;
  const fullScale = runsCount / directRuns;
  const fullMs = fullSampleMs * fullScale;
  const fullBytes = responseBytes * fullScale;
  const fullCalls = (calls.get("metrics/get-history") ?? 0) * fullScale;

  resetCounters();
  started = performance.now();
  for (const key of metricKeys.slice(0, bulkMetrics))
    await mlflow.getMetricHistoryBulkInterval({ runIds, metricKey: key, maxResults: 320 });
  const bulkSampleMs = performance.now() - started;
  const bulkScale = metricsCount / bulkMetrics;
  const bulkMs = bulkSampleMs * bulkScale;
  const bulkBytes = responseBytes * bulkScale;

  const lines = [
    `compare ${shape} (${runIds.length} runs, sandbox MLflow at ${sandboxUrl}; setup ${setupSeconds.toFixed(0)} s for ${logged} new runs, cache fill ${fillAllSeconds.toFixed(0)} s for ${toFill.length} runs)`,
    `cache read x=step: p50 ${ms(compareStep.p50)}, p95 ${ms(compareStep.p95)}, ${mb(compareStep.bytes)} JSON (${mb(compareStep.gzipBytes)} gzip), ${compareStep.seriesCount} series × ≤${compareStep.pointsPerSeries} points, pending ${compareStep.pending}`,
    `cache read x=time: p50 ${ms(compareTime.p50)}, p95 ${ms(compareTime.p95)}, ${mb(compareTime.bytes)} JSON (${mb(compareTime.gzipBytes)} gzip), ≤${compareTime.pointsPerSeries} points per series`,
    `MLflow full histories: ${(fullMs / 1000).toFixed(1)} s, ${mb(fullBytes)}, ${fullCalls} get-history calls${directRuns < runsCount ? ` (timed ${directRuns} runs, scaled ×${fullScale})` : ""} → ${(fullMs / compareStep.p95).toFixed(0)}× slower, ${(fullBytes / compareStep.bytes).toFixed(0)}× bigger than the cache read`,
    `MLflow bulk-interval (320 points, ${runIds.length} runs per call): ${(bulkMs / 1000).toFixed(1)} s, ${mb(bulkBytes)}, ${metricsCount} calls${bulkMetrics < metricsCount ? ` (timed ${bulkMetrics} metrics, scaled ×${bulkScale})` : ""} → ${(bulkMs / compareStep.p95).toFixed(0)}× slower, ${(bulkBytes / compareStep.bytes).toFixed(1)}× the bytes`,
    `fill one finished run from nothing: ${ms(fillMs)}, MLflow calls ${JSON.stringify(fillCalls)}, ${mb(fillBytes)} read, ${fill.pointsFetched} points`,
    `re-sync of that run with nothing new: ${ms(resyncMs)}, ${resync.mlflowCalls} call (runs/get)`,
  ];
  console.log(lines.join("\n"));
  await db.$disconnect();
  await sandboxDb.end();
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
