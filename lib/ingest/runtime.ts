import { getCloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { getJobProducer } from "@/lib/queue/web-producer";
import { createSecretCheck } from "./cloud-event";
import type { IngestRequestContext } from "./handle-request";
import { IngestService } from "./ingest-service";
import { resolveMonitor } from "./monitors";
import { createIngestStore } from "./store";

/** Drift is recomputed at most once per monitor per this interval while events keep arriving. */
const DRIFT_RECOMPUTE_MS = 60_000;

// One ingest buffer per process, kept on globalThis so Next's hot reload does not start a second.
const globalForIngest = globalThis as unknown as { switchboardIngest?: IngestRequestContext };

/** The web process's ingest: flushes to its database and schedules monitoring.compute-drift. */
export function getIngestContext(): IngestRequestContext {
  if (!globalForIngest.switchboardIngest) {
    const config = getConfig();
    const db = getDb();
    const log = logger.child({ component: "ingest" });
    const service = new IngestService({
      store: createIngestStore(db),
      resolveMonitor: (namespace, serviceName, samplePayload) => resolveMonitor({ db, clients: getCloudClients() }, namespace, serviceName, samplePayload),
      onFlushed: (monitorIds) => {
        const slot = Math.floor(Date.now() / DRIFT_RECOMPUTE_MS);
        for (const monitorId of monitorIds) {
          getJobProducer()
            .enqueue("monitoring.compute-drift", { monitorId }, { jobId: `compute-drift-${monitorId}-${slot}` })
            .catch((error: unknown) => log.warn({ err: error, monitorId }, "could not schedule drift computation"));
        }
      },
      onError: (error, context) => log.warn({ err: error }, context),
    });
    service.start();
    globalForIngest.switchboardIngest = { service, isAuthorized: createSecretCheck(config.INGEST_SHARED_SECRET) };
  }
  return globalForIngest.switchboardIngest;
}
