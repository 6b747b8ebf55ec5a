import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from ".";

describe("parseConfig", () => {
  it("defaults to sandbox mode with local services", () => {
    const config = parseConfig({});
    expect(config.SWITCHBOARD_MODE).toBe("sandbox");
    expect(config.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/switchboard");
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
    expect(() => parseConfig({ DATABRICKS_HOST: "https://adb-1.azuredatabricks.net" })).toThrow(/ENTRA_CLIENT_ID: is required in cloud mode/);
  });

  it("in cloud mode needs a way to sign in to Airflow when AIRFLOW_URL is set", () => {
    const cloud = { DATABRICKS_HOST: "https://adb-1.azuredatabricks.net", DATABRICKS_TOKEN: "dapi", ENTRA_TENANT_ID: "t", ENTRA_CLIENT_ID: "c", ENTRA_CLIENT_SECRET: "s", KUBERNETES_API_URL: "https://aks", PROMETHEUS_URL: "https://prom" };
    expect(parseConfig(cloud).AIRFLOW_URL).toBeUndefined();
    expect(() => parseConfig({ ...cloud, AIRFLOW_URL: "https://airflow.example.com" })).toThrow(/AIRFLOW_TOKEN: with AIRFLOW_URL set/);
    expect(parseConfig({ ...cloud, AIRFLOW_URL: "https://airflow.example.com", AIRFLOW_USERNAME: "switchboard", AIRFLOW_PASSWORD: "pw" }).AIRFLOW_USERNAME).toBe("switchboard");
  });

  it("ignores blank values so an empty line in .env means the default", () => {
    expect(parseConfig({ PORT: "" }).PORT).toBe(3000);
  });

  it("paces worker checks and shutdown by config, refusing a zero or fractional interval", () => {
    expect(parseConfig({})).toMatchObject({ SWITCHBOARD_RUN_POLL_MIN_MS: 2_000, SWITCHBOARD_RUN_POLL_MAX_MS: 30_000, SWITCHBOARD_ROLLOUT_CHECK_MIN_MS: 1_000, SWITCHBOARD_ROLLOUT_CHECK_MAX_MS: 15_000, WORKER_SHUTDOWN_GRACE_MS: 25_000 });
    expect(parseConfig({ SWITCHBOARD_RUN_POLL_MIN_MS: "200", WORKER_SHUTDOWN_GRACE_MS: "0" })).toMatchObject({ SWITCHBOARD_RUN_POLL_MIN_MS: 200, WORKER_SHUTDOWN_GRACE_MS: 0 });
    expect(() => parseConfig({ SWITCHBOARD_RUN_POLL_MIN_MS: "0" })).toThrow(/SWITCHBOARD_RUN_POLL_MIN_MS/);
    expect(() => parseConfig({ SWITCHBOARD_ROLLOUT_CHECK_MAX_MS: "1.5" })).toThrow(/SWITCHBOARD_ROLLOUT_CHECK_MAX_MS/);
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
