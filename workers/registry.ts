import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CloudClients } from "@/lib/cloud";
import type { Config } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { checkpointAuditChain } from "@/lib/audit/checkpoints";
import { pruneHeartbeats } from "@/lib/queue/heartbeat";
import type { JobProducer } from "@/lib/queue/producer";
import { deploymentHandlers } from "./handlers/deployments";
import { metricSyncHandlers } from "./handlers/metric-sync";
import { monitoringHandlers } from "./handlers/monitoring";
import { notificationHandlers } from "./handlers/notifications";
import { pipelineHandlers } from "./handlers/pipelines";
import { promotionHandlers } from "./handlers/promotions";
import { reconcileRolloutHandlers } from "./handlers/reconcile-rollouts";
import { reconcileServingHandlers } from "./handlers/reconcile-serving";
import { trainingRunHandlers } from "./handlers/training-runs";
import type { HandlerRegistry } from "./manager";

/** What handlers get: built once per worker process in workers/main.ts, replaced in tests. */
export interface WorkerDeps {
  config: Config;
  db: PrismaClient;
  redis: Redis;
  producer: JobProducer;
  clients: CloudClients;
  log: Logger;
}

export const handlers: HandlerRegistry<WorkerDeps> = {
  ...trainingRunHandlers,
  ...metricSyncHandlers,
  ...promotionHandlers,
  ...deploymentHandlers,
  ...monitoringHandlers,
  ...notificationHandlers,
  ...reconcileRolloutHandlers,
  ...pipelineHandlers,
  ...reconcileServingHandlers,
  "maintenance.prune-heartbeats": async (_payload, { deps, log }) => {
    const removed = await pruneHeartbeats(deps.redis, deps.config.REDIS_PREFIX);
    if (removed) log.info({ removed }, "pruned heartbeats of workers that stopped without saying so");
  },
  "maintenance.checkpoint-audit": async (_payload, { deps, log }) => {
    const result = await checkpointAuditChain(deps.db, deps.clients.auditCheckpoints);
    if (result.status !== "empty")
      log.info({ seq: result.checkpoint.seq, status: result.status }, "audit chain head checkpointed");
  },
};

/** Recurring jobs, kept as BullMQ job schedulers (one per id, however many workers start). */
export const schedules = (config: Config) =>
  [
    { id: "reconcile-runs", job: "maintenance.reconcile-runs", everyMs: 60_000 },
    { id: "reconcile-rollouts", job: "maintenance.reconcile-rollouts", everyMs: 60_000 },
    { id: "reconcile-serving", job: "maintenance.reconcile-serving", everyMs: 60_000 },
    { id: "evaluate-alerts", job: "monitoring.evaluate-alerts", everyMs: 30_000 },
    { id: "sync-watched-experiments", job: "mlflow.sync-watched", everyMs: 60_000 },
    { id: "prune-heartbeats", job: "maintenance.prune-heartbeats", everyMs: 10 * 60_000 },
    { id: "reconcile-pipeline-triggers", job: "maintenance.reconcile-pipeline-triggers", everyMs: 60_000 },
    // The longest window in which deleting the newest audit events goes unnoticed.
    {
      id: "checkpoint-audit",
      job: "maintenance.checkpoint-audit",
      everyMs: config.AUDIT_CHECKPOINT_INTERVAL_MINUTES * 60_000,
    },
  ] as const;
