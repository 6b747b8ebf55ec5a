import "server-only";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { createRedis } from "@/lib/queue/connection";
import { liveWorkers } from "@/lib/queue/heartbeat";
import type { Redis } from "ioredis";

export interface Check {
  ok: boolean;
  detail: string;
  latencyMs: number;
}

async function timed(run: () => Promise<string>): Promise<Check> {
  const started = performance.now();
  try {
    const detail = await Promise.race([
      run(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out after 2 s")), 2_000)),
    ]);
    return { ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      detail: (error as Error).message,
      latencyMs: Math.round(performance.now() - started),
    };
  }
}

let redis: Redis | undefined;

/** Readiness: the database answers, Redis answers, and at least one worker process beat recently. */
export async function checkReadiness() {
  const config = getConfig();
  redis ??= createRedis(config.REDIS_URL, "producer");
  // Both Redis checks wait for the first connection: the worker check used to race it and report
  // "Stream isn't writeable" on the first probe after start (found by the API fuzz suite).
  const connected = redis.status === "wait" ? redis.connect() : Promise.resolve();
  const [database, redisCheck, workers] = await Promise.all([
    timed(async () => {
      await getDb().$queryRaw`SELECT 1`;
      return "reachable";
    }),
    timed(async () => {
      await connected;
      return (await redis!.ping()) === "PONG" ? "reachable" : "unexpected answer";
    }),
    timed(async () => {
      await connected;
      const live = await liveWorkers(redis!, config.REDIS_PREFIX);
      if (!live.length) throw new Error("no worker heartbeat in the last 30 s: is `npm run worker` running?");
      return `${live.length} worker(s), last beat ${live[0].ageMs} ms ago`;
    }),
  ]);
  const checks = { database, redis: redisCheck, workers };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
