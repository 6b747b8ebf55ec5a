import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { ConfigError, ownerDatabaseUrl, parseConfig, type Config } from "@/lib/config";
import { applyMigrations, MigrationError } from "@/lib/db/migrate";
import { demoPeople } from "@/sandbox/oidc/people";
import { findPrometheus, preparePrometheus, scrapeTargetOf } from "@/sandbox/prometheus/real-prometheus";

/**
 * `npm run dev` / `npm start`: checks PostgreSQL and Redis, applies migrations, then runs the web
 * app, the worker, the ingest process and (in sandbox mode) the local cloud and a real Prometheus
 * scraping it (when the binary is installed) together, and prints where to sign in.
 * `--real-prometheus` makes the app query that Prometheus instead of the sandbox's (docs/decisions/011);
 * `--without-prometheus` starts none.
 */
// A developer's .env (copied from .env.example) applies to every process started here.
if (existsSync(".env")) process.loadEnvFile(".env");

const { values } = parseArgs({
  options: {
    production: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    "real-prometheus": { type: "boolean", default: false },
    "without-prometheus": { type: "boolean", default: false },
    "prometheus-port": { type: "string", default: "9090" },
  },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError)
    fail(`${error.message}\nFix the variables above (see .env.example), then start again.`);
  throw error;
}

async function checkPostgres(url: string) {
  const target = new URL(url);
  target.pathname = "/postgres";
  const client = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    fail(
      `PostgreSQL is not reachable at ${new URL(url).host} (DATABASE_URL): ${(error as Error).message}.\n` +
        `  Start it (Debian: pg_ctlcluster 15 main start; Docker: docker compose up -d postgres) or point DATABASE_URL at a running server.`,
    );
  }
}

async function checkRedis(url: string) {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    const policy = ((await redis.config("GET", "maxmemory-policy")) as string[])[1];
    if (policy && policy !== "noeviction")
      console.warn(`! Redis maxmemory-policy is ${policy}; BullMQ needs noeviction or it may lose jobs.`);
  } catch (error) {
    fail(
      `Redis is not reachable at ${new URL(url).host} (REDIS_URL): ${(error as Error).message}.\n` +
        `  Start it (redis-server --daemonize yes; Docker: docker compose up -d redis) or point REDIS_URL at a running server.`,
    );
  } finally {
    redis.disconnect();
  }
}

// As the owner: the app's login may not exist until the migrations create it.
await checkPostgres(ownerDatabaseUrl(config));
await checkRedis(config.REDIS_URL);
await applyMigrations({
  databaseUrl: ownerDatabaseUrl(config),
  appDatabaseUrl: config.DATABASE_URL,
  migrationsDir: path.join(root, "prisma/migrations"),
  createDatabase: true,
  log: values.quiet ? () => {} : (line) => console.log(`[migrate] ${line}`),
}).catch((error: unknown) => {
  if (error instanceof MigrationError) fail(`${error.code}: ${error.message}`);
  throw error;
});

if (values.production && !existsSync(path.join(root, ".next/BUILD_ID")))
  fail("No production build found: run `npm run build` first.");

const children: ChildProcess[] = [];
const colours = { sandbox: 35, worker: 33, web: 36, ingest: 32, prometheus: 34 } as const;

