import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { DelayedError, TelemetryAttributes, type Job } from "bullmq";

const tracer = trace.getTracer("switchboard-worker");

/**
 * Runs a job's handler inside a CONSUMER span whose parent is the enqueuer's context, read from
 * `job.opts.telemetry.metadata` (a JSON W3C carrier, the format bullmq-otel writes on add). We
 * start this span ourselves instead of giving the Worker bullmq-otel: that would also trace every
 * idle poll and stalled-job check, a root span per queue every few seconds.
 * With tracing off the tracer is a no-op and the handler just runs.
 */
export async function runInJobSpan<T>(job: Job, queue: string, run: () => Promise<T>): Promise<T> {
  const parent = extractJobContext(job.opts.telemetry?.metadata);
  const attributes = {
    "messaging.system": "bullmq",
    "messaging.operation.type": "process",
    "messaging.destination.name": queue,
    [TelemetryAttributes.QueueName]: queue,
    [TelemetryAttributes.JobName]: job.name,
    [TelemetryAttributes.JobId]: job.id ?? "",
    // 1 on the first run, as in the job's log lines.
    "switchboard.job.attempt": job.attemptsMade + 1,
  };
  return tracer.startActiveSpan(
    `process ${queue} ${job.name}`,
    { kind: SpanKind.CONSUMER, attributes },
    parent,
    async (span) => {
      try {
        return await run();
      } catch (error) {
        // A job that moved itself back to delayed (lib/queue/background.ts) did not fail.
        if (error instanceof DelayedError) {
          span.setAttribute("switchboard.job.delayed", true);
          throw error;
        }
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

function extractJobContext(metadata: string | undefined) {
  if (!metadata) return context.active();
  try {
    return propagation.extract(ROOT_CONTEXT, JSON.parse(metadata) as Record<string, string>);
  } catch {
    // A malformed carrier costs the link to the enqueuer, never the job.
    return context.active();
  }
}
