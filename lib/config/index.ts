import { z } from "zod";

/**
 * The one description of Switchboard's environment, shared by the web app, workers, sandbox and
 * scripts. Every variable is listed here with its default; README.md and .env.example mirror it.
 */
const optional = z.string().trim().min(1).optional();
/** Public values (they are in this file), accepted only outside production: `npm run dev` and tests. */
const developmentSessionSecret = "switchboard-development-session-secret";
const developmentIngestSecret = "sandbox-ingest-secret-0001";
const url = z.url({ protocol: /^https?$/ });

const variables = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** cloud: real Azure, Databricks, KServe. sandbox: the local emulators. Default: sandbox unless DATABRICKS_HOST is set. */
  SWITCHBOARD_MODE: z.enum(["cloud", "sandbox"]).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public URL of the web app, used for sign-in redirects (NEXTAUTH_URL). */
  APP_URL: url.default("http://localhost:3000"),
  NEXTAUTH_SECRET: optional,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  /**
   * OpenTelemetry tracing, off unless an OTLP endpoint or OTEL_TRACES_EXPORTER is set (lib/telemetry).
   * The standard names: the SDK and its exporter read them too, so they are validated here only.
   */
  OTEL_SDK_DISABLED: z.enum(["true", "false"]).optional(),
  OTEL_TRACES_EXPORTER: z.enum(["otlp", "console", "none"]).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .literal("http/protobuf", {
      error: "only http/protobuf is supported (OTLP over HTTP, port 4318; not gRPC)",
    })
    .optional(),
  /** e.g. `api-key=...` for a collector that wants one; never logged. */
  OTEL_EXPORTER_OTLP_HEADERS: optional,
  /** Overrides the per-process name (switchboard-web, switchboard-worker, ...). */
  OTEL_SERVICE_NAME: optional,
  OTEL_RESOURCE_ATTRIBUTES: optional,
  OTEL_TRACES_SAMPLER: z
    .enum([
      "always_on",
      "always_off",
      "traceidratio",
      "parentbased_always_on",
      "parentbased_always_off",
      "parentbased_traceidratio",
    ])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),

  /** The app's login (web, workers, ingest): a member of switchboard_app, never the tables' owner. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .default("postgresql://switchboard_app@127.0.0.1:5432/switchboard"),
  /** The tables' owner, for migrations only; default: DATABASE_URL's database as the local `postgres` superuser. */
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .default("redis://127.0.0.1:6379/0"),
  /** Key prefix for every BullMQ queue, so several installations (or test runs) can share a Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:-]+$/)
    .default("switchboard"),

  SANDBOX_URL: url.default("http://127.0.0.1:4010"),
  SANDBOX_TOKEN: z.string().min(8).default("sandbox-dev-token"),
  SANDBOX_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .default("postgresql://postgres@127.0.0.1:5432/switchboard_sandbox"),
  /** Multiplies the sandbox's simulated time: 1 looks alive in a demo; tests use larger values. */
  SANDBOX_SPEED: z.coerce.number().positive().default(1),

  ENTRA_TENANT_ID: optional,
  ENTRA_CLIENT_ID: optional,
  ENTRA_CLIENT_SECRET: optional,

  DATABRICKS_HOST: url.optional(),
  /** Personal access token; only used when no service principal (ARM_*) is configured. */
  DATABRICKS_TOKEN: optional,
  DATABRICKS_SQL_WAREHOUSE_ID: optional,
  /** Service principal for Databricks, the names Databricks' own tools read. */
  ARM_TENANT_ID: optional,
  ARM_CLIENT_ID: optional,
  ARM_CLIENT_SECRET: optional,

  /** "databricks" (the workspace's hosted MLflow) or the URL of an MLflow server; a URL is used in sandbox mode too. */
  MLFLOW_TRACKING_URI: z
    .string()
    .trim()
    .refine(
      (value) => value === "databricks" || (/^https?:\/\//.test(value) && URL.canParse(value)),
      'must be "databricks" or an http(s) URL of an MLflow server',
    )
    .optional(),
  MLFLOW_TRACKING_TOKEN: optional,

  KUBERNETES_API_URL: url.optional(),
  KUBERNETES_TOKEN: optional,
  KSERVE_NAMESPACE: z.string().default("models"),
  PROMETHEUS_URL: url.optional(),
  PROMETHEUS_TOKEN: optional,
  /** Which metrics the cluster exports: Knative queue-proxy (revision_app_request_*) or KServe's model server (request_predict_seconds). */
  PROMETHEUS_METRIC_SCHEME: z.enum(["knative", "kserve"]).default("knative"),
  /** Unity Catalog table holding Great-Expectations-style validation results. */
  DATA_QUALITY_RESULTS_TABLE: z
    .string()
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, "must be catalog.schema.table")
    .default("main.quality.expectation_results"),
  /** Airflow webserver base URL (stable REST API v1 at $AIRFLOW_URL/api/v1); without it in cloud mode the Pipelines area says it is not set up. */
  AIRFLOW_URL: url.optional(),
  /** Bearer token Airflow's API accepts; otherwise basic auth (airflow.api.auth.backend.basic_auth) with the user below. */
  AIRFLOW_TOKEN: optional,
  AIRFLOW_USERNAME: optional,
  AIRFLOW_PASSWORD: optional,
  /**
   * Azure Data Factory: the factory whose pipelines the Pipelines area shows next to Airflow's DAGs, read
   * through ARM with the ARM_* service principal. All three or none; the sandbox serves its own factory.
   */
  ADF_SUBSCRIPTION_ID: optional,
  ADF_RESOURCE_GROUP: optional,
  ADF_FACTORY_NAME: optional,
  /** Feast registry server (`feast serve_registry --rest-api`; its API is $FEAST_REGISTRY_URL/api/v1); without it in cloud mode the Features area says it is not set up. */
  FEAST_REGISTRY_URL: url.optional(),
  /** Bearer token the registry server accepts (its OIDC or Kubernetes auth); unset when it runs without auth. */
  FEAST_REGISTRY_TOKEN: optional,
  /** The Feast project Switchboard shows (feature_store.yaml `project`). */
  FEAST_PROJECT: z
    .string()
    .trim()
    .regex(/^\w+$/, "must be a Feast project name (letters, digits, _)")
    .default("telco_churn"),

  /** Shared secret KServe's payload logger presents to the ingest endpoint. */
  INGEST_SHARED_SECRET: z.string().min(16).default(developmentIngestSecret),
  /** Port of the ingest process (`npm run ingest`), the canonical home of /api/ingest/kserve. */
  INGEST_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** Ingest processes to fork (node:cluster) sharing INGEST_PORT; its increments are additive, so they scale out. */
  INGEST_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** Where the sandbox's payload logger posts; default the ingest process, http://127.0.0.1:$INGEST_PORT/api/ingest/kserve. */
  SANDBOX_INGEST_URL: url.optional(),
  /** Optional Teams/Slack incoming-webhook URL for promotion notifications. */
  NOTIFY_WEBHOOK_URL: url.optional(),

  /** The launch form's cost estimate: price of one Databricks DBU (jobs compute) and its ISO 4217 currency. */
  DATABRICKS_DBU_PRICE: z.coerce.number().positive().default(0.3),
  DATABRICKS_DBU_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as AUD")
    .default("USD"),
  /** Training-run status checks: the first soon after submit, then doubling up to the max. Tests lower them. */
  SWITCHBOARD_RUN_POLL_MIN_MS: z.coerce.number().int().positive().default(2_000),
  SWITCHBOARD_RUN_POLL_MAX_MS: z.coerce.number().int().positive().default(30_000),
  /** KServe rollout checks, paced the same way. */
  SWITCHBOARD_ROLLOUT_CHECK_MIN_MS: z.coerce.number().int().positive().default(1_000),
  SWITCHBOARD_ROLLOUT_CHECK_MAX_MS: z.coerce.number().int().positive().default(15_000),
  /** Metric copies made ahead of time: experiments opened or compared within this many days are watched. */
  MLFLOW_SYNC_WATCH_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** The worker's load on MLflow: calls per second (all jobs together, per worker process) and mlflow queue jobs at once. */
  MLFLOW_SYNC_CALLS_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
  MLFLOW_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  /** On SIGTERM a worker takes no new jobs and gives the ones in hand this long; then they stall and retry elsewhere. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),

  /** A session ends this long after sign-in, and after this long without a request; sign-out ends it at once. */
  SESSION_MAX_AGE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(8 * 60),
  SESSION_IDLE_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),

  /**
   * Write-once store for the audit chain's checkpoints: an Azure Blob container with a locked
   * time-based retention policy (https://<account>.blob.core.windows.net/<container>), signed in
   * with the workers' service principal; in sandbox mode the sandbox's emulation of it.
   */
  AUDIT_CHECKPOINT_CONTAINER_URL: url.optional(),
  /** How often the worker checkpoints the chain head: the longest window in which a deleted tail goes unnoticed. */
  AUDIT_CHECKPOINT_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});

