import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { customerFeatureRows } from "../data/telco";
import { buildCloudEvents, buildInstance, EventPoster } from "./payloads";
import { seededRandom } from "./sampling";

const request = {
  namespace: "models",
  service: "churn-classifier",
  revision: "churn-classifier-predictor-00002",
  endpoint: "default" as const,
  mode: "all" as const,
  drift: {},
};

describe("buildCloudEvents", () => {
  it("builds a request and a response sharing ce-id, as KServe's logger does", () => {
    const [req, res] = buildCloudEvents(request, seededRandom(1));
    expect(req.headers).toMatchObject({
      "ce-type": "org.kubeflow.serving.inference.request",
      "ce-specversion": "1.0",
      "ce-inferenceservicename": "churn-classifier",
      "ce-namespace": "models",
      "ce-endpoint": "default",
      "ce-component": "predictor",
    });
    expect(res.headers["ce-type"]).toBe("org.kubeflow.serving.inference.response");
    expect(res.headers["ce-id"]).toBe(req.headers["ce-id"]);
    const { instances } = JSON.parse(req.body);
    expect(instances[0]).toMatchObject({
      tenure_months: expect.any(Number),
      contract_type: expect.any(String),
    });
    expect(JSON.parse(res.body).predictions).toHaveLength(instances.length);
    expect(buildCloudEvents({ ...request, mode: "request" }, seededRandom(1))).toHaveLength(1);
  });

  it("draws churn-classifier inputs from the training population, and shifts a drifted feature", () => {
    const draw = (drift: Record<string, number>) => {
      const random = seededRandom(3);
      return Array.from({ length: 4000 }, () => buildInstance("churn-classifier", drift, random));
    };
    const mean = (rows: Array<Record<string, number | string>>, name: string) =>
      rows.reduce((sum, row) => sum + Number(row[name]), 0) / rows.length;
    const share = (rows: Array<Record<string, number | string>>, name: string, value: string) =>
      rows.filter((row) => row[name] === value).length / rows.length;
    const training = customerFeatureRows(4000);
    const live = draw({});
    // Means within a tenth of a standard deviation (the sampling error here is about a fortieth).
    const spreads = {
      tenure_months: 21,
      monthly_charges: 24,
      data_usage_gb: 11,
      dropped_call_rate: 0.012,
      support_tickets: 1.2,
    };
    for (const [name, spread] of Object.entries(spreads))
      expect(Math.abs(mean(live, name) - mean(training as never, name)) / spread, name).toBeLessThan(0.1);
    for (const value of ["direct-debit", "credit-card", "bank-transfer", "cash"])
      expect(
        Math.abs(share(live, "payment_method", value) - share(training as never, "payment_method", value)),
        value,
      ).toBeLessThan(0.03);
    expect(
      mean(draw({ monthly_charges: 2 }), "monthly_charges") - mean(live, "monthly_charges"),
    ).toBeGreaterThan(40);
    expect(share(draw({ payment_method: 3 }), "payment_method", "cash")).toBeGreaterThan(0.7);
  });
});

describe("EventPoster", () => {
  it("pauses after the ingest fails instead of piling up requests", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const errors: unknown[] = [];
    const poster = new EventPoster(`http://127.0.0.1:${port}/ingest`, "secret", (error) =>
      errors.push(error),
    );
    poster.enqueue(buildCloudEvents(request, seededRandom(2)));
    for (let i = 0; i < 50 && poster.failed === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(poster.failed).toBeGreaterThan(0);
    expect(poster.isAvailable).toBe(false);
    expect(errors).toHaveLength(1);
    poster.enqueue(buildCloudEvents(request, seededRandom(3)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(poster.delivered).toBe(0);
    expect(poster.failed).toBeLessThanOrEqual(2);
  });
});
