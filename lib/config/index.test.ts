import { describe, expect, it } from "vitest";
import { ConfigError, ownerDatabaseUrl, parseConfig } from ".";

describe("parseConfig", () => {
  it("defaults to sandbox mode with local services", () => {
    const config = parseConfig({});
    expect(config.SWITCHBOARD_MODE).toBe("sandbox");
    expect(config.DATABASE_URL).toBe("postgresql://switchboard_app@127.0.0.1:5432/switchboard");
    expect(ownerDatabaseUrl(config)).toBe("postgresql://postgres@127.0.0.1:5432/switchboard");
    expect(config.PORT).toBe(3000);
  });

  it("names every bad variable", () => {
    expect(() => parseConfig({ PORT: "eighty", REDIS_URL: "http://x" })).toThrow(ConfigError);
    try {
      parseConfig({ PORT: "eighty", REDIS_URL: "http://x" });
    } catch (error) {
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toMatch(/^PORT:/m);
      expect(problems).toMatch(/^REDIS_URL: must be a redis:\/\/ URL/m);
    }
  });

  it("switches to cloud mode when a Databricks host is given, and then requires the cloud settings", () => {
    expect(() => parseConfig({ DATABRICKS_HOST: "https://adb-1.azuredatabricks.net" })).toThrow(
      /ENTRA_CLIENT_ID: is required in cloud mode/,
    );
  });

  it("in cloud mode needs a way to sign in to Airflow when AIRFLOW_URL is set", () => {
    const cloud = {
      DATABRICKS_HOST: "https://adb-1.azuredatabricks.net",
      DATABRICKS_TOKEN: "dapi",
      ENTRA_TENANT_ID: "t",
      ENTRA_CLIENT_ID: "c",
      ENTRA_CLIENT_SECRET: "s",
      KUBERNETES_API_URL: "https://aks",
      PROMETHEUS_URL: "https://prom",
      ARM_TENANT_ID: "t",
      ARM_CLIENT_ID: "a",
      ARM_CLIENT_SECRET: "s",
      AUDIT_CHECKPOINT_CONTAINER_URL: "https://st.blob.core.windows.net/audit-checkpoints",
    };
    expect(parseConfig(cloud).AIRFLOW_URL).toBeUndefined();
    expect(() => parseConfig({ ...cloud, AIRFLOW_URL: "https://airflow.example.com" })).toThrow(
      /AIRFLOW_TOKEN: with AIRFLOW_URL set/,
    );
    expect(
      parseConfig({
        ...cloud,
        AIRFLOW_URL: "https://airflow.example.com",
        AIRFLOW_USERNAME: "switchboard",
        AIRFLOW_PASSWORD: "pw",
      }).AIRFLOW_USERNAME,
    ).toBe("switchboard");
  });

  it("ignores blank values so an empty line in .env means the default", () => {
    expect(parseConfig({ PORT: "" }).PORT).toBe(3000);
  });

  it("paces worker checks and shutdown by config, refusing a zero or fractional interval", () => {
    expect(parseConfig({})).toMatchObject({
      SWITCHBOARD_RUN_POLL_MIN_MS: 2_000,
      SWITCHBOARD_RUN_POLL_MAX_MS: 30_000,
      SWITCHBOARD_ROLLOUT_CHECK_MIN_MS: 1_000,
      SWITCHBOARD_ROLLOUT_CHECK_MAX_MS: 15_000,
      WORKER_SHUTDOWN_GRACE_MS: 25_000,
    });
    expect(parseConfig({ SWITCHBOARD_RUN_POLL_MIN_MS: "200", WORKER_SHUTDOWN_GRACE_MS: "0" })).toMatchObject({
      SWITCHBOARD_RUN_POLL_MIN_MS: 200,
      WORKER_SHUTDOWN_GRACE_MS: 0,
    });
    expect(() => parseConfig({ SWITCHBOARD_RUN_POLL_MIN_MS: "0" })).toThrow(/SWITCHBOARD_RUN_POLL_MIN_MS/);
    expect(() => parseConfig({ SWITCHBOARD_ROLLOUT_CHECK_MAX_MS: "1.5" })).toThrow(
      /SWITCHBOARD_ROLLOUT_CHECK_MAX_MS/,
    );
  });
});

