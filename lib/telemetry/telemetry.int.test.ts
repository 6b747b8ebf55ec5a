import { randomBytes } from "node:crypto";
import { SpanKind, SpanStatusCode, trace, type SpanContext } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { DelayedError, type Job } from "bullmq";
import type { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudApiError } from "@/lib/clients/http";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { parseConfig } from "@/lib/config";
import { createRedis } from "@/lib/queue/connection";
import { createJobProducer, type JobProducer } from "@/lib/queue/producer";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { startWorkers, type HandlerRegistry } from "@/workers/manager";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { startTracing, type Tracing } from ".";

/** Tracing switched on with an in-memory exporter, against the sandbox over HTTP and a real Redis. */

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let sandbox: RunningSandbox;

beforeAll(async () => {
  tracing = (await startTracing(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" }), {
    serviceName: "switchboard-test",
    exporter,
    fetchSpans: true,
  }))!;
  sandbox = await startSandbox();
});

afterAll(async () => {
  await tracing?.shutdown();
  await sandbox?.close();
});

async function finishedSpans() {
  await tracing.forceFlush();
  return exporter.getFinishedSpans();
}

const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe("cloud client spans", () => {
  const client = () =>
    createMlflowClient({
      baseUrl: sandbox.url,
      getToken: async () => sandbox.token,
      sleep: async () => undefined,
    });

  it("gives a call one client span with system, method, path, status and attempts, and a fetch span per attempt", async () => {
    exporter.reset();
    await sandbox.injectFaults([
      { path: "^/api/2.0/mlflow/experiments/get-by-name$", status: 503, times: 1 },
    ]);
    await client().getExperimentByName("/Shared/churn-model");
    const spans = await finishedSpans();
    const call = spans.find((s) => s.name === "MLflow GET /api/2.0/mlflow/experiments/get-by-name");
    expect(call).toBeDefined();
    expect(call!.kind).toBe(SpanKind.CLIENT);
    expect(call!.attributes).toMatchObject({
      "switchboard.cloud.system": "mlflow",
      "http.request.method": "GET",
      "url.path": "/api/2.0/mlflow/experiments/get-by-name",
      "server.address": "127.0.0.1",
      "http.response.status_code": 200,
      "switchboard.cloud.attempts": 2,
    });
    expect(call!.events.map((e) => [e.name, e.attributes?.["error.type"]])).toEqual([
      ["retry", "TEMPORARILY_UNAVAILABLE"],
    ]);
    expect(call!.status.code).not.toBe(SpanStatusCode.ERROR);
    const attempts = childrenOf(spans, call!);
    expect(attempts.map((s) => s.attributes["http.response.status_code"])).toEqual([503, 200]);
  });

  it("records a failed call as an error with its code", async () => {
    exporter.reset();
    const error = await client()
      .getExperiment("999999999")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudApiError);
    const call = (await finishedSpans()).find((s) => s.name === "MLflow GET /api/2.0/mlflow/experiments/get");
    expect(call?.status.code).toBe(SpanStatusCode.ERROR);
    expect(call?.attributes).toMatchObject({
      "error.type": "RESOURCE_DOES_NOT_EXIST",
      "http.response.status_code": 404,
      "switchboard.cloud.attempts": 1,
    });
    expect(call?.events.some((e) => e.name === "exception")).toBe(true);
  });
});

