import { Redis, type RedisOptions } from "ioredis";

/**
 * Producers fail fast (no offline queue: a web request should not hang when Redis is down);
 * workers wait for Redis forever, as BullMQ requires (maxRetriesPerRequest: null).
 */
export function createRedis(url: string, role: "producer" | "worker", extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  return new Redis(url, { lazyConnect: role === "producer", ...options, ...extra });
}