describe("secrets and sessions", () => {
  const ownSecrets = { NEXTAUTH_SECRET: "x".repeat(32), INGEST_SHARED_SECRET: "y".repeat(24) };

  it("refuses the public development secrets in production, in sandbox mode too (npm start, the images)", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(
      /NEXTAUTH_SECRET: in production set a secret[\s\S]*INGEST_SHARED_SECRET: in production/,
    );
    expect(parseConfig({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).NODE_ENV).toBe(
      "production",
    );
    expect(() =>
      parseConfig({
        NODE_ENV: "production",
        ...ownSecrets,
        NEXTAUTH_SECRET: "switchboard-development-session-secret",
      }),
    ).toThrow(/NEXTAUTH_SECRET/);
    expect(() =>
      parseConfig({ NODE_ENV: "production", ...ownSecrets, NEXTAUTH_SECRET: "short-secret" }),
    ).toThrow(/NEXTAUTH_SECRET/);
    expect(() =>
      parseConfig({
        NODE_ENV: "production",
        ...ownSecrets,
        INGEST_SHARED_SECRET: "sandbox-ingest-secret-0001",
      }),
    ).toThrow(/INGEST_SHARED_SECRET/);
    expect(parseConfig({ NODE_ENV: "production", ...ownSecrets }).NEXTAUTH_SECRET).toBe(
      ownSecrets.NEXTAUTH_SECRET,
    );
  });

  it("keeps the development defaults for npm run dev and tests", () => {
    expect(parseConfig({ NODE_ENV: "development" }).INGEST_SHARED_SECRET).toBe("sandbox-ingest-secret-0001");
    expect(parseConfig({ NODE_ENV: "test" }).NEXTAUTH_SECRET).toBeUndefined();
  });

  it("validates session lifetime and idle timeout", () => {
    expect(parseConfig({})).toMatchObject({ SESSION_MAX_AGE_MINUTES: 480, SESSION_IDLE_TIMEOUT_MINUTES: 60 });
    expect(parseConfig({ SESSION_MAX_AGE_MINUTES: "720", SESSION_IDLE_TIMEOUT_MINUTES: "30" })).toMatchObject(
      { SESSION_MAX_AGE_MINUTES: 720, SESSION_IDLE_TIMEOUT_MINUTES: 30 },
    );
    expect(() => parseConfig({ SESSION_MAX_AGE_MINUTES: "60", SESSION_IDLE_TIMEOUT_MINUTES: "90" })).toThrow(
      /SESSION_IDLE_TIMEOUT_MINUTES: must not exceed/,
    );
    expect(() => parseConfig({ SESSION_IDLE_TIMEOUT_MINUTES: "0" })).toThrow(/SESSION_IDLE_TIMEOUT_MINUTES/);
  });

  it("runs migrations as the owner of the same database the app logs in to", () => {
    const config = parseConfig({
      DATABASE_URL: "postgresql://app:pw@db.example:5433/sb?sslmode=require",
      DATABASE_OWNER_URL: "postgresql://owner:pw2@db.example:5433/sb?sslmode=require",
    });
    expect(ownerDatabaseUrl(config)).toBe("postgresql://owner:pw2@db.example:5433/sb?sslmode=require");
    expect(() =>
      parseConfig({
        DATABASE_URL: "postgresql://app@db.example/sb",
        DATABASE_OWNER_URL: "postgresql://owner@db.example/other",
      }),
    ).toThrow(/DATABASE_OWNER_URL: must name the same/);
  });
});

describe(".env.example", () => {
  it("documents every variable the config reads", async () => {
    const { readFile } = await import("node:fs/promises");
    const { configVariableNames } = await import(".");
    const example = await readFile(new URL("../../.env.example", import.meta.url), "utf8");
    const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    expect(configVariableNames.filter((name) => name !== "NODE_ENV" && !documented.has(name))).toEqual([]);
  });
});
