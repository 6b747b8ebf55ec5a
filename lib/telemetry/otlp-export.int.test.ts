import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { createRedis } from "@/lib/queue/connection";
import { beat } from "@/lib/queue/heartbeat";
import { createJobProducer, type JobProducer } from "@/lib/queue/producer";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { startTracing, type Tracing } from ".";

/**
 * The worker entry as deployed (`node --import tsx workers/main.ts`) with only
 * OTEL_EXPORTER_OTLP_ENDPOINT set: a job enqueued inside this process's span is processed in that
 * trace, its log lines carry the trace id, and SIGTERM flushes the spans to a real OTLP/HTTP receiver.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const redisUrl = "redis://127.0.0.1:6379/0";
const prefix = `otel-export-${randomBytes(4).toString("hex")}`;
const posts: Array<{ path: string; contentType?: string; body: Buffer }> = [];
let receiver: Server;
let endpoint: string;
let tracing: Tracing;
let redis: Redis;
let producer: JobProducer;
let queue: Queue;
let worker: ChildProcess | undefined;
const workerLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      posts.push({
        path: req.url ?? "",
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address() as { port: number };
  endpoint = `http://127.0.0.1:${address.port}`;
  // This process plays the web app: its span is what the job must continue.
  tracing = (await startTracing(parseConfig({ OTEL_TRACES_EXPORTER: "otlp" }), {
    serviceName: "switchboard-test",
    exporter: new InMemorySpanExporter(),
  }))!;
  redis = createRedis(redisUrl, "worker");
  producer = createJobProducer(createRedis(redisUrl, "worker"), prefix, {
    telemetry: tracing.queueTelemetry,
  });
  queue = new Queue("maintenance", { connection: redis, prefix });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill("SIGKILL");
  await producer?.close();
  await queue?.close();
  await deleteRedisPrefix(redis, prefix);
  redis?.disconnect();
  await tracing?.shutdown();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; worker said:\n${workerLines.map((l) => JSON.stringify(l)).join("\n")}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it(
  "exports the worker's job span, in the enqueuer's trace, when SIGTERM stops the worker",
  { timeout: 90_000 },
  async () => {
    worker = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "test",
        SWITCHBOARD_SERVICE: "worker",
        LOG_LEVEL: "info",
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        // Nothing here needs the database; the scheduled reconcilers may fail, which is fine.
        DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${prefix.replace(/-/g, "_")}_absent`,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        // Longer than the test: only the shutdown flush can deliver the spans.
        OTEL_BSP_SCHEDULE_DELAY: "600000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    worker.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        try {
          workerLines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          workerLines.push({ raw: line });
        }
      }
    });
    worker.stderr!.on("data", (chunk: Buffer) => workerLines.push({ stderr: chunk.toString() }));

    // The schedule's own prune runs at start; ours must be the one that finds the stale beat.
    await waitFor("the scheduled prune", async () =>
      (await queue.getJobs(["completed"])).some((j) => j.name === "maintenance.prune-heartbeats"),
    );
    await beat(redis, prefix, "worker-that-crashed", Date.now() - 3_600_000);
    const jobId = `exported-${randomBytes(3).toString("hex")}`;
    const request = await trace.getTracer("test").startActiveSpan("POST /api/admin/prune", async (span) => {
      await producer.enqueue("maintenance.prune-heartbeats", {}, { jobId });
      span.end();
      return span.spanContext();
    });
    await waitFor("the traced job", async () => (await queue.getJob(jobId))?.isCompleted() ?? false);
    expect(posts).toEqual([]);

    const exited = new Promise<number | null>((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);

    const pruned = workerLines.find(
      (l) => l.msg === "pruned heartbeats of workers that stopped without saying so",
    );
    expect(pruned).toMatchObject({ jobId, trace_id: request.traceId });
    const traces = posts.filter((p) => p.path === "/v1/traces");
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0].contentType).toBe("application/x-protobuf");
    const body = Buffer.concat(traces.map((p) => p.body));
    expect(body.includes("switchboard-worker")).toBe(true);
    expect(body.includes("process maintenance maintenance.prune-heartbeats")).toBe(true);
    // OTLP carries trace ids as 16 raw bytes.
    expect(body.includes(Buffer.from(request.traceId, "hex"))).toBe(true);
  },
);
