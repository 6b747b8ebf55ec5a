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
