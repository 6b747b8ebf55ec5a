import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import { createCloudClients } from "@/lib/cloud";
import { parseConfig } from "@/lib/config";
import { idempotencyTokenFor } from "@/lib/domain/training/launch";
import { createJobProducer } from "@/lib/queue/producer";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { startTestStack } from "@/lib/testing/worker-stack";
import { startWorkers } from "@/workers/manager";
import { handlers } from "@/workers/registry";
import { jobIds } from "@/lib/queue/job-ids";

/**
 * Following many runs at once: N runs RUNNING on a stand-in Databricks + MLflow (a tiny HTTP server
 * that counts calls; the sandbox would spend its time simulating N trainings), followed by the real
 * handlers in one worker. Reports Databricks calls per minute, the most calls any run got within
 * one poll interval, worker CPU, and heap/RSS before and after.
 *   npx tsx bench/runs-follow.bench.ts
 * BENCH_RUNS (1000), BENCH_POLL_MS (30000, the production cap), BENCH_SECONDS (120), BENCH_CONCURRENCY
 * (5, the databricks queue's default in workers/manager.ts). Run with `node --expose-gc --import tsx`
 * for heap figures taken after a full collection.
 */

const runCount = Number(process.env.BENCH_RUNS ?? 1000);
const pollMs = Number(process.env.BENCH_POLL_MS ?? 30_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 120);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 5);

const callsByRun = new Map<number, number[]>();
let databricksCalls = 0;
let mlflowCalls = 0;
const server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://stand-in");
  response.setHeader("content-type", "application/json");
  if (url.pathname.endsWith("/jobs/runs/get")) {
    databricksCalls += 1;
    const runId = Number(url.searchParams.get("run_id"));
    callsByRun.set(runId, [...(callsByRun.get(runId) ?? []), Date.now()]);
    response.end(
      JSON.stringify({
        run_id: runId,
        run_page_url: `http://stand-in/#job/1/run/${runId}`,
        start_time: Date.now() - 60_000,
        state: { life_cycle_state: "RUNNING" },
        tasks: [{ run_id: runId + 1, task_key: "train" }],
      }),
    );
    return;
  }
  if (url.pathname.endsWith("/mlflow/runs/get")) {
    mlflowCalls += 1;
    const runId = url.searchParams.get("run_id");
    response.end(
      JSON.stringify({
        run: {
          info: { run_id: runId, experiment_id: "1", status: "RUNNING", lifecycle_stage: "active" },
          data: {
            metrics: [{ key: "loss", value: 0.5, timestamp: Date.now(), step: 3 }],
            params: [{ key: "epochs", value: "20" }],
          },
        },
      }),
    );
    return;
  }
  response.statusCode = 404;
  response.end(JSON.stringify({ error_code: "ENDPOINT_NOT_FOUND", message: url.pathname }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const standInUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

process.env.SWITCHBOARD_RUN_POLL_MIN_MS = String(pollMs);
process.env.SWITCHBOARD_RUN_POLL_MAX_MS = String(pollMs);
const stack = await startTestStack({ pollMinMs: pollMs, pollMaxMs: pollMs });
const config = parseConfig({ ...stack.env, SANDBOX_URL: standInUrl });
try {
  console.log(`Seeding ${runCount} RUNNING runs…`);
  const ids = Array.from({ length: runCount }, () => randomUUID());
  await stack.db.trainingRun.createMany({
    data: ids.map((id, index) => ({
      id,
      runName: `follow-${index}`,
      kind: "TABULAR" as const,
      experimentName: "/Shared/bench",
      experimentId: "1",
      datasetFullName: "main.features.customer_features",
      modelFamily: "logistic_regression",
      params: { learningRate: 0.1, epochs: 20 },
      clusterSpec: {
        nodeTypeId: "Standard_DS3_v2",
        runtime: "15.4.x-cpu-ml-scala2.12",
        workers: { mode: "fixed", count: 1 },
      },
      timeoutSeconds: 3600,
      idempotencyToken: idempotencyTokenFor(id),
      status: "RUNNING" as const,
      databricksRunId: BigInt(1_000_000 + index * 2),
      mlflowRunId: `mlflowrun${index}`,
      epochsTotal: 20,
      startedAt: new Date(),
      nextCheckAt: new Date(),
      launchedById: stack.userId,
    })),
  });
  // Spread the first checks over one interval, as launches spread in life.
  for (const [index, id] of ids.entries())
    await stack.producer.enqueue(
      "databricks.poll-run",
      { runId: id },
      { jobId: jobIds.pollRun(id, 0), delayMs: Math.floor((index / runCount) * pollMs) },
    );

  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const producerConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const producer = createJobProducer(producerConnection, config.REDIS_PREFIX);
  const log = pino({ level: "warn" });
  const deps = {
    config,
    db: stack.db,
    redis: connection,
    producer,
    clients: createCloudClients(config),
    log,
  };
  const manager = startWorkers({
    connection,
    prefix: config.REDIS_PREFIX,
    handlers,
    deps,
    log,
    queues: ["databricks"],
    concurrency: { databricks: concurrency },
  });

  const warmupMs = Math.min(2 * pollMs, 30_000);
  await new Promise((r) => setTimeout(r, warmupMs));
  globalThis.gc?.();
  const memoryBefore = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const callsBefore = databricksCalls;
  const mlflowBefore = mlflowCalls;
  const measureFrom = Date.now();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage().heapUsed), 5_000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(sampler);
  const elapsedMs = Date.now() - measureFrom;
  const cpu = process.cpuUsage(cpuBefore);
  globalThis.gc?.();
  const memoryAfter = process.memoryUsage();

  // The most calls any run got inside any window of one poll interval (sliding, measured period only).
  let worstPerInterval = 0;
  let runsNeverChecked = 0;
  for (const index of ids.keys()) {
    const times = (callsByRun.get(1_000_000 + index * 2) ?? []).filter((t) => t >= measureFrom);
    if (!times.length) runsNeverChecked += 1;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= pollMs) j++;
      worstPerInterval = Math.max(worstPerInterval, i - j + 1);
    }
  }
  const minutes = elapsedMs / 60_000;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `Followed ${runCount} runs for ${seconds} s at a ${pollMs / 1000} s poll interval (one worker process, databricks queue concurrency ${concurrency}):`,
  );
  console.log(
    `  Databricks runs/get calls/minute   ${Math.round((databricksCalls - callsBefore) / minutes)} (ideal ${Math.round((runCount * 60_000) / pollMs)})`,
  );
  console.log(`  MLflow runs/get calls/minute       ${Math.round((mlflowCalls - mlflowBefore) / minutes)}`);
  console.log(`  max calls for one run per interval ${worstPerInterval}`);
  console.log(`  runs never checked                 ${runsNeverChecked}`);
  console.log(
    `  worker CPU                         ${(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100).toFixed(1)}% of one core (this process also hosts the bench's stand-in server)`,
  );
  console.log(
    `  heap used before / after           ${mb(memoryBefore.heapUsed)} / ${mb(memoryAfter.heapUsed)} (samples: ${samples.map((s) => mb(s)).join(", ")})`,
  );
  console.log(`  RSS before / after                 ${mb(memoryBefore.rss)} / ${mb(memoryAfter.rss)}`);

  await manager.close();
  await producer.close();
  connection.disconnect();
  producerConnection.disconnect();
  await deleteRedisPrefix(stack.redis, config.REDIS_PREFIX);
} finally {
  await stack.close();
  server.close();
}
process.exit(0);
