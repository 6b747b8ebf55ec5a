import { getConfig } from "@/lib/config";
import { getTracing } from "@/lib/telemetry";
import { createRedis } from "./connection";
import { createJobProducer, type JobProducer } from "./producer";

// One producer per web process, kept on globalThis so Next's hot reload does not open a connection per edit.
const globalForQueue = globalThis as unknown as { switchboardProducer?: JobProducer };

/** The web process's job producer (fails fast when Redis is down, so a request never hangs on it). */
export function getJobProducer(): JobProducer {
  const config = getConfig();
  globalForQueue.switchboardProducer ??= createJobProducer(
    createRedis(config.REDIS_URL, "producer"),
    config.REDIS_PREFIX,
    {
      telemetry: getTracing()?.queueTelemetry,
    },
  );
  return globalForQueue.switchboardProducer;
}
