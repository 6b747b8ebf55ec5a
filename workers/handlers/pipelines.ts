import type { Job } from "bullmq";
import type { AdfClient } from "@/lib/clients/adf";
import { isAirflowAlreadyExists } from "@/lib/clients/airflow";
import { CloudApiError } from "@/lib/clients/http";
import type { PrismaClient } from "@/lib/db/client";
import { triggerIdParameter } from "@/lib/domain/pipelines/adf";
import { AppError, isAppError } from "@/lib/errors";
import { jobIds } from "@/lib/queue/job-ids";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

/**
 * Starting a pipeline run from a PipelineTrigger row. Airflow: the row fixes the dag_run_id, so the
 * trigger is safe to repeat: a second POST answers 409 AlreadyExists and the handler reads the run
 * it already started. Data Factory: createRun takes no id of the caller's, so the run carries the
 * row's id as its switchboardTriggerId parameter and the handler looks for a run carrying it before
 * creating one (queryPipelineRuns). The reconciler re-enqueues triggers whose job Redis lost.
 */

type PipelineJobs =
  "airflow.trigger-dag-run" | "adf.create-pipeline-run" | "maintenance.reconcile-pipeline-triggers";

/** Triggers still QUEUED after this long are looked at by the reconciler. */
const reconcileAfterMs = 60_000;

export const pipelineHandlers: Pick<HandlerRegistry<WorkerDeps>, PipelineJobs> = {
  "airflow.trigger-dag-run": async ({ triggerId }, { deps, job, log }) => {
    const trigger = await deps.db.pipelineTrigger.findUnique({
      where: { id: triggerId },
      select: { status: true, dagId: true, dagRunId: true, conf: true, note: true },
    });
    if (!trigger || trigger.status !== "QUEUED") return;
    try {
      const airflow = deps.clients.airflow;
      if (!airflow)
        throw new AppError("UNAVAILABLE", "Airflow is not configured (AIRFLOW_URL).", { retryable: false });
      let run;
      try {
        run = await airflow.triggerDagRun(trigger.dagId, {
          dagRunId: trigger.dagRunId,
          conf: trigger.conf as Record<string, unknown>,
          note: trigger.note ?? undefined,
        });
      } catch (error) {
        if (!isAirflowAlreadyExists(error)) throw error;
        // Our earlier attempt got through before its answer was lost.
        run = await airflow.getDagRun(trigger.dagId, trigger.dagRunId);
      }
      await deps.db.pipelineTrigger.updateMany({
        where: { id: triggerId, status: "QUEUED" },
        data: { status: "TRIGGERED", airflowState: run.state, triggeredAt: new Date(), errorMessage: null },
      });
      log.info({ dagId: trigger.dagId, dagRunId: trigger.dagRunId, state: run.state }, "triggered DAG run");
    } catch (error) {
      await failIfFinal(deps.db, triggerId, job, error);
      throw error;
    }
  },

  "adf.create-pipeline-run": async ({ triggerId }, { deps, job, log }) => {
    const trigger = await deps.db.pipelineTrigger.findUnique({
      where: { id: triggerId },
      select: { source: true, status: true, dagId: true, dagRunId: true, conf: true, createdAt: true },
    });
    if (!trigger || trigger.source !== "ADF" || trigger.status !== "QUEUED") return;
    try {
      const adf = deps.clients.adf;
      if (!adf)
        throw new AppError("UNAVAILABLE", "Data Factory is not configured (ADF_FACTORY_NAME).", {
          retryable: false,
        });
      // An earlier attempt may have created the run and died before recording it: find it first.
      let runId = await findRunCarrying(adf, trigger.dagId, trigger.dagRunId, trigger.createdAt);
      const isNew = !runId;
      runId ??= (
        await adf.createRun(trigger.dagId, {
          parameters: {
            ...(trigger.conf as Record<string, unknown>),
            [triggerIdParameter]: trigger.dagRunId,
          },
        })
      ).runId;
      await deps.db.pipelineTrigger.updateMany({
        where: { id: triggerId, status: "QUEUED" },
        data: { status: "TRIGGERED", externalRunId: runId, triggeredAt: new Date(), errorMessage: null },
      });
      log.info({ pipeline: trigger.dagId, runId, isNew }, "created Data Factory pipeline run");
    } catch (error) {
      await failIfFinal(deps.db, triggerId, job, error);
      throw error;
    }
  },

  "maintenance.reconcile-pipeline-triggers": async (_payload, { deps, log }) => {
    const stuck = await deps.db.pipelineTrigger.findMany({
      where: { status: "QUEUED", createdAt: { lt: new Date(Date.now() - reconcileAfterMs) } },
      select: { id: true, source: true },
      take: 100,
    });
    const minute = Math.floor(Date.now() / 60_000);
    for (const trigger of stuck) {
      if (trigger.source === "ADF")
        await deps.producer.enqueue(
          "adf.create-pipeline-run",
          { triggerId: trigger.id },
          { jobId: jobIds.createAdfPipelineRun(trigger.id, minute) },
        );
      else
        await deps.producer.enqueue(
          "airflow.trigger-dag-run",
          { triggerId: trigger.id },
          { jobId: jobIds.triggerDagRun(trigger.id, minute) },
        );
    }
    if (stuck.length) log.info({ count: stuck.length }, "re-enqueued pipeline triggers still queued");
  },
};

/** A failure no retry will fix, or the last attempt's, marks the row FAILED with what a person can read. */
async function failIfFinal(db: PrismaClient, triggerId: string, job: Job, error: unknown) {
  const isRetryable = error instanceof CloudApiError || isAppError(error) ? error.retryable : true;
  if (isRetryable && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) return;
  await db.pipelineTrigger.updateMany({
    where: { id: triggerId, status: "QUEUED" },
    data: { status: "FAILED", errorMessage: (error as Error).message.slice(0, 1000) },
  });
}

/**
 * The run of `pipelineName` carrying this trigger id, if one exists. Runs are found by when they were
 * last updated, so the window starts shortly before the trigger row was written (clock skew) and ends
 * now; queryPipelineRuns cannot filter on a parameter, so every page of the pipeline's runs is read.
 */
export async function findRunCarrying(
  adf: AdfClient,
  pipelineName: string,
  triggerKey: string,
  requestedAt: Date,
): Promise<string | undefined> {
  const window = {
    lastUpdatedAfter: new Date(requestedAt.getTime() - 10 * 60_000),
    lastUpdatedBefore: new Date(Date.now() + 10 * 60_000),
    filters: [{ operand: "PipelineName", operator: "Equals" as const, values: [pipelineName] }],
  };
  let continuationToken: string | undefined;
  do {
    const page = await adf.queryPipelineRuns({ ...window, continuationToken });
    const found = page.runs.find((run) => run.parameters?.[triggerIdParameter] === triggerKey);
    if (found) return found.runId;
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return undefined;
}
