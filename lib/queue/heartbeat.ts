import type { Redis } from "ioredis";

/** Worker processes beat every few seconds; /api/ready wants a beat younger than this. */
export const heartbeatIntervalMs = 5_000;
export const heartbeatFreshMs = 30_000;

const key = (prefix: string) => `${prefix}:workers:heartbeat`;

export async function beat(redis: Redis, prefix: string, workerId: string, now = Date.now()): Promise<void> {
  await redis.zadd(key(prefix), now, workerId);
}

export async function forget(redis: Redis, prefix: string, workerId: string): Promise<void> {
  await redis.zrem(key(prefix), workerId);
}

/** Worker ids that beat recently, newest first, with their age in ms. */
export async function liveWorkers(
  redis: Redis,
  prefix: string,
  now = Date.now(),
): Promise<Array<{ workerId: string; ageMs: number }>> {
  const entries = await redis.zrevrangebyscore(key(prefix), "+inf", now - heartbeatFreshMs, "WITHSCORES");
  const workers: Array<{ workerId: string; ageMs: number }> = [];
  for (let i = 0; i < entries.length; i += 2)
    workers.push({ workerId: entries[i], ageMs: now - Number(entries[i + 1]) });
  return workers;
}

/** Drops beats of workers gone for longer than ten freshness windows (crashed without forgetting). */
export async function pruneHeartbeats(redis: Redis, prefix: string, now = Date.now()): Promise<number> {
  return redis.zremrangebyscore(key(prefix), 0, now - 10 * heartbeatFreshMs);
}