/** Every variable Switchboard reads, for documentation checks. */
export const configVariableNames = Object.keys(variables.shape);

const schema = variables
  .transform((env) => ({
    ...env,
    SWITCHBOARD_MODE: env.SWITCHBOARD_MODE ?? (env.DATABRICKS_HOST ? "cloud" : "sandbox"),
  }))
  .superRefine((env, ctx) => {
    const need = (name: keyof typeof env, why: string) => {
      if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `is required ${why}` });
    };
    if (env.SWITCHBOARD_MODE === "cloud") {
      for (const name of [
        "ENTRA_TENANT_ID",
        "ENTRA_CLIENT_ID",
        "ENTRA_CLIENT_SECRET",
        "DATABRICKS_HOST",
        "KUBERNETES_API_URL",
        "PROMETHEUS_URL",
        "AUDIT_CHECKPOINT_CONTAINER_URL",
      ] as const) {
        need(name, "in cloud mode");
      }
      if (!(env.ARM_TENANT_ID && env.ARM_CLIENT_ID && env.ARM_CLIENT_SECRET)) {
        // The audit checkpoints' container accepts Entra tokens only; Databricks may take a PAT instead.
        ctx.addIssue({
          code: "custom",
          path: ["ARM_CLIENT_ID"],
          message:
            "in cloud mode set ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (Azure Storage for the audit checkpoints, and Databricks unless DATABRICKS_TOKEN is set)",
        });
      }
    }
    if (
      env.SWITCHBOARD_MODE === "cloud" &&
      env.AIRFLOW_URL &&
      !env.AIRFLOW_TOKEN &&
      !(env.AIRFLOW_USERNAME && env.AIRFLOW_PASSWORD)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["AIRFLOW_TOKEN"],
        message: "with AIRFLOW_URL set AIRFLOW_TOKEN, or AIRFLOW_USERNAME and AIRFLOW_PASSWORD",
      });
    }
    const adf = [env.ADF_SUBSCRIPTION_ID, env.ADF_RESOURCE_GROUP, env.ADF_FACTORY_NAME];
    if (adf.some(Boolean) && !adf.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["ADF_FACTORY_NAME"],
        message: "set ADF_SUBSCRIPTION_ID, ADF_RESOURCE_GROUP and ADF_FACTORY_NAME together, or none of them",
      });
    }
    if (env.DATABASE_OWNER_URL && !sameDatabase(env.DATABASE_OWNER_URL, env.DATABASE_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_OWNER_URL"],
        message: "must name the same server and database as DATABASE_URL (only the login differs)",
      });
    }
    if (env.SESSION_IDLE_TIMEOUT_MINUTES > env.SESSION_MAX_AGE_MINUTES) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_IDLE_TIMEOUT_MINUTES"],
        message: "must not exceed SESSION_MAX_AGE_MINUTES",
      });
    }
  });

