import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pg from "pg";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { parseConfig } from "@/lib/config";
import { createTestDatabase } from "@/lib/testing/database";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { testStackSecrets } from "@/lib/testing/secrets";
import { startSandbox } from "@/sandbox/testing";
import { treeCpuSeconds } from "./process-cpu";

/**
 * Background sync throughput: does the worker keep 20 watched experiments copied while each gains
 * 200 finished runs an hour, within its MLflow budget?
 *   npx tsx bench/sync-throughput.bench.ts
 * The real worker process (workers/main.ts: its 60 s mlflow.sync-watched schedule, token-bucket MLflow
 * fetch at MLFLOW_SYNC_CALLS_PER_SECOND, mlflow queue concurrency MLFLOW_SYNC_CONCURRENCY) runs against
 * the sandbox's MLflow through a counting proxy (MLFLOW_TRACKING_URI), with the 20 experiments pinned.
 * Time is accelerated: runs are created at BENCH_SYNC_SPEEDUP × the required rate (each finished, with
 * BENCH_SYNC_METRICS metrics × BENCH_SYNC_STEPS steps) for BENCH_SYNC_MINUTES, then the bench waits
 * for the copy to catch up. It prints the copy rate as a ratio of the required rate, the delay from a
 * run's end to its complete copy, the worker's MLflow calls a minute against its budget, and the
 * worker's CPU (the process tree's utime + stime from /proc).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const experimentsCount = Number(process.env.BENCH_SYNC_EXPERIMENTS ?? 20);
const runsPerHour = Number(process.env.BENCH_SYNC_RUNS_PER_HOUR ?? 200);
const speedup = Number(process.env.BENCH_SYNC_SPEEDUP ?? 3);
const minutes = Number(process.env.BENCH_SYNC_MINUTES ?? 4);
const metricsPerRun = Number(process.env.BENCH_SYNC_METRICS ?? 5);
const stepsPerMetric = Number(process.env.BENCH_SYNC_STEPS ?? 200);
// The worker's own defaults unless the environment sets them.
const { MLFLOW_SYNC_CALLS_PER_SECOND: callsPerSecond, MLFLOW_SYNC_CONCURRENCY: concurrency } = parseConfig({
  SWITCHBOARD_MODE: "sandbox",
  MLFLOW_SYNC_CALLS_PER_SECOND: process.env.MLFLOW_SYNC_CALLS_PER_SECOND,
  MLFLOW_SYNC_CONCURRENCY: process.env.MLFLOW_SYNC_CONCURRENCY,
});

const requiredPerMinute = (runsPerHour * experimentsCount) / 60;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

async function main() {
  const sandbox = await startSandbox({ speed: 1 });
  const target = new URL(sandbox.url);
  const calls = { mlflow: new Map<string, number>(), other: 0 };
  const proxy = createServer((incoming, outgoing) => {
    const url = incoming.url ?? "/";
    if (url.startsWith("/api/2.0/mlflow/")) {
      const endpoint = url.split("?")[0].replace("/api/2.0/mlflow/", "");
      calls.mlflow.set(endpoint, (calls.mlflow.get(endpoint) ?? 0) + 1);
    } else calls.other++;
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  proxy.listen(0, "127.0.0.1");
  await new Promise((resolve) => proxy.once("listening", resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const database = await createTestDatabase("bench_sync");
  const prefix = `bench-sync-${randomBytes(4).toString("hex")}`;
  const mlflow = createMlflowClient({
    baseUrl: sandbox.url,
    getToken: async () => sandbox.token,
    timeoutMs: 60_000,
  });
  const experimentIds: string[] = [];
  for (let i = 0; i < experimentsCount; i++)
    experimentIds.push((await mlflow.ensureExperiment(`/Shared/sync-bench-${prefix}-${i}`)).experimentId);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await db.query(
    `INSERT INTO watched_experiments (experiment_id, is_pinned) SELECT unnest($1::text[]), true`,
    [experimentIds],
  );

  const worker = spawn(path.join(root, "node_modules/.bin/tsx"), ["workers/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      ...testStackSecrets,
      NODE_ENV: "production",
      SWITCHBOARD_MODE: "sandbox",
      DATABASE_URL: database.url,
      REDIS_PREFIX: prefix,
      SANDBOX_URL: sandbox.url,
      SANDBOX_TOKEN: sandbox.token,
      MLFLOW_TRACKING_URI: proxyUrl,
      MLFLOW_TRACKING_TOKEN: sandbox.token,
      MLFLOW_SYNC_CALLS_PER_SECOND: String(callsPerSecond),
      MLFLOW_SYNC_CONCURRENCY: String(concurrency),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await sleep(5_000);
  calls.mlflow.clear();
  const cpuStart = treeCpuSeconds(worker.pid!);

  // Runs finish at `speedup` × the required rate, spread evenly over the experiments.
  const intervalMs = 60_000 / (requiredPerMinute * speedup);
  const created: Array<{ runId: string; endTime: number }> = [];
  const started = Date.now();
  const creationEnds = started + minutes * 60_000;
  let behindMs = 0;
  for (let n = 0; Date.now() < creationEnds; n++) {
    const due = started + n * intervalMs;
    if (due > Date.now()) await sleep(due - Date.now());
    else behindMs = Math.max(behindMs, Date.now() - due);
    const experimentId = experimentIds[n % experimentIds.length];
    const startTime = Date.now() - 60_000;
    const run = await mlflow.createRun({ experimentId, runName: `run-${n}`, startTime });
    const metrics = Array.from({ length: metricsPerRun }, (_, k) =>
      Array.from({ length: stepsPerMetric }, (_, step) => ({
        key: `metric_${k}`,
        value: (k + 1) / (step + 1),
        step,
        timestamp: startTime + step,
      })),
    ).flat();
    for (let i = 0; i < metrics.length; i += 1000)
      await mlflow.logBatch(run.info.runId, { metrics: metrics.slice(i, i + 1000) });
    const endTime = Date.now();
    await mlflow.updateRun(run.info.runId, { status: "FINISHED", endTime });
    created.push({ runId: run.info.runId, endTime });
  }
  const creationMs = Date.now() - started;
  const mlflowCallsDuringCreation = [...calls.mlflow.values()].reduce((a, b) => a + b, 0);

  // Catch up: at most three more passes of the 60 s schedule.
  const copiedAt = async () =>
    new Map(
      (
        await db.query<{ mlflow_run_id: string; synced_at: Date }>(
          `SELECT mlflow_run_id, synced_at FROM cached_mlflow_runs WHERE is_complete AND mlflow_run_id = ANY($1)`,
          [created.map((r) => r.runId)],
        )
      ).rows.map((r) => [r.mlflow_run_id, r.synced_at.getTime()]),
    );
  const copiedDuringCreation = (await copiedAt()).size;
  let copied = await copiedAt();
  const catchUpDeadline = Date.now() + 180_000;
  while (copied.size < created.length && Date.now() < catchUpDeadline) {
    await sleep(2_000);
    copied = await copiedAt();
  }
  const totalMs = Date.now() - started;
  const cpu = treeCpuSeconds(worker.pid!) - cpuStart;
  const mlflowCalls = [...calls.mlflow.values()].reduce((a, b) => a + b, 0);
  const delays = created
    .filter((r) => copied.has(r.runId))
    .map((r) => (copied.get(r.runId)! - r.endTime) / 1000)
    .sort((a, b) => a - b);

  const createdPerMinute = created.length / (creationMs / 60_000);
  console.log(
    `${experimentsCount} pinned experiments, runs of ${metricsPerRun} metrics × ${stepsPerMetric} steps; required ${requiredPerMinute.toFixed(1)} finished runs/min (${runsPerHour}/h each), created ${createdPerMinute.toFixed(1)}/min for ${(creationMs / 60_000).toFixed(1)} min (${(createdPerMinute / requiredPerMinute).toFixed(2)}× the required rate${behindMs > 5_000 ? `, the creator fell ${(behindMs / 1000).toFixed(0)} s behind` : ""})`,
  );
  const lastCopiedAt = Math.max(...copied.values());
  const caughtUp = copied.size === created.length;
  console.log(
    caughtUp
      ? `kept up: every one of the ${created.length} runs copied completely, the last ${((lastCopiedAt - (started + creationMs)) / 1000).toFixed(0)} s after the last run ended (${copiedDuringCreation} while runs were still being created)`
      : `FELL BEHIND: ${copied.size} of ${created.length} runs copied 3 minutes after the last run ended`,
  );
  console.log(
    `run end → complete copy: p50 ${percentile(delays, 50).toFixed(0)} s, p95 ${percentile(delays, 95).toFixed(0)} s, max ${(delays.at(-1) ?? NaN).toFixed(0)} s (the schedule passes every 60 s)`,
  );
  console.log(
    `worker → MLflow: ${((mlflowCallsDuringCreation / creationMs) * 60_000).toFixed(0)} calls/min while runs were created, ${((mlflowCalls / totalMs) * 60_000).toFixed(0)} calls/min overall; budget ${callsPerSecond * 60}/min (MLFLOW_SYNC_CALLS_PER_SECOND ${callsPerSecond}, concurrency ${concurrency}); ${(mlflowCalls / Math.max(1, copied.size)).toFixed(1)} calls per run copied, so the budget alone allows ${((callsPerSecond * 60) / (mlflowCalls / Math.max(1, copied.size)) / requiredPerMinute).toFixed(1)}× the required rate; ${JSON.stringify(Object.fromEntries(calls.mlflow))}`,
  );
  console.log(
    `worker CPU: ${cpu.toFixed(1)} s over ${(totalMs / 1000).toFixed(0)} s (${((cpu / (totalMs / 1000)) * 100).toFixed(0)}% of one core), ${((cpu * 1000) / Math.max(1, copied.size)).toFixed(0)} ms per run copied; machine load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
  );

  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  await db.end();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0");
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
  proxy.close();
  await database.drop();
  await sandbox.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
