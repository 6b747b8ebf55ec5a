import { getConfig } from "@/lib/config";
import { ensureDatabase } from "./lib/context";
import { buildSandbox } from "./server";

// Runs the local cloud on its own: `npm run sandbox`.
const config = getConfig();
await ensureDatabase(config.SANDBOX_DATABASE_URL);
const { app } = await buildSandbox({
  databaseUrl: config.SANDBOX_DATABASE_URL,
  baseUrl: config.SANDBOX_URL,
  token: config.SANDBOX_TOKEN,
  speed: config.SANDBOX_SPEED,
  // The ingest process is canonical; $APP_URL/api/ingest/kserve (the web app's route) is the fallback.
  ingestUrl: config.SANDBOX_INGEST_URL ?? `http://127.0.0.1:${config.INGEST_PORT}/api/ingest/kserve`,
  ingestSecret: config.INGEST_SHARED_SECRET,
  appUrls: [config.APP_URL],
  faults: process.env.SANDBOX_FAULTS,
  logLevel: config.LOG_LEVEL,
});
const { hostname, port } = new URL(config.SANDBOX_URL);
await app.listen({ host: hostname, port: Number(port) || 80 });
app.log.info(`Sandbox cloud listening on ${config.SANDBOX_URL}`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void app.close().then(() => process.exit(0)));