export type Config = z.output<typeof schema>;

/**
 * Production (`npm start`, the images, the e2e stack) refuses the public development secrets:
 * with them anyone could mint a session cookie with every role, or post payload events.
 */
function productionSecretProblems(config: Config): string[] {
  if (config.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (
    !config.NEXTAUTH_SECRET ||
    config.NEXTAUTH_SECRET === developmentSessionSecret ||
    config.NEXTAUTH_SECRET.length < 32
  ) {
    problems.push(
      "NEXTAUTH_SECRET: in production set a secret of at least 32 characters of your own (openssl rand -base64 32)",
    );
  }
  if (config.INGEST_SHARED_SECRET === developmentIngestSecret)
    problems.push(
      "INGEST_SHARED_SECRET: in production set a secret of your own, not the public development default",
    );
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = schema.safeParse(blanksRemoved);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  // `next build` runs with NODE_ENV=production but needs no secrets: the built server checks them as it starts.
  if (result.success && env.NEXT_PHASE !== "phase-production-build")
    problems.push(...productionSecretProblems(result.data));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

let cached: Config | undefined;

/** The process's configuration, parsed once. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** The secret next-auth signs sessions with; a fixed development value outside production. */
export function sessionSecret(config: Config): string {
  return config.NEXTAUTH_SECRET ?? developmentSessionSecret;
}

/** The checkpoint container; in sandbox mode by default the sandbox's emulated storage account. */
export function auditCheckpointContainerUrl(config: Config): string {
  return config.AUDIT_CHECKPOINT_CONTAINER_URL ?? `${config.SANDBOX_URL}/blob/switchboard/audit-checkpoints`;
}

function sameDatabase(a: string, b: string): boolean {
  const where = (value: string) => {
    const url = new URL(value);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  };
  return where(a) === where(b);
}

/** Session lifetime and idle timeout in milliseconds. */
export function sessionLimits(config: Config) {
  return {
    maxAgeMs: config.SESSION_MAX_AGE_MINUTES * 60_000,
    idleTimeoutMs: config.SESSION_IDLE_TIMEOUT_MINUTES * 60_000,
  };
}

/** Where migrations run: the tables' owner. Locally (no DATABASE_OWNER_URL) the `postgres` superuser on DATABASE_URL's database. */
export function ownerDatabaseUrl(config: Config): string {
  if (config.DATABASE_OWNER_URL) return config.DATABASE_OWNER_URL;
  const url = new URL(config.DATABASE_URL);
  url.username = "postgres";
  url.password = "";
  return url.toString();
}

/** Session cookies are `__Secure-` prefixed and HTTPS-only when the app is served over HTTPS. */
export function secureSessionCookie(config: Config): boolean {
  return config.APP_URL.startsWith("https://");
}
