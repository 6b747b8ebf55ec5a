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

  it("ignores blank values so an empty line in .env means the default", () => {
    expect(parseConfig({ PORT: "" }).PORT).toBe(3000);
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
