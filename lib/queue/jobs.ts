import { z } from "zod";

/**
 * Every queue and job name, with its payload schema, in one module that the web app (producer)
 * and the workers (consumer) both import. One queue per external system, so each gets its own
 * concurrency and rate limit. Payloads carry ids and small hints only, never secrets: Redis keeps
 * them in plain text. The database row named by the id is the source of truth.
 */
const trainingRunRef = z.object({ runId: z.uuid() });

export const jobDefinitions = {
  "databricks.submit-run": { queue: "databricks", payload: trainingRunRef },
  "databricks.poll-run": { queue: "databricks", payload: trainingRunRef },
  "databricks.cancel-run": { queue: "databricks", payload: trainingRunRef },
  // sampledFirst: a viewer waits for a run never copied, so read a bounded sample of each metric first and the whole history in a follow-up job.
  "mlflow.sync-metrics": {
    queue: "mlflow",
    payload: z.object({
      mlflowRunId: z.string().min(1).max(64),
      isFinal: z.boolean().default(false),
      sampledFirst: z.boolean().optional(),
    }),
  },
  "mlflow.sync-watched": { queue: "mlflow", payload: z.object({}) },
  "mlflow.evaluate-gates": { queue: "mlflow", payload: z.object({ requestId: z.uuid() }) },
  "mlflow.apply-promotion": { queue: "mlflow", payload: z.object({ requestId: z.uuid() }) },
  "kserve.apply-deployment": { queue: "kserve", payload: z.object({ deploymentId: z.uuid() }) },
  "mlflow.restore-registry": { queue: "mlflow", payload: z.object({ deploymentId: z.uuid() }) },
  // One click on a "registry and serving disagree" alert: the registry's production target follows what serves.
  "mlflow.align-registry": { queue: "mlflow", payload: z.object({ alertId: z.uuid() }) },
  "webhook.notify": { queue: "webhook", payload: z.object({ auditSeq: z.string().regex(/^\d+$/) }) },
  "webhook.notify-alert": { queue: "webhook", payload: z.object({ notificationId: z.uuid() }) },
  "monitoring.evaluate-alerts": { queue: "monitoring", payload: z.object({}) },
  "monitoring.compute-drift": { queue: "monitoring", payload: z.object({ monitorId: z.uuid() }) },
  "maintenance.reconcile-runs": { queue: "maintenance", payload: z.object({}) },
  "maintenance.reconcile-rollouts": { queue: "maintenance", payload: z.object({}) },
  "maintenance.reconcile-serving": { queue: "maintenance", payload: z.object({}) },
  "maintenance.prune-heartbeats": { queue: "maintenance", payload: z.object({}) },
  "airflow.trigger-dag-run": { queue: "airflow", payload: z.object({ triggerId: z.uuid() }) },
  "adf.create-pipeline-run": { queue: "adf", payload: z.object({ triggerId: z.uuid() }) },
  "maintenance.reconcile-pipeline-triggers": { queue: "maintenance", payload: z.object({}) },
  "maintenance.checkpoint-audit": { queue: "maintenance", payload: z.object({}) },
} as const satisfies Record<string, { queue: string; payload: z.ZodType }>;

export type JobName = keyof typeof jobDefinitions;
export type QueueName = (typeof jobDefinitions)[JobName]["queue"];
export type JobPayload<N extends JobName> = z.output<(typeof jobDefinitions)[N]["payload"]>;

export const queueNames = [...new Set(Object.values(jobDefinitions).map((d) => d.queue))] as QueueName[];

export const jobsOfQueue = (queue: QueueName) =>
  (Object.keys(jobDefinitions) as JobName[]).filter((name) => jobDefinitions[name].queue === queue);
