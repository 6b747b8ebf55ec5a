import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import pg from "pg";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { e2eEnv, realMlflowEnv } from "./env";

// Starts the e2e stack from a clean slate: fresh databases and an empty Redis prefix each run.
// `--real-mlflow` starts the second stack, whose MLflow is the real server (e2e/env.ts).
const settings = process.argv.includes("--real-mlflow") ? realMlflowEnv : e2eEnv;
const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
await admin.connect();
for (const url of [settings.DATABASE_URL, settings.SANDBOX_DATABASE_URL]) {
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
}
await admin.end();

const redis = new Redis(settings.REDIS_URL);
await deleteRedisPrefix(redis, settings.REDIS_PREFIX);
redis.disconnect();

const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
// The specs read the sandbox's PromQL (its week of history); a Prometheus beside it would only cost CPU and port 9090.
const stack = spawn("npx", ["tsx", "scripts/stack.ts", "--production", "--without-prometheus"], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stack.kill(signal));
stack.on("exit", (code) => process.exit(code ?? 0));
