import { DelayedError, type Job, type Queue } from "bullmq";

/** How soon a background job that gave way looks again. */
export const yieldRetryMs = 500;
/** A background job gives way for at most this long after it was queued, so a busy queue cannot starve it. */
export const maxYieldMs = 120_000;

/**
 * Background jobs (enqueued with a BullMQ priority) give way to the jobs someone is waiting for on
 * the same queue (enqueued without one). BullMQ's priority orders only jobs that wait: a slot that
 * frees while the last foreground jobs still run would take a background job beside them, and both
 * compete for the same cloud API. While a foreground job waits or runs, this moves the background
 * job back to delayed and throws BullMQ's DelayedError, so the worker neither completes nor fails
 * it (no attempt is spent); it is tried again `yieldRetryMs` later. Returns when it may run.
 */
export async function yieldToForeground(
  queue: Queue,
  job: Job,
  token: string | undefined,
  now = Date.now(),
): Promise<void> {
  if (!job.opts.priority || token === undefined || now - job.timestamp > maxYieldMs) return;
  const [waiting, active] = await Promise.all([queue.getWaitingCount(), queue.getActive()]);
  if (waiting === 0 && active.every((other) => other.opts.priority)) return;
  await job.moveToDelayed(now + yieldRetryMs, token);
  throw new DelayedError();
}
