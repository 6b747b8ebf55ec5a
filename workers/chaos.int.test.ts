import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createCloudClients } from "@/lib/cloud";
import { statusFromDatabricks } from "@/lib/domain/training/run-status";
import {
  churnDraft,
  createRun,
  killOnExit,
  sandboxRunsBySwitchboardId,
  spawnWorker,
  startTestStack,
  waitFor,
  waitForTerminal,
  type TestStack,
} from "@/lib/testing/worker-stack";

/**
 * Fault tests with real processes: workers SIGKILLed at each step of a run's life, a Redis that is
 * killed and restarted, and a cloud answering 429/5xx. Each scenario has its own database, sandbox
 * and Redis prefix, and they run side by side, since a killed worker's job is only retried once its
 * 30 s lock has expired. Every run must end exactly once, and the sandbox must hold exactly one
 * Databricks run per record.
 */

const cleanups: (() => Promise<unknown>)[] = [];
// Side by side and bounded: a sandbox still winding down a killed run must not hold up the rest.
afterAll(async () => {
  const bounded = (cleanup: () => Promise<unknown>) =>
    Promise.race([cleanup().catch(() => undefined), new Promise((r) => setTimeout(r, 30_000))]);
  await Promise.all(cleanups.reverse().map(bounded));
}, 60_000);

async function stackFor(options: Parameters<typeof startTestStack>[0] = {}) {
  const stack = await startTestStack(options);
  cleanups.push(() => stack.close());
  watchForStalledJobs(stack);
  return stack;
}

/**
 * BullMQ retries a dead worker's job once its 30 s lock has expired and a stalled check has seen it
 * twice; at the default 30 s check interval that is up to 90 s. Checking every second here (what a
 * shorter `stalledInterval` would do in the workers) keeps the suite short; the retry is unchanged.
 */
function watchForStalledJobs(stack: TestStack) {
  const connection = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
  connection.on("error", () => undefined);
  const watcher = new Worker("databricks", undefined, {
    connection,
    prefix: stack.config.REDIS_PREFIX,
    autorun: false,
    stalledInterval: 1_000,
  });
  watcher.on("error", () => undefined);
  void watcher.startStalledCheckTimer();
  cleanups.push(async () => {
    await watcher.close(true);
    connection.disconnect();
  });
}

function track<T extends ChildProcess>(child: T): T {
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return child;
}

/**
 * Each run ended once, with one Databricks run, and says what Databricks says. Under a starved
 * machine the sandbox's own training can fail (its MLflow calls time out after 15 s); that is the
 * run's result, not a loss, so the outcome is checked against Databricks' verdict, and a run that
 * did not end as `expected` is reported rather than failed.
 */
async function expectExactlyOnce(stack: TestStack, ids: string[], expected: string) {
  const runs = await stack.db.trainingRun.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, databricksRunId: true, errorMessage: true },
  });
  const sandboxRuns = await sandboxRunsBySwitchboardId(stack);
  const databricks = createCloudClients(stack.config).databricks;
  for (const run of runs) {
    const submitted = sandboxRuns.get(run.id) ?? [];
    expect(submitted, `Databricks runs for ${run.id}`).toHaveLength(1);
    expect(BigInt(submitted[0])).toBe(run.databricksRunId);
    const remote = await databricks.getRun(submitted[0]);
    expect(run.status, `run ${run.id} against Databricks`).toBe(
      statusFromDatabricks(remote.state.life_cycle_state, remote.state.result_state),
    );
    const terminalEvents = await stack.db.trainingRunEvent.count({
      where: { runId: run.id, status: run.status },
    });
    expect(terminalEvents, `terminal events of ${run.id}`).toBe(1);
    if (run.status !== expected)
      console.warn(`chaos: run ${run.id} ended ${run.status}, not ${expected}: ${run.errorMessage}`);
  }
}

/** Starts a worker that SIGKILLs itself at `step`, waits for it to die, then lets a clean worker finish. */
async function crashAt(step: string, prepare: (stack: TestStack) => Promise<string[]>, expected: string) {
  const started = Date.now();
  const stack = await stackFor();
  const crashing = track(spawnWorker(stack, { SWITCHBOARD_CHAOS_CRASH_AT: step }));
  const ids = await prepare(stack);
  const exit = await Promise.race([
    crashing.exited,
    new Promise((r) => setTimeout(() => r("still running"), 180_000)),
  ]);
  expect(exit, `worker crashing at ${step}`).toBe(-9);
  track(spawnWorker(stack));
  await waitForTerminal(stack, ids, 300_000);
  await expectExactlyOnce(stack, ids, expected);
  console.info(`chaos: crash at ${step} recovered in ${Math.round((Date.now() - started) / 1000)} s`);
}

