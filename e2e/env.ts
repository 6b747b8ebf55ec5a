import { testStackSecrets } from "../lib/testing/secrets";

/**
 * The e2e stack's settings: its own ports, databases and Redis prefix, so a run never touches a
 * developer's data. E2E_INSTANCE (a small number) shifts ports and names so two runs can share a machine.
 */
const instance = Number(process.env.E2E_INSTANCE ?? 0);
const suffix = instance ? `_${instance}` : "";
/**
 * Ports on the Fetch standard's "bad port" list, which Node's fetch refuses to connect to; the ones a
 * stack's ports can reach are listed (4190 is sieve: E2E_INSTANCE=8 would land on it).
 * https://fetch.spec.whatwg.org/#port-blocking
 */
const fetchBlockedPorts = new Set([3659, 4045, 4190, 5060, 5061]);
/** The first port from `port` on that fetch allows, with the five after it (a stack uses +0, +1, +5, +6). */
const allowedPort = (port: number): number =>
  [0, 1, 5, 6].some((offset) => fetchBlockedPorts.has(port + offset)) ? allowedPort(port + 7) : port;
const appPort = allowedPort(3100 + instance * 10);
const sandboxPort = allowedPort(4110 + instance * 10);

export const e2eEnv = {
  NODE_ENV: "production" as const,
  SWITCHBOARD_MODE: "sandbox",
  PORT: String(appPort),
  INGEST_PORT: String(appPort + 1),
  APP_URL: `http://localhost:${appPort}`,
  NEXTAUTH_URL: `http://localhost:${appPort}`,
  SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
  SANDBOX_TOKEN: "sandbox-dev-token",
  // The app runs as its least-privilege login, as in production; migrations as the owner.
  DATABASE_URL: `postgresql://switchboard_app@127.0.0.1:5432/switchboard_e2e${suffix}`,
  DATABASE_OWNER_URL: `postgresql://postgres@127.0.0.1:5432/switchboard_e2e${suffix}`,
  SANDBOX_DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/switchboard_e2e_sandbox${suffix}`,
  REDIS_URL: "redis://127.0.0.1:6379/0",
  REDIS_PREFIX: `switchboard-e2e${suffix}`,
  SANDBOX_SPEED: "20",
  // Five times the default share of requests posted as payload events, so the drift spec sees its
  // shifted requests arrive within a minute or two even on a busy machine.
  SANDBOX_PAYLOAD_SAMPLE_RATE: "0.1",
  LOG_LEVEL: "warn",
  // Production refuses the public development secrets, so the test stack brings its own.
  ...testStackSecrets,
  NEXT_TELEMETRY_DISABLED: "1",
  // The sandbox's own MLflow, whatever the shell running the tests exports.
  MLFLOW_TRACKING_URI: "",
} satisfies Record<string, string>;

/** A real MLflow server (CI starts one from ../shared/mlflow-server): e2e/real-mlflow.spec.ts runs against it when set. */
export const realMlflowUrl = process.env.E2E_REAL_MLFLOW_URL || undefined;

/**
 * The second stack e2e/real-mlflow.spec.ts drives: sandbox mode with MLflow alone pointed at the real
 * server (MLFLOW_TRACKING_URI), on ports, databases and a Redis prefix of its own. The first stack keeps
 * the sandbox's seeded MLflow that every other spec relies on.
 */
export const realMlflowEnv = {
  ...e2eEnv,
  PORT: String(appPort + 5),
  INGEST_PORT: String(appPort + 6),
  APP_URL: `http://localhost:${appPort + 5}`,
  NEXTAUTH_URL: `http://localhost:${appPort + 5}`,
  SANDBOX_URL: `http://127.0.0.1:${sandboxPort + 5}`,
  DATABASE_URL: `postgresql://switchboard_app@127.0.0.1:5432/switchboard_e2e_real${suffix}`,
  DATABASE_OWNER_URL: `postgresql://postgres@127.0.0.1:5432/switchboard_e2e_real${suffix}`,
  SANDBOX_DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/switchboard_e2e_real_sandbox${suffix}`,
  REDIS_PREFIX: `switchboard-e2e-real${suffix}`,
  MLFLOW_TRACKING_URI: realMlflowUrl ?? "",
  // Nothing here reads generated serving history: skip the week of backfill.
  SANDBOX_TRAFFIC_BACKFILL_DAYS: "0",
} satisfies Record<string, string>;

export type DemoLogin = "dana" | "sam" | "riley" | "morgan" | "alex" | "omar" | "ada";
export const storageStatePath = (login: DemoLogin) => `e2e/.auth/${login}.json`;
