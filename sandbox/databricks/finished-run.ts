import { outcomes } from "./run-states";
import type { JobsStore, NewTask } from "./store";

/**
 * A run that already finished successfully between `start` and `end` (ms), with its tasks: how the
 * orchestrators' seeded history (Airflow, Data Factory) leaves the Databricks runs it submitted.
 */
export async function insertFinishedRun(
  jobs: JobsStore,
  submission: {
    runName: string;
    tags: Record<string, string>;
    creator: string;
    idempotencyToken: string;
    tasks: NewTask[];
  },
  start: number,
  end: number,
): Promise<{ runId: number; jobId: number }> {
  const jobId = await jobs.nextId();
  const { runId } = await jobs.insertRun(
    {
      jobId,
      runType: "SUBMIT_RUN",
      runName: submission.runName,
      spec: { tags: submission.tags },
      creatorUserName: submission.creator,
      idempotencyToken: submission.idempotencyToken,
    },
    submission.tasks,
    start,
  );
  const finished = {
    lifeCycleState: "TERMINATED" as const,
    outcome: outcomes.success(),
    startTime: start,
    endTime: end,
    setupDuration: 45_000,
    executionDuration: end - start - 65_000,
    cleanupDuration: 20_000,
  };
  await jobs.updateRun(runId, finished);
  for (const task of await jobs.getTasks(runId)) await jobs.updateRun(task.runId, finished);
  return { runId, jobId };
}
