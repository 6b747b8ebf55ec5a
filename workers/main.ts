import { createCloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { createPrismaClient } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { createRedis } from "@/lib/queue/connection";
import { jobDefinitions } from "@/lib/queue/jobs";
import { createJobProducer } from "@/lib/queue/producer";
import { startTracing } from "@/lib/telemetry";
import { startWorkers } from "./manager";
import { createRateLimitedFetch } from "./rate-limit";
import { handlers, schedules } from "./registry";

// The worker process: `npm run worker`. Runs apart from the web app so a deploy never kills long jobs.
const config = getConfig();
// Before any client or queue exists, so every one of them is traced when tracing is on.
const tracing = await startTracing(config, { serviceName: "switchboard-worker", fetchSpans: true });
const log = logger;
const connection = createRedis(config.REDIS_URL, "worker");
const producerConnection = createRedis(config.REDIS_URL, "worker");
const db = createPrismaClient(config.DATABASE_URL);
const producer = createJobProducer(producerConnection, config.REDIS_PREFIX, {
  telemetry: tracing?.queueTelemetry,
});

async function upsertSchedules() {
  for (const schedule of schedules(config)) {
    await producer
      .queue(jobDefinitions[schedule.job].queue)
      .upsertJobScheduler(schedule.id, { every: schedule.everyMs }, { name: schedule.job, data: {} });
  }
}
await upsertSchedules();
// A Redis that restarted empty has lost the schedules, reconcilers included: put them back on reconnect.
producerConnection.on(
  "ready",
  () => void upsertSchedules().catch((error) => log.warn({ err: error }, "could not restore job schedules")),
);

const clients = createCloudClients(config, "background", {
  mlflowFetch: createRateLimitedFetch(config.MLFLOW_SYNC_CALLS_PER_SECOND),
});
const manager = startWorkers({
  connection,
  prefix: config.REDIS_PREFIX,
  handlers,
  deps: { config, db, redis: connection, producer, clients, log },
  log,
  concurrency: { mlflow: config.MLFLOW_SYNC_CONCURRENCY },
});
log.info({ workerId: manager.workerId, queues: manager.workers.map((w) => w.name) }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: no new jobs, waiting for active ones");
  const forced = setTimeout(() => {
    log.warn("active jobs did not finish in time; exiting, they will be retried");
    process.exit(1);
  }, config.WORKER_SHUTDOWN_GRACE_MS);
  forced.unref();
  await manager.close();
  await producer.close();
  await db.$disconnect();
  connection.disconnect();
  producerConnection.disconnect();
  // The jobs' last spans; bounded by the exporter's timeout (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s).
  await tracing
    ?.shutdown()
    .catch((error: unknown) => log.warn({ err: error }, "could not export the last spans"));
  log.info("stopped cleanly");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
