import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createCloudClients, describeSystems } from "./cloud";
import { parseConfig } from "./config";

describe("which system is real and which the sandbox", () => {
  it("is all sandbox by default", () => {
    expect(describeSystems(parseConfig({})).filter((s) => !s.isSandbox)).toEqual([]);
  });

  it("uses a team's own MLflow in sandbox mode, with its token, and keeps the rest sandboxed", async () => {
    const seen: Array<{ url?: string; authorization?: string }> = [];
    const server = createServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.setHeader("content-type", "application/json").end(JSON.stringify({ experiments: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const tracking = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const config = parseConfig({ MLFLOW_TRACKING_URI: tracking, MLFLOW_TRACKING_TOKEN: "team-token" });
      expect(config.SWITCHBOARD_MODE).toBe("sandbox");
      expect(describeSystems(config)).toEqual([
        { name: "Databricks", isSandbox: true },
        { name: "MLflow", isSandbox: false },
        { name: "KServe", isSandbox: true },
        { name: "Prometheus", isSandbox: true },
      ]);
      await createCloudClients(config).mlflow.searchExperiments();
      expect(seen).toEqual([
        { url: "/api/2.0/mlflow/experiments/search", authorization: "Bearer team-token" },
      ]);
    } finally {
      server.close();
    }
  });

  it("keeps the sandbox's MLflow for MLFLOW_TRACKING_URI=databricks in sandbox mode", () => {
    expect(
      describeSystems(parseConfig({ MLFLOW_TRACKING_URI: "databricks" })).find((s) => s.name === "MLflow"),
    ).toEqual({ name: "MLflow", isSandbox: true });
  });

  it("refuses a tracking URI that is neither databricks nor a URL", () => {
    expect(() => parseConfig({ MLFLOW_TRACKING_URI: "file:///tmp/mlruns" })).toThrow(
      /MLFLOW_TRACKING_URI: must be "databricks" or an http\(s\) URL/,
    );
  });
});
