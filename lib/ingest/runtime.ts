import type { Logger } from "pino";
import { getCloudClients, type CloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { getDb, type PrismaClient } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import type { JobProducer } from "@/lib/queue/producer";
import { getJobProducer } from "@/lib/queue/web-producer";
import { createSecretCheck } from "./cloud-event";
import type { IngestRequestContext } from "./handle-request";
import { IngestService } from "./ingest-service";
import { resolveMonitor } from "./monitors";
import { createIngestStore } from "./store";
import { jobIds } from "@/lib/queue/job-ids";

/** Drift is recomputed at most once per monitor per this interval while events keep arriving. */
const DRIFT_RECOMPUTE_MS = 60_000;

export interface IngestRuntimeDeps {
  secret: string;
  db: PrismaClient;
  getClients: () => Pick<CloudClients, "kserve" | "mlflow" | "sql">;
  getProducer: () => JobProducer;
  log: Logger;
}

/** An ingest that flushes to the database and schedules monitoring.compute-drift; started, not yet stopped. */
export function createIngestContext(deps: IngestRuntimeDeps): IngestRequestContext {
  const { db, log } = deps;
  const service = new IngestService({
    store: createIngestStore(db),
    resolveMonitor: (namespace, serviceName, samplePayload, endpoint) =>
      resolveMonitor({ db, clients: deps.getClients() }, namespace, serviceName, samplePayload, endpoint),
    onFlushed: (monitorIds) => {
      const slot = Math.floor(Date.now() / DRIFT_RECOMPUTE_MS);
      for (const monitorId of monitorIds) {
        deps
          .getProducer()
          .enqueue("monitoring.compute-drift", { monitorId }, { jobId: jobIds.computeDrift(monitorId, slot) })
          .catch((error: unknown) =>
            log.warn({ err: error, monitorId }, "could not schedule drift computation"),
          );
      }
    },
    onError: (error, context) => log.warn({ err: error }, context),
  });
  service.start();
  return { service, isAuthorized: createSecretCheck(deps.secret) };
}

// One ingest buffer per process, kept on globalThis so Next's hot reload does not start a second.
const globalForIngest = globalThis as unknown as { switchboardIngest?: IngestRequestContext };

/** The web process's ingest (the compatibility path; the ingest process is canonical). */
export function getIngestContext(): IngestRequestContext {
  globalForIngest.switchboardIngest ??= createIngestContext({
    secret: getConfig().INGEST_SHARED_SECRET,
    db: getDb(),
    getClients: getCloudClients,
    getProducer: getJobProducer,
    log: logger.child({ component: "ingest" }),
  });
  return globalForIngest.switchboardIngest;
}