/** An `optional` process (Prometheus) may exit without stopping the rest. */
function run(
  name: keyof typeof colours,
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  optional = false,
) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const label = `\x1b[${colours[name]}m[${name}]\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      if (!values.quiet) for (const line of lines) process.stdout.write(label + line + "\n");
    });
  }
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    if (optional) return console.error(`${label}exited (${signal ?? code}); carrying on without it.`);
    console.error(`${label}exited (${signal ?? code}); stopping everything.`);
    void shutdown(1);
  });
  children.push(child);
  return child;
}

let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map((child) =>
      child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : undefined,
    ),
  );
  process.exit(code);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

async function isUp(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

async function waitFor(url: string, name: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  fail(`${name} did not come up at ${url} within ${timeoutMs / 1000} s; see its output above.`);
}

const nodeEnv = values.production ? "production" : "development";
// First, so it is listening by the time the sandbox's payload logger starts posting to it.
run("ingest", bin("tsx"), ["scripts/ingest.ts"], { NODE_ENV: nodeEnv, SWITCHBOARD_SERVICE: "ingest" });
/** A real Prometheus scraping the sandbox's /metrics, unless PROMETHEUS_URL names one already; returns the banner line. */
async function startPrometheus(): Promise<string> {
  if (config.PROMETHEUS_URL) return `Metrics  ${config.PROMETHEUS_URL} (PROMETHEUS_URL)`;
  if (values["without-prometheus"]) return "Metrics  the sandbox's own PromQL";
  const binary = findPrometheus();
  if (!binary) {
    console.warn(
      "! No prometheus binary on PATH (Debian: apt-get install prometheus): the sandbox answers PromQL itself.",
    );
    return "Metrics  the sandbox's own PromQL (Prometheus is not installed)";
  }
  const launch = preparePrometheus({
    binary,
    port: Number(values["prometheus-port"]),
    target: scrapeTargetOf(config.SANDBOX_URL),
  });
  process.once("exit", () => rmSync(launch.directory, { recursive: true, force: true }));
  const child = run("prometheus", launch.command, launch.args, {}, true);
  if (!(await isUp(`${launch.url}/-/ready`, child, 30_000))) {
    console.warn(
      `! Prometheus did not start on ${launch.url} (see its output above): the sandbox answers PromQL itself.`,
    );
    return "Metrics  the sandbox's own PromQL (Prometheus did not start)";
  }
  if (values["real-prometheus"]) appEnv.PROMETHEUS_URL = launch.url;
  return values["real-prometheus"]
    ? `Metrics  ${launch.url} (a real Prometheus scraping the sandbox; the app queries it, history from now on)`
    : `Metrics  the sandbox's own PromQL, with a week of history; a real Prometheus scrapes it at ${launch.url} (--real-prometheus to use it)`;
}
/** Set for the web app and the worker when they should query the Prometheus started here. */
const appEnv: Record<string, string> = {};
let prometheusLine = "";
if (config.SWITCHBOARD_MODE === "sandbox") {
  run("sandbox", bin("tsx"), ["sandbox/main.ts"], { NODE_ENV: nodeEnv, SWITCHBOARD_SERVICE: "sandbox" });
  await waitFor(`${config.SANDBOX_URL}/__sandbox/health`, "The sandbox");
  prometheusLine = await startPrometheus();
}

run("worker", bin("tsx"), ["workers/main.ts"], {
  NODE_ENV: nodeEnv,
  SWITCHBOARD_SERVICE: "worker",
  ...appEnv,
});
run("web", bin("next"), [values.production ? "start" : "dev", "-p", String(config.PORT)], {
  NODE_ENV: nodeEnv,
  NEXTAUTH_URL: config.APP_URL,
  NEXT_TELEMETRY_DISABLED: "1",
  ...appEnv,
});
await waitFor(`http://127.0.0.1:${config.INGEST_PORT}/healthz`, "The ingest process");
await waitFor(`${config.APP_URL}/api/health`, "The web app");

console.log(`
\x1b[1mSwitchboard is running\x1b[0m (${config.SWITCHBOARD_MODE} mode, ${nodeEnv})
  Open     ${config.APP_URL}
  Ready?   ${config.APP_URL}/api/ready
  Ingest   http://127.0.0.1:${config.INGEST_PORT}/api/ingest/kserve (KServe payload loggers post here)${config.SWITCHBOARD_MODE === "sandbox" ? `\n  Sandbox  ${config.SANDBOX_URL} (token ${config.SANDBOX_TOKEN})\n  ${prometheusLine}` : ""}
${
  config.SWITCHBOARD_MODE === "sandbox"
    ? `\n  Sign in as any of these people on the sandbox identity provider's page:\n${demoPeople.map((p) => `    ${p.name.padEnd(14)} ${p.roles.join(", ").padEnd(32)} ${p.description}`).join("\n")}\n`
    : ""
}
  Stop with Ctrl+C.
`);
