import { hostname } from "node:os";
import { getConfig } from "@/lib/config";
import { createRedis } from "@/lib/queue/connection";
import { liveWorkers } from "@/lib/queue/heartbeat";

// The worker image's HEALTHCHECK: exit 0 while a worker in *this* container has beaten recently (worker
// ids are "<hostname>-<pid>-<random>", workers/manager.ts). Another replica's beat must not count.
const config = getConfig();
const redis = createRedis(config.REDIS_URL, "producer");
const host = hostname();
let connectionError: Error | undefined;
redis.on("error", (error: Error) => (connectionError ??= error));

try {
  await redis.connect();
  const mine = (await liveWorkers(redis, config.REDIS_PREFIX)).find((worker) =>
    worker.workerId.startsWith(`${host}-`),
  );
  if (!mine) {
    console.error(`no recent heartbeat from a worker on ${host}`);
    process.exitCode = 1;
  } else {
    console.log(`worker ${mine.workerId} beat ${mine.ageMs} ms ago`);
  }
} catch (error) {
  console.error(`heartbeat check failed: ${(connectionError ?? (error as Error)).message}`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
