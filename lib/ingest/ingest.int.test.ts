import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKServeClient } from "@/lib/clients/kserve";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { createSqlClient } from "@/lib/clients/sql";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { categoricalHistogram, featureDefinitionsSchema, histogram } from "@/lib/domain/drift/bins";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import {
  previousVersionAnnotation,
  servedModelAnnotation,
  servedVersionAnnotation,
} from "@/lib/domain/rollout/serving-map";
import { createSecretCheck } from "./cloud-event";
import { handleIngestRequest, type IngestRequestContext } from "./handle-request";
import { IngestService } from "./ingest-service";
import { resolveMonitor } from "./monitors";
import { createIngestStore } from "./store";
import { loggerHeaders as eventHeaders, storedOutcomeCounts } from "@/lib/testing/ingest";

const secret = "test-ingest-secret-0123456789";

const loggerHeaders = (overrides: Record<string, string | undefined> = {}) => eventHeaders(secret, overrides);

const post = (
  context: IngestRequestContext,
  body: BodyInit,
  headers: Record<string, string> = loggerHeaders(),
) =>
  handleIngestRequest(
    new Request("http://app.test/api/ingest/kserve", {
      method: "POST",
      headers,
      body,
      duplex: "half",
    } as RequestInit),
    context,
  );

