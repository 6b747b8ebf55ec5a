import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createCloudClients, describeSystems } from "./cloud";
import { parseConfig } from "./config";

describe("createCloudClients", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());

  // The sandbox serves the Prometheus API, so it stands in for "some other Prometheus" here; SANDBOX_URL points nowhere.
  it("queries PROMETHEUS_URL in sandbox mode with PROMETHEUS_TOKEN, never the sandbox's token", async () => {
    const elsewhere = {
      SWITCHBOARD_MODE: "sandbox",
      SANDBOX_URL: "http://127.0.0.1:9",
      SANDBOX_TOKEN: sandbox.token,
      PROMETHEUS_URL: sandbox.url,
    };
    const [sample] = await createCloudClients(
      parseConfig({ ...elsewhere, PROMETHEUS_TOKEN: sandbox.token }),
      "interactive",
    ).prometheus.query({ query: "vector(7)" });
    expect(sample.value).toBe(7);
    await expect(
      createCloudClients(parseConfig(elsewhere), "interactive").prometheus.query({ query: "vector(7)" }),
    ).rejects.toMatchObject({ status: 401 });
    // The header's indicator says so, and only for Prometheus.
    expect(describeSystems(parseConfig(elsewhere)).filter((system) => !system.isSandbox)).toEqual([
      { name: "Prometheus", isSandbox: false },
    ]);
  });
});
