import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { CloudApiError } from "@/lib/clients/http";
import { isAppError } from "@/lib/errors";
import { beat, forget, heartbeatIntervalMs } from "@/lib/queue/heartbeat";
import { jobDefinitions, queueNames, type JobName, type JobPayload, type QueueName } from "@/lib/queue/jobs";
import { runInJobSpan } from "@/lib/telemetry/jobs";

export interface JobContext<C> {
  deps: C;
  job: Job;
  /** The worker's lock on the job, for moving it back to delayed (lib/queue/background.ts). */
  token?: string;
  log: Logger;
}

export type JobHandler<N extends JobName, C> = (
  payload: JobPayload<N>,
  context: JobContext<C>,
) => Promise<void>;
/** Exhaustive: adding a job name without a handler does not compile. */
export type HandlerRegistry<C> = { [N in JobName]: JobHandler<N, C> };

export interface WorkerManagerOptions<C> {
  connection: Redis;
  prefix: string;
  handlers: HandlerRegistry<C>;
  deps: C;
  log: Logger;
  concurrency?: Partial<Record<QueueName, number>>;
  /** Only these queues (default: all), so a deployment can split queues across worker pools. */
  queues?: QueueName[];
}

/**
 * Error policy for jobs: bad input, 4xx answers and non-retryable AppErrors fail at once;
 * everything else (429, 5xx, timeouts, Redis or database hiccups) retries with backoff.
 */
export function classifyJobError(error: unknown): Error {
  if (isAppError(error) && !error.retryable) return new UnrecoverableError(error.message);
  if (error instanceof CloudApiError && !error.retryable) return new UnrecoverableError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}

export function startWorkers<C>(options: WorkerManagerOptions<C>) {
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const log = options.log.child({ workerId });
  const workers = (options.queues ?? queueNames).map((queue) => {
    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        await runInJobSpan(job, queue, async () => {
          const name = job.name as JobName;
          const definition = jobDefinitions[name];
          if (!definition || definition.queue !== queue)
            throw new UnrecoverableError(`Unknown job ${job.name} on queue ${queue}`);
          const parsed = definition.payload.safeParse(job.data);
          if (!parsed.success)
            throw new UnrecoverableError(`Invalid payload for ${name}: ${parsed.error.message}`);
          const handler = options.handlers[name] as JobHandler<typeof name, C>;
          const requestId = typeof job.data?.requestId === "string" ? job.data.requestId : undefined;
          const jobLog = log.child({
            queue,
            job: name,
            jobId: job.id,
            attempt: job.attemptsMade + 1,
            requestId,
          });
          try {
            await handler(parsed.data as never, { deps: options.deps, job, token, log: jobLog });
          } catch (error) {
            if (error instanceof DelayedError) throw error;
            jobLog.warn({ err: error }, "job failed");
            throw classifyJobError(error);
          }
        });
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency?.[queue] ?? 5,
        autorun: true,
      },
    );
    worker.on("error", (error) => log.error({ err: error, queue }, "worker error"));
    return worker;
  });

  const heartbeat = async () => {
    try {
      await beat(options.connection, options.prefix, workerId);
    } catch (error) {
      log.warn({ err: error }, "heartbeat failed");
    }
  };
  void heartbeat();
  const timer = setInterval(heartbeat, heartbeatIntervalMs);

  return {
    workerId,
    workers,
    /** Stops taking jobs and waits for the active ones to finish. */
    async close() {
      clearInterval(timer);
      await Promise.all(workers.map((w) => w.close()));
      await forget(options.connection, options.prefix, workerId).catch(() => undefined);
    },
  };
}
