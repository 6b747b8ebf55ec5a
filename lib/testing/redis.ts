import type { Redis } from "ioredis";

/** Deletes every key under `prefix:` (a test's or the e2e stack's own key space), without blocking Redis. */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}
