import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { buildCloudEvents, buildInstance, EventPoster } from "./payloads";
import { seededRandom } from "./sampling";

const request = { namespace: "models", service: "churn-classifier", revision: "churn-classifier-predictor-00002", endpoint: "default" as const, mode: "all" as const, drift: {} };

describe("buildCloudEvents", () => {
  it("builds a request and a response sharing ce-id, as KServe's logger does", () => {
    const [req, res] = buildCloudEvents(request, seededRandom(1));
    expect(req.headers).toMatchObject({ "ce-type": "org.kubeflow.serving.inference.request", "ce-specversion": "1.0", "ce-inferenceservicename": "churn-classifier", "ce-namespace": "models", "ce-endpoint": "default", "ce-component": "predictor" });
    expect(res.headers["ce-type"]).toBe("org.kubeflow.serving.inference.response");
    expect(res.headers["ce-id"]).toBe(req.headers["ce-id"]);
    const { instances } = JSON.parse(req.body);
    expect(instances[0]).toMatchObject({ tenure_months: expect.any(Number), contract_type: expect.any(String) });
    expect(JSON.parse(res.body).predictions).toHaveLength(instances.length);
    expect(buildCloudEvents({ ...request, mode: "request" }, seededRandom(1))).toHaveLength(1);
  });

  it("shifts a drifted numeric feature by standard deviations", () => {
    const mean = (drift: Record<string, number>) => {
      const random = seededRandom(3);
      const values = Array.from({ length: 2000 }, () => buildInstance("churn-classifier", drift, random).monthly_charges as number);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(mean({})).toBeCloseTo(64.5, 0);
    expect(mean({ monthly_charges: 2 }) - mean({})).toBeGreaterThan(40);
  });
});

describe("EventPoster", () => {
  it("pauses after the ingest fails instead of piling up requests", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const errors: unknown[] = [];
    const poster = new EventPoster(`http://127.0.0.1:${port}/ingest`, "secret", (error) => errors.push(error));
    poster.enqueue(buildCloudEvents(request, seededRandom(2)));
    for (let i = 0; i < 50 && poster.failed === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(poster.failed).toBeGreaterThan(0);
    expect(poster.isAvailable).toBe(false);
    expect(errors).toHaveLength(1);
    poster.enqueue(buildCloudEvents(request, seededRandom(3)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(poster.delivered).toBe(0);
    expect(poster.failed).toBeLessThanOrEqual(2);
  });
});
