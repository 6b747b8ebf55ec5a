import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "./testing";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());

describe("sandbox server", () => {
  it("refuses a request without a bearer token in the service's error shape", async () => {
    const databricks = await fetch(`${sandbox.url}/api/2.2/jobs/runs/list`);
    expect(databricks.status).toBe(401);
    expect(await databricks.json()).toMatchObject({ error_code: "UNAUTHENTICATED" });
    const kubernetes = await fetch(
      `${sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices`,
    );
    expect(kubernetes.status).toBe(401);
    expect(await kubernetes.json()).toMatchObject({ kind: "Status", code: 401, reason: "Unauthorized" });
    const prometheus = await fetch(`${sandbox.url}/api/v1/query?query=up`, {
      headers: { authorization: "Bearer wrong" },
    });
    expect(prometheus.status).toBe(401);
    expect(await prometheus.json()).toMatchObject({ status: "error" });
  });

  it("injects a 429 with Retry-After for the next matching request only", async () => {
    await sandbox.injectFaults([{ path: "^/api/2.2/jobs/", status: 429, retryAfterSeconds: 3, times: 1 }]);
    const headers = { authorization: `Bearer ${sandbox.token}` };
    const first = await fetch(`${sandbox.url}/api/2.2/jobs/nothing-here`, { headers });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect(await first.json()).toMatchObject({ error_code: "REQUEST_LIMIT_EXCEEDED" });
    const second = await fetch(`${sandbox.url}/api/2.2/jobs/nothing-here`, { headers });
    expect(second.status).toBe(404);
    expect(await second.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
  });

  it("rejects an invalid fault rule with a clear message", async () => {
    const response = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: "POST",
      headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" },
      body: JSON.stringify({ rules: [{ status: 200 }] }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/path/);
  });
});

describe("sandbox shutdown", () => {
  it("closes at once when a response finishes after close began, leaving its connection idle", async () => {
    const own = await startSandbox();
    await own.injectFaults([{ path: "^/api/2.0/mlflow/experiments/search", latencyMs: 400, times: 1 }]);
    // The request is in flight when close() begins, so its keep-alive connection is not idle yet:
    // before the fix the server then waited for Fastify's 72 s keepAliveTimeout.
    const late = fetch(`${own.url}/api/2.0/mlflow/experiments/search?max_results=1`, {
      headers: { authorization: `Bearer ${own.token}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = own.close().then(() => "closed" as const);
    const stuck = new Promise<"stuck">((resolve) => setTimeout(() => resolve("stuck"), 30_000).unref());
    expect((await late).status).toBe(200);
    expect(await Promise.race([closed, stuck])).toBe("closed");
  }, 45_000);

  it("closes at once beside a connection a client opened and never used", async () => {
    const own = await startSandbox();
    // What an HTTP client's pool leaves when the request it connected for is aborted: before the fix
    // the server waited for Node's 60 s headersTimeout.
    const silent = net.connect(Number(new URL(own.url).port), "127.0.0.1");
    await new Promise((resolve) => silent.once("connect", resolve));
    const closed = own.close().then(() => "closed" as const);
    const stuck = new Promise<"stuck">((resolve) => setTimeout(() => resolve("stuck"), 30_000).unref());
    expect(await Promise.race([closed, stuck])).toBe("closed");
    silent.destroy();
  }, 45_000);
});