describe("job spans", () => {
  const prefix = `otel-test-${randomBytes(4).toString("hex")}`;
  let connection: Redis;
  let producer: JobProducer;
  let manager: ReturnType<typeof startWorkers>;
  const seen: Array<{ jobId?: string; span?: SpanContext }> = [];
  const processed = new Map<string, () => void>();

  beforeAll(async () => {
    connection = createRedis("redis://127.0.0.1:6379/0", "worker");
    producer = createJobProducer(createRedis("redis://127.0.0.1:6379/0", "worker"), prefix, {
      telemetry: tracing.queueTelemetry,
    });
    const handlers = {
      "maintenance.prune-heartbeats": async (
        _payload: unknown,
        { job, token }: { job: Job; token?: string },
      ) => {
        seen.push({ jobId: job.id, span: trace.getActiveSpan()?.spanContext() });
        if (job.id?.startsWith("delayed-") && seen.filter((s) => s.jobId === job.id).length === 1) {
          await job.moveToDelayed(Date.now() + 50, token);
          throw new DelayedError();
        }
        processed.get(job.id!)?.();
      },
    } as unknown as HandlerRegistry<object>;
    manager = startWorkers({
      connection,
      prefix,
      handlers,
      deps: {},
      log: pino({ level: "silent" }),
      queues: ["maintenance"],
    });
  });

  afterAll(async () => {
    await manager?.close();
    await producer?.close();
    await deleteRedisPrefix(connection, prefix);
    connection?.disconnect();
  });

  const enqueueAndWait = (jobId: string) => {
    const done = new Promise<void>((resolve) => processed.set(jobId, resolve));
    return { enqueued: producer.enqueue("maintenance.prune-heartbeats", {}, { jobId }), done };
  };

  it("processes a job in a consumer span that continues the enqueuing request's trace", async () => {
    exporter.reset();
    const jobId = `traced-${randomBytes(3).toString("hex")}`;
    let done!: Promise<void>;
    const request = await trace.getTracer("test").startActiveSpan("POST /api/runs", async (span) => {
      const job = enqueueAndWait(jobId);
      done = job.done;
      await job.enqueued;
      span.end();
      return span.spanContext();
    });
    await done;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spans = await finishedSpans();

    const consumer = spans.find(
      (s) => s.kind === SpanKind.CONSUMER && s.attributes["bullmq.job.id"] === jobId,
    );
    expect(consumer).toBeDefined();
    expect(consumer!.name).toBe("process maintenance maintenance.prune-heartbeats");
    expect(consumer!.attributes).toMatchObject({
      "bullmq.queue.name": "maintenance",
      "bullmq.job.name": "maintenance.prune-heartbeats",
      "switchboard.job.attempt": 1,
    });
    expect(consumer!.spanContext().traceId).toBe(request.traceId);
    const add = spans.find((s) => s.spanContext().spanId === consumer!.parentSpanContext?.spanId);
    expect(add).toMatchObject({
      name: "add maintenance.maintenance.prune-heartbeats",
      kind: SpanKind.PRODUCER,
    });
    expect(add!.parentSpanContext?.spanId).toBe(request.spanId);
    // The handler ran inside the consumer span, so its log lines and cloud calls join the trace.
    expect(seen.find((s) => s.jobId === jobId)?.span?.spanId).toBe(consumer!.spanContext().spanId);
  });

  it("does not mark a job that moved itself back to delayed as failed", async () => {
    exporter.reset();
    const jobId = `delayed-${randomBytes(3).toString("hex")}`;
    const job = enqueueAndWait(jobId);
    await job.enqueued;
    await job.done;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const consumers = (await finishedSpans()).filter(
      (s) => s.kind === SpanKind.CONSUMER && s.attributes["bullmq.job.id"] === jobId,
    );
    expect(consumers).toHaveLength(2);
    expect(consumers.map((s) => s.attributes["switchboard.job.delayed"])).toEqual([true, undefined]);
    expect(consumers.map((s) => s.status.code)).not.toContain(SpanStatusCode.ERROR);
    // Giving way spends no attempt.
    expect(consumers.map((s) => s.attributes["switchboard.job.attempt"])).toEqual([1, 1]);
  });

  it("starts a trace of its own for a job enqueued outside any request (schedules)", async () => {
    exporter.reset();
    const jobId = `untraced-${randomBytes(3).toString("hex")}`;
    const job = enqueueAndWait(jobId);
    await job.enqueued;
    await job.done;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const consumer = (await finishedSpans()).find(
      (s) => s.kind === SpanKind.CONSUMER && s.attributes["bullmq.job.id"] === jobId,
    );
    const add = (await finishedSpans()).find((s) => s.kind === SpanKind.PRODUCER);
    expect(consumer).toBeDefined();
    // The producer span is the root: the job's trace begins where it was enqueued.
    expect(add?.parentSpanContext).toBeUndefined();
    expect(consumer!.spanContext().traceId).toBe(add!.spanContext().traceId);
  });
});
