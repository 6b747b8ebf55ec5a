import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import pino from "pino";
import { createCloudClients } from "@/lib/cloud";
import { parseConfig, type Config } from "@/lib/config";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { newRunRecord } from "@/lib/domain/training/launch";
import { launchRunInput, type LaunchRunDraft } from "@/lib/validation/runs";
import { isTerminalStatus } from "@/lib/domain/training/run-status";
import { createJobProducer, type JobProducer } from "@/lib/queue/producer";
import { createTestDatabase } from "@/lib/testing/database";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { startWorkers } from "@/workers/manager";
import { handlers, type WorkerDeps } from "@/workers/registry";
import { jobIds } from "@/lib/queue/job-ids";

/**
 * What the training-run integration and chaos tests share: a migrated database of their own, a
 * sandbox, a Redis key prefix (or a redis-server of their own), runs created exactly as the web app
 * creates them, and workers either in-process or as real `workers/main.ts` processes to SIGKILL.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface TestStack {
  config: Config;
  db: PrismaClient;
  sandbox: RunningSandbox;
  producer: JobProducer;
  redis: Redis;
  userId: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestStack(
  options: { redisUrl?: string; speed?: number; pollMinMs?: number; pollMaxMs?: number } = {},
): Promise<TestStack> {
  const database = await createTestDatabase("runs_test");
  const sandbox = await startSandbox({ speed: options.speed ?? 200 });
  const env = {
    SWITCHBOARD_MODE: "sandbox",
    // Workers run as the app's least-privilege login; the harness itself seeds rows as the owner.
    DATABASE_URL: database.appUrl,
    REDIS_URL: options.redisUrl ?? "redis://127.0.0.1:6379/0",
    REDIS_PREFIX: `runs-test-${randomBytes(4).toString("hex")}`,
    SANDBOX_URL: sandbox.url,
    SANDBOX_TOKEN: sandbox.token,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    SWITCHBOARD_RUN_POLL_MIN_MS: String(options.pollMinMs ?? 200),
    SWITCHBOARD_RUN_POLL_MAX_MS: String(options.pollMaxMs ?? 500),
  };
  const config = parseConfig(env);
  const db = createPrismaClient(database.url);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  // The chaos tests kill Redis on purpose; ioredis reconnects by itself.
  redis.on("error", () => undefined);
  const producer = createJobProducer(redis, config.REDIS_PREFIX);
  const user = await db.user.create({
    data: {
      entraObjectId: randomUUID(),
      name: "Dana Scientist",
      email: "dana@example.com",
      roles: ["DataScientist"],
    },
    select: { id: true },
  });
  return {
    config,
    db,
    sandbox,
    producer,
    redis,
    userId: user.id,
    env,
    async close() {
      await producer.close().catch(() => undefined);
      await deleteRedisPrefix(redis, config.REDIS_PREFIX).catch(() => undefined);
      redis.disconnect();
      await db.$disconnect();
      await sandbox.close();
      await database.drop();
    },
  };
}

export const churnDraft = (overrides: Partial<LaunchRunDraft> = {}): LaunchRunDraft =>
  ({
    runName: "churn-test",
    experimentName: "/Shared/churn-chaos",
    datasetFullName: "main.features.customer_features",
    modelFamily: "logistic_regression",
    params: { learningRate: 0.1, epochs: 4 },
    cluster: {
      nodeTypeId: "Standard_DS3_v2",
      runtime: "15.4.x-cpu-ml-scala2.12",
      workers: { mode: "fixed", count: 1 },
    },
    // Simulated time: at sandbox speed 200 a day is about 7 minutes, so a disturbed run cannot time out.
    timeoutMinutes: 24 * 60,
    ...overrides,
  }) as LaunchRunDraft;

/** The row exactly as the web app writes it (lib/dal/runs.ts launchRun), optionally followed by the submit job. */
export async function createRun(stack: TestStack, draft: LaunchRunDraft, { enqueue = true } = {}) {
  const input = launchRunInput.parse(draft);
  const id = randomUUID();
  await stack.db.trainingRun.create({
    data: newRunRecord(id, input, { id: stack.userId, name: "Dana Scientist" }),
  });
  if (enqueue)
    await stack.producer.enqueue("databricks.submit-run", { runId: id }, { jobId: jobIds.submitRun(id) });
  return id;
}

export function workerDeps(stack: TestStack): WorkerDeps {
  const log = pino({ level: stack.env.LOG_LEVEL });
  return {
    config: stack.config,
    db: stack.db,
    redis: stack.redis,
    producer: stack.producer,
    clients: createCloudClients(stack.config),
    log,
  };
}

/** Workers in this process (the integration tests); close() waits for active jobs. */
export function startInProcessWorkers(stack: TestStack) {
  const connection = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
  const deps = workerDeps(stack);
  const manager = startWorkers({
    connection,
    prefix: stack.config.REDIS_PREFIX,
    handlers,
    deps,
    log: deps.log,
    concurrency: { databricks: 20 },
  });
  return {
    async close() {
      await manager.close();
      connection.disconnect();
    },
  };
}

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/** Kills the child when this process exits, even if a timed-out test never reached its cleanup. */
export function killOnExit<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** A real worker process (`npx tsx workers/main.ts`); `extraEnv` sets crash points. */
export function spawnWorker(
  stack: TestStack,
  extraEnv: Record<string, string> = {},
): ChildProcess & { exited: Promise<number | null> } {
  const child = spawn("node", ["--import", "tsx", "workers/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...stack.env,
      SWITCHBOARD_SERVICE: "worker",
      WORKER_SHUTDOWN_GRACE_MS: "3000",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & { exited: Promise<number | null> };
  killOnExit(child);
  let output = "";
  child.stdout?.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
  child.exited = new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve(signal === "SIGKILL" ? -9 : code)),
  );
  Object.defineProperty(child, "output", { get: () => output });
  return child;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function waitForTerminal(stack: TestStack, runIds: string[], timeoutMs = 90_000) {
  return waitFor(
    `${runIds.length} run(s) to end`,
    async () => {
      const runs = await stack.db.trainingRun.findMany({
        where: { id: { in: runIds } },
        select: { id: true, status: true },
      });
      return runs.length === runIds.length && runs.every((r) => isTerminalStatus(r.status))
        ? runs
        : undefined;
    },
    timeoutMs,
    200,
  );
}

/** Every run the sandbox's Databricks knows, by the Switchboard run id in its task parameters. */
export async function sandboxRunsBySwitchboardId(stack: TestStack): Promise<Map<string, number[]>> {
  const byRun = new Map<string, number[]>();
  const databricks = createCloudClients(stack.config).databricks;
  for await (const run of databricks.listRuns({ pageSize: 25, expandTasks: true })) {
    const task = run.tasks?.[0];
    const parameters = task?.spark_python_task?.parameters ?? [];
    const id =
      task?.notebook_task?.base_parameters?.switchboard_run_id ??
      parameters[parameters.indexOf("--switchboard_run_id") + 1] ??
      "";
    byRun.set(id, [...(byRun.get(id) ?? []), run.run_id]);
  }
  return byRun;
}

/** Status history of a run, oldest first. */
export async function statusHistory(stack: TestStack, runId: string) {
  const events = await stack.db.trainingRunEvent.findMany({
    where: { runId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { status: true },
  });
  return events.map((e) => e.status);
}

export { isTerminalStatus };