const twoRuns = async (stack: TestStack) =>
  Promise.all([1, 2].map((n) => createRun(stack, churnDraft({ runName: `chaos-${n}` }))));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A redis-server of this test's own, so restarting it disturbs nobody else. */
async function startRedis(port: number, dir: string) {
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--maxmemory-policy",
    "noeviction",
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
  ];
  const child = track(killOnExit(spawn("redis-server", args, { stdio: "ignore" })));
  await waitFor("redis-server to accept connections", async () => {
    const probe = spawn("redis-cli", ["-p", String(port), "ping"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    probe.stdout.on("data", (d) => (out += d));
    return new Promise<boolean>((resolve) => probe.on("exit", () => resolve(out.includes("PONG"))));
  });
  return child;
}

describe("chaos: nothing lost, nothing twice", () => {
  it(
    "survives a worker SIGKILLed at each step, Redis restarts and a throttling cloud",
    { timeout: 600_000 },
    async () => {
      const scenarios = [
        crashAt("before-submit", twoRuns, "SUCCEEDED"),
        crashAt("after-submit", twoRuns, "SUCCEEDED"),
        crashAt("after-poll-call", twoRuns, "SUCCEEDED"),
        crashAt("after-poll-update", twoRuns, "SUCCEEDED"),
        crashAt(
          "after-cancel-call",
          async (stack) => {
            const ids = await Promise.all(
              [1, 2].map((n) =>
                createRun(
                  stack,
                  churnDraft({ runName: `cancel-${n}`, params: { learningRate: 0.1, epochs: 500 } }),
                ),
              ),
            );
            await waitFor(
              "runs to be running",
              async () =>
                (await stack.db.trainingRun.count({ where: { id: { in: ids }, status: "RUNNING" } })) ===
                ids.length,
              180_000,
            );
            for (const id of ids) {
              await stack.db.trainingRun.update({ where: { id }, data: { cancelRequestedAt: new Date() } });
              await stack.producer.enqueue(
                "databricks.cancel-run",
                { runId: id },
                { jobId: `cancel-${id}-requested` },
              );
            }
            return ids;
          },
          "CANCELLED",
        ),
        redisRestart(),
      ];
      const results = await Promise.allSettled(scenarios);
      const failures = results.flatMap((r, i) =>
        r.status === "rejected" ? [`scenario ${i}: ${(r.reason as Error).stack}`] : [],
      );
      expect(failures).toEqual([]);
    },
  );
});

/**
 * Kills Redis (SIGKILL) under a working worker while the cloud throttles, then brings it back with
 * its data (AOF): the worker reconnects and the queued checks carry on. Losing Redis's data instead
 * is covered in training-runs.int.test.ts, where the reconciler rebuilds the queue from the database.
 */
async function redisRestart() {
  const started = Date.now();
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), "chaos-redis-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  let redis = await startRedis(port, dir);
  const stack = await stackFor({ redisUrl: `redis://127.0.0.1:${port}/0` });
  await stack.sandbox.injectFaults([
    { path: "/jobs/runs/get$", status: 429, retryAfterSeconds: 1, probability: 0.3 },
    { path: "/jobs/runs/(get|submit)$", status: 503, probability: 0.2 },
  ]);
  track(spawnWorker(stack));
  const ids = await Promise.all(
    [1, 2, 3, 4].map((n) =>
      createRun(stack, churnDraft({ runName: `redis-${n}`, params: { learningRate: 0.1, epochs: 60 } })),
    ),
  );
  await waitFor(
    "runs to be submitted",
    async () =>
      (await stack.db.trainingRun.count({ where: { id: { in: ids }, databricksRunId: { not: null } } })) >= 2,
    180_000,
  );

  redis.kill("SIGKILL");
  await new Promise((r) => redis.on("exit", r));
  await new Promise((r) => setTimeout(r, 1_000));
  redis = await startRedis(port, dir);
  await stack.sandbox.clearFaults();
  await waitForTerminal(stack, ids, 300_000);
  await expectExactlyOnce(stack, ids, "SUCCEEDED");
  console.info(`chaos: Redis restart recovered in ${Math.round((Date.now() - started) / 1000)} s`);
}
