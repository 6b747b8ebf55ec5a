import { Queue, type JobsOptions, type Telemetry } from "bullmq";
import type { Redis } from "ioredis";
import { jobDefinitions, type JobName, type JobPayload, type QueueName } from "./jobs";

/** Retries for transient failures; handlers decide what is unrecoverable (see lib/errors.ts). */
export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export interface EnqueueOptions {
  /** Deduplicates: a job with this id that still exists is not added again. No ':' allowed. */
  jobId?: string;
  delayMs?: number;
  /** Single flight: while a job with this id waits or runs, adding another is a no-op (BullMQ deduplication, released when it ends). */
  deduplicationId?: string;
  /** Lower runs first; jobs without a priority run before any prioritized job (BullMQ). For background work. */
  priority?: number;
  /** The web request that caused this job, so its log lines can be followed into the worker. */
  requestId?: string;
}

export interface JobProducer {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: EnqueueOptions): Promise<void>;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

export interface JobProducerOptions {
  /** With tracing on (lib/telemetry): each add gets a producer span and carries its trace context to the worker. */
  telemetry?: Telemetry;
}

export function createJobProducer(
  connection: Redis,
  prefix: string,
  options: JobProducerOptions = {},
): JobProducer {
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix, defaultJobOptions, telemetry: options.telemetry });
      queues.set(name, q);
    }
    return q;
  };
  return {
    async enqueue(name, payload, options = {}) {
      const definition = jobDefinitions[name];
      const data = definition.payload.parse(payload);
      const meta = options.requestId ? { requestId: options.requestId } : {};
      await queue(definition.queue).add(
        name,
        { ...data, ...meta },
        {
          jobId: options.jobId,
          delay: options.delayMs,
          deduplication: options.deduplicationId ? { id: options.deduplicationId } : undefined,
          priority: options.priority,
        },
      );
    },
    queue,
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
