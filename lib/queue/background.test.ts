import { DelayedError, type Job, type Queue } from "bullmq";
import { describe, expect, it, vi } from "vitest";
import { maxYieldMs, yieldRetryMs, yieldToForeground } from "./background";

const now = 1_800_000_000_000;

function fakeQueue(waiting: number, activePriorities: Array<number | undefined>) {
  return {
    getWaitingCount: vi.fn(async () => waiting),
    getActive: vi.fn(async () => activePriorities.map((priority) => ({ opts: { priority } }))),
  } as unknown as Queue;
}

function fakeJob(priority: number | undefined, queuedMsAgo = 1_000) {
  return { opts: { priority }, timestamp: now - queuedMsAgo, moveToDelayed: vi.fn(async () => undefined) };
}

describe("yieldToForeground", () => {
  it("lets a background job run when no job without priority waits or runs", async () => {
    const job = fakeJob(10);
    await yieldToForeground(fakeQueue(0, [10, 20]), job as unknown as Job, "token", now);
    expect(job.moveToDelayed).not.toHaveBeenCalled();
  });

  it.each([
    ["waits", fakeQueue(1, [10])],
    ["runs", fakeQueue(0, [10, undefined])],
  ])("moves a background job back to delayed while a foreground job %s", async (_, queue) => {
    const job = fakeJob(10);
    await expect(yieldToForeground(queue, job as unknown as Job, "token", now)).rejects.toBeInstanceOf(
      DelayedError,
    );
    expect(job.moveToDelayed).toHaveBeenCalledWith(now + yieldRetryMs, "token");
  });

  it("never delays a foreground job, nor a background one queued longer than the bound", async () => {
    const busy = fakeQueue(5, [undefined]);
    for (const job of [fakeJob(undefined), fakeJob(0), fakeJob(10, maxYieldMs + 1)]) {
      await yieldToForeground(busy, job as unknown as Job, "token", now);
      expect(job.moveToDelayed).not.toHaveBeenCalled();
    }
  });
});
