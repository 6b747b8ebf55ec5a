import { isAirflowAlreadyExists } from "@/lib/clients/airflow";
import { CloudApiError } from "@/lib/clients/http";
import { AppError, isAppError } from "@/lib/errors";
import { jobIds } from "@/lib/queue/job-ids";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

/**
 * Triggering an Airflow DAG run from a PipelineTrigger row. The row fixes the dag_run_id, so the
 * trigger is safe to repeat: a second POST answers 409 AlreadyExists and the handler reads the run
 * it already started. The reconciler re-enqueues triggers whose job Redis lost.
 */

type PipelineJobs = "airflow.trigger-dag-run" | "maintenance.reconcile-pipeline-triggers";

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
      const isRetryable = error instanceof CloudApiError || isAppError(error) ? error.retryable : true;
      const isFinal = !isRetryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (isFinal) {
        await deps.db.pipelineTrigger.updateMany({
          where: { id: triggerId, status: "QUEUED" },
          data: { status: "FAILED", errorMessage: (error as Error).message.slice(0, 1000) },
        });
      }
      throw error;
    }
  },

  "maintenance.reconcile-pipeline-triggers": async (_payload, { deps, log }) => {
    const stuck = await deps.db.pipelineTrigger.findMany({
      where: { status: "QUEUED", createdAt: { lt: new Date(Date.now() - reconcileAfterMs) } },
      select: { id: true },
      take: 100,
    });
    const minute = Math.floor(Date.now() / 60_000);
    for (const trigger of stuck)
      await deps.producer.enqueue(
        "airflow.trigger-dag-run",
        { triggerId: trigger.id },
        { jobId: jobIds.triggerDagRun(trigger.id, minute) },
      );
    if (stuck.length) log.info({ count: stuck.length }, "re-enqueued pipeline triggers still queued");
  },
};
