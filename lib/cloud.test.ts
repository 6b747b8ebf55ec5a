import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudClients } from "./cloud";
import { parseConfig } from "./config";

describe("createCloudClients", () => {
  let server: Server;
  let url: string;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    // Stands in for a Prometheus: answers every instant query with one sample.
    server = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "7"] }] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("queries PROMETHEUS_URL in sandbox mode, without the sandbox's token", async () => {
    const config = parseConfig({ SWITCHBOARD_MODE: "sandbox", PROMETHEUS_URL: url, SANDBOX_URL: "http://127.0.0.1:9" });
    const [sample] = await createCloudClients(config, "interactive").prometheus.query({ query: "vector(7)" });
    expect(sample.value).toBe(7);
    expect(seen.at(-1)?.authorization).toBeUndefined();
    const withToken = parseConfig({ SWITCHBOARD_MODE: "sandbox", PROMETHEUS_URL: url, PROMETHEUS_TOKEN: "prometheus-secret" });
    await createCloudClients(withToken, "interactive").prometheus.query({ query: "vector(7)" });
    expect(seen.at(-1)?.authorization).toBe("Bearer prometheus-secret");
  });
});
