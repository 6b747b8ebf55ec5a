import cluster from "node:cluster";
import { createCloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { createPrismaClient } from "@/lib/db/client";
import { createIngestContext } from "@/lib/ingest/runtime";
import { createIngestServer } from "@/lib/ingest/server";
import { logger } from "@/lib/logger";
import { createRedis } from "@/lib/queue/connection";
import { createJobProducer, type JobProducer } from "@/lib/queue/producer";
import { startTracing } from "@/lib/telemetry";

// The ingest process: `npm run ingest`. KServe's payload loggers post here; the web app's route is
// the fallback. INGEST_PROCESSES > 1 forks that many servers sharing INGEST_PORT (node:cluster):
// each keeps its own buffer and flushes additive increments, so they need no coordination.
const config = getConfig();

/** On SIGTERM requests in flight get this long before their connections are cut; then the buffer is flushed. */
const shutdownGraceMs = 10_000;

if (cluster.isPrimary && config.INGEST_PROCESSES > 1) superviseServers(config.INGEST_PROCESSES);
else await serve();

async function serve() {
  const log = logger.child({
    component: "ingest",
    ...(cluster.isWorker ? { processIndex: cluster.worker!.id } : {}),
  });
  // Traces the monitor lookups and the drift jobs it schedules; not each event (10,000/s would swamp a collector).
  const tracing = await startTracing(config, { serviceName: "switchboard-ingest", fetchSpans: true });
  const db = createPrismaClient(config.DATABASE_URL);
  const clients = createCloudClients(config, "interactive");
  let producer: JobProducer | undefined;
  const getProducer = () =>
    (producer ??= createJobProducer(createRedis(config.REDIS_URL, "producer"), config.REDIS_PREFIX, {
      telemetry: tracing?.queueTelemetry,
    }));
  const context = createIngestContext({
    secret: config.INGEST_SHARED_SECRET,
    db,
    getClients: () => clients,
    getProducer,
    log,
  });
  const ingest = createIngestServer({
    context,
    log,
    checkDatabase: async () => void (await db.$queryRaw`SELECT 1`),
  });
  const port = await ingest.listen(config.INGEST_PORT);
  log.info({ port }, "ingest listening on /api/ingest/kserve");

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: no new connections, finishing requests, flushing the buffer");
    const forced = setTimeout(() => {
      log.error("shutdown did not finish in time; exiting with the buffer unflushed");
      process.exit(1);
    }, shutdownGraceMs + 15_000);
    forced.unref();
    await ingest.close(shutdownGraceMs);
    await producer?.close();
    await db.$disconnect();
    await tracing
      ?.shutdown()
      .catch((error: unknown) => log.warn({ err: error }, "could not export the last spans"));
    log.info(context.service.stats(), "stopped cleanly");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function superviseServers(count: number) {
  const log = logger.child({ component: "ingest" });
  let stopping = false;
  const listened = new Set<number>();
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on("listening", (worker) => listened.add(worker.id));
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    // One that never listened (bad config, port taken) would only die again: stop them all instead.
    if (!listened.has(worker.id)) {
      log.error({ processIndex: worker.id, code, signal }, "an ingest process failed to start; stopping");
      process.exitCode = 1;
      return shutdown("SIGTERM");
    }
    log.error({ processIndex: worker.id, code, signal }, "an ingest process died; starting another");
    cluster.fork();
  });
  log.info({ processes: count, port: config.INGEST_PORT }, "ingest supervising its processes");
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