describe("payload-logger ingest against PostgreSQL and the sandbox", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  let context: IngestRequestContext;
  let service: IngestService;

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    database = await createTestDatabase("ingest_test");
    db = createPrismaClient(database.url);
    const getToken = async () => sandbox.token;
    const clients = {
      kserve: createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" }),
      mlflow: createMlflowClient({ baseUrl: sandbox.url, getToken }),
      sql: createSqlClient({
        baseUrl: sandbox.url,
        getToken,
        warehouseId: "sandbox-warehouse",
        pollIntervalMs: 50,
      }),
    };
    service = new IngestService({
      store: createIngestStore(db),
      resolveMonitor: (namespace, name, sample) => resolveMonitor({ db, clients }, namespace, name, sample),
    });
    context = { service, isAuthorized: createSecretCheck(secret) };
  });

  afterAll(async () => {
    await service?.stop();
    await db?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  const counters = () => storedOutcomeCounts(db);

  it("refuses bad events with 4xx and counts each reason", async () => {
    const body = JSON.stringify({ instances: [{ tenure_months: 3 }] });
    expect((await post(context, body, loggerHeaders({ authorization: undefined }))).status).toBe(401);
    expect((await post(context, body, loggerHeaders({ authorization: `Bearer ${secret}x` }))).status).toBe(
      401,
    );
    expect((await post(context, body, loggerHeaders({ "ce-type": "com.example.other" }))).status).toBe(400);
    expect((await post(context, body, loggerHeaders({ "ce-id": undefined }))).status).toBe(400);
    expect((await post(context, "{not json", loggerHeaders())).status).toBe(400);
    expect((await post(context, body, loggerHeaders({ "content-type": "text/csv" }))).status).toBe(415);
    expect((await post(context, body, loggerHeaders({ "ce-time": "2020-01-01T00:00:00Z" }))).status).toBe(
      400,
    );

    const oversized = JSON.stringify({
      instances: Array.from({ length: 40_000 }, () => ({ tenure_months: 12, contract_type: "one-year" })),
    });
    expect(oversized.length).toBeGreaterThan(1024 * 1024);
    const declared = await post(context, oversized);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE", details: { reason: "too-large" } },
    });
    // A chunked body declares no length: the limit is enforced while reading.
    const encoder = new TextEncoder();
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++)
          controller.enqueue(encoder.encode(oversized.slice(i * 60_000, (i + 1) * 60_000)));
        controller.close();
      },
    });
    expect((await post(context, chunked)).status).toBe(413);

    await service.flush();
    expect(await counters()).toMatchObject({
      unauthorized: 2,
      "invalid-event": 2,
      "invalid-json": 1,
      "unsupported-media-type": 1,
      "stale-event": 1,
      "too-large": 2,
    });
  });

  it("creates the monitor from the served version's training data, then aggregates request payloads into window histograms", async () => {
    const first = await post(
      context,
      JSON.stringify({
        instances: [
          { tenure_months: 1, monthly_charges: 20, contract_type: "one-year", dropped_calls_30d: 1 },
        ],
      }),
    );
    expect(first.status).toBe(202);
    const monitor = await waitFor(() =>
      db.driftMonitor.findFirst({ where: { namespace: "models", serviceName: "churn-classifier" } }),
    );
    // The sandbox serves churn-classifier version 2 (storageUri .../churn-classifier/2); MLflow's run names the table.
    expect(monitor).toMatchObject({ modelName: "churn-classifier", modelVersion: "2", windowMinutes: 5 });
    const features = featureDefinitionsSchema.parse(monitor.features);
    // Only columns both in the training table and in the payload; dropped_calls_30d has no reference.
    expect(features.map((feature) => feature.name).sort()).toEqual([
      "contract_type",
      "monthly_charges",
      "tenure_months",
    ]);
    const tenure = features.find((feature) => feature.name === "tenure_months")!;
    const contract = features.find((feature) => feature.name === "contract_type")!;
    if (tenure.kind !== "numeric" || contract.kind !== "categorical")
      throw new Error("unexpected feature kinds");
    expect(tenure.reference.reduce((a, b) => a + b, 0)).toBe(5000);

    await waitFor(async () => (service.stats().monitors === 1 ? true : undefined));
    const windowStart = Math.floor(Date.now() / 300_000) * 300_000;
    const time = new Date(windowStart + 1_000).toISOString();
    const tenures: Array<number | null> = [];
    const contracts: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      const instances = Array.from({ length: 1 + (i % 3) }, (_, j) => ({
        tenure_months: i % 7 === 0 ? null : (i * 5 + j) % 72,
        monthly_charges: 30 + i,
        contract_type: ["month-to-month", "one-year", "two-year", "weekly"][(i + j) % 4],
      }));
      for (const instance of instances) {
        tenures.push(instance.tenure_months);
        contracts.push(instance.contract_type);
      }
      const response = await post(context, JSON.stringify({ instances }), loggerHeaders({ "ce-time": time }));
      expect(response.status).toBe(202);
      // The response shares ce-id; it is validated and counted, not aggregated.
      const reply = await post(
        context,
        JSON.stringify({ predictions: instances.map(() => 0.4) }),
        loggerHeaders({ "ce-time": time, "ce-type": "org.kubeflow.serving.inference.response" }),
      );
      expect(reply.status).toBe(202);
    }
    expect(
      (await post(context, JSON.stringify({ instances: [[1, 2]] }), loggerHeaders({ "ce-time": time })))
        .status,
    ).toBe(400);
    await service.flush();
    // A second flush adds to the stored vectors instead of overwriting them.
    await post(
      context,
      JSON.stringify({ instances: [{ tenure_months: 5, monthly_charges: 50, contract_type: "two-year" }] }),
      loggerHeaders({ "ce-time": time }),
    );
    tenures.push(5);
    contracts.push("two-year");
    await service.flush();

    const rows = await db.featureWindow.findMany({
      where: { monitorId: monitor.id, windowStart: new Date(windowStart) },
    });
    const byFeature = new Map(rows.map((row) => [row.feature, row]));
    expect(byFeature.get("tenure_months")).toMatchObject({
      counts: histogram(tenures, tenure.edges),
      total: tenures.length,
    });
    expect(byFeature.get("contract_type")).toMatchObject({
      counts: categoricalHistogram(contracts, contract.categories),
      total: contracts.length,
    });
    expect(await counters()).toMatchObject({
      "accepted-request": 41,
      "accepted-response": 40,
      "invalid-payload": 1,
      unmonitored: 1,
    });
  });

  it("accepts a JSON batch of structured events, validating and counting each", async () => {
    const windowStart = Math.floor(Date.now() / 300_000) * 300_000;
    const time = new Date(windowStart + 2_000).toISOString();
    const structured = (data: unknown, extra: Record<string, unknown> = {}) => ({
      specversion: "1.0",
      id: randomBytes(6).toString("hex"),
      type: "org.kubeflow.serving.inference.request",
      source: "http://localhost:9081/",
      time,
      inferenceservicename: "churn-classifier",
      namespace: "models",
      endpoint: "default",
      datacontenttype: "application/json",
      data,
      ...extra,
    });
    const monitor = await db.driftMonitor.findFirstOrThrow({ where: { serviceName: "churn-classifier" } });
    const rowsBefore =
      (
        await db.featureWindow.findUnique({
          where: {
            monitorId_windowStart_feature: {
              monitorId: monitor.id,
              windowStart: new Date(windowStart),
              feature: "contract_type",
            },
          },
        })
      )?.total ?? 0;
    const batch = [
      structured({
        instances: [
          { tenure_months: 3, monthly_charges: 20, contract_type: "two-year" },
          { tenure_months: 4, monthly_charges: 21, contract_type: "two-year" },
        ],
      }),
      structured({ instances: [{ tenure_months: 9, monthly_charges: 40, contract_type: "one-year" }] }),
      structured({ instances: [] }, { type: "com.example.unknown" }),
      structured("not json at all {"),
    ];
    const response = await post(
      context,
      JSON.stringify(batch),
      loggerHeaders({ "content-type": "application/cloudevents-batch+json" }),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ outcomes: { "accepted-request": 2, "invalid-event": 2 } });
    await service.flush();
    const row = await db.featureWindow.findUniqueOrThrow({
      where: {
        monitorId_windowStart_feature: {
          monitorId: monitor.id,
          windowStart: new Date(windowStart),
          feature: "contract_type",
        },
      },
    });
    expect(row.total - rowsBefore).toBe(3);
    expect(
      (
        await post(
          context,
          JSON.stringify({ not: "an array" }),
          loggerHeaders({ "content-type": "application/cloudevents-batch+json" }),
        )
      ).status,
    ).toBe(400);
  });

  it("during a 90/10 canary each endpoint feeds the monitor of the version its revision serves", async () => {
    const getToken = async () => sandbox.token;
    const kserve = createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" });
    const live = await kserve.get("churn-classifier", "models");
    const canary = {
      ...live,
      metadata: {
        ...live.metadata,
        annotations: {
          [servedModelAnnotation]: "churn-classifier",
          [servedVersionAnnotation]: "2",
          [previousVersionAnnotation]: "1",
        },
      },
      spec: { ...live.spec, predictor: { ...live.spec.predictor, canaryTrafficPercent: 10 } },
      status: {
        ...live.status,
        components: {
          predictor: {
            latestReadyRevision: "churn-classifier-predictor-00002",
            latestCreatedRevision: "churn-classifier-predictor-00002",
            traffic: [
              { revisionName: "churn-classifier-predictor-00001", percent: 90, tag: "prev" },
              { revisionName: "churn-classifier-predictor-00002", latestRevision: true, percent: 10 },
            ],
          },
        },
      },
    };
    const clients = {
      kserve: { ...kserve, get: async () => canary },
      mlflow: createMlflowClient({ baseUrl: sandbox.url, getToken }),
      sql: createSqlClient({
        baseUrl: sandbox.url,
        getToken,
        warehouseId: "sandbox-warehouse",
        pollIntervalMs: 50,
      }),
    };
    const sample = { instances: [{ tenure_months: 1, monthly_charges: 20, contract_type: "one-year" }] };
    const resolved = async (endpoint: string) => {
      const resolution = await resolveMonitor(
        { db, clients },
        "models",
        "churn-classifier",
        sample,
        endpoint,
      );
      if (!("monitor" in resolution)) throw new Error(resolution.unavailable);
      return db.driftMonitor.findUniqueOrThrow({ where: { id: resolution.monitor.id } });
    };
    expect(await resolved("canary")).toMatchObject({ modelName: "churn-classifier", modelVersion: "2" });
    expect(await resolved("default")).toMatchObject({ modelName: "churn-classifier", modelVersion: "1" });
  });
});

async function waitFor<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
