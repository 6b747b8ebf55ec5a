import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import {
  buildReferenceBins,
  buildReferenceCategories,
  featureDefinitionsSchema,
  type FeatureDefinition,
} from "@/lib/domain/drift/bins";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { createSecretCheck } from "./cloud-event";
import { IngestService } from "./ingest-service";
import { createIngestServer, type IngestServer } from "./server";
import { createIngestStore } from "./store";
import { loggerHeaders as eventHeaders, storedOutcomeCounts } from "@/lib/testing/ingest";

const secret = "server-test-secret-0123456789";
const repo = fileURLToPath(new URL("../..", import.meta.url));

const loggerHeaders = (overrides: Record<string, string | undefined> = {}) =>
  eventHeaders(secret, overrides, "scoring");
const counters = storedOutcomeCounts;

/** A chunked POST (no content-length), written in pieces, as a streaming client sends it. */
function postChunked(
  url: string,
  headers: Record<string, string>,
  pieces: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } },
      (response) => {
        let body = "";
        response
          .setEncoding("utf8")
          .on("data", (chunk: string) => (body += chunk))
          .on("end", () => resolve({ status: response.statusCode!, body }));
      },
    );
    // The server may answer 413 and close before every piece is written.
    outgoing.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error),
    );
    for (const piece of pieces) outgoing.write(piece);
    outgoing.end();
  });
}

describe("the ingest process's HTTP server against PostgreSQL", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let service: IngestService;
  let ingest: IngestServer;
  let base: string;
  let definitions: FeatureDefinition[];

  beforeAll(async () => {
    database = await createTestDatabase("ingest_server");
    db = createPrismaClient(database.url);
    const tenure = buildReferenceBins(Array.from({ length: 500 }, (_, i) => i % 72));
    const plan = buildReferenceCategories(
      Array.from({ length: 500 }, (_, i) => ["monthly", "yearly"][i % 2]),
    );
    definitions = [
      {
        name: "tenure_months",
        kind: "numeric",
        edges: tenure.edges,
        reference: tenure.counts,
        referenceStd: tenure.std,
      },
      { name: "plan", kind: "categorical", categories: plan.categories, reference: plan.counts },
    ];
    await db.driftMonitor.create({
      data: {
        namespace: "models",
        serviceName: "scoring",
        modelName: "scoring",
        modelVersion: "1",
        features: definitions as object[],
      },
    });
    service = new IngestService({
      store: createIngestStore(db),
      // The monitor lookup's cloud half (KServe, MLflow, SQL) is ingest.int.test.ts's subject; here it reads the seeded row.
      resolveMonitor: async (namespace, serviceName) => {
        const monitor = await db.driftMonitor.findFirst({ where: { namespace, serviceName } });
        return monitor
          ? {
              monitor: {
                id: monitor.id,
                features: featureDefinitionsSchema.parse(monitor.features),
                windowMinutes: monitor.windowMinutes,
              },
            }
          : { unavailable: "no monitor" };
      },
      flushIntervalMs: 60_000,
    });
    service.start();
    ingest = createIngestServer({
      context: { service, isAuthorized: createSecretCheck(secret), maxBytes: 64 * 1024 },
      log: pino({ level: "silent" }),
      checkDatabase: async () => void (await db.$queryRaw`SELECT 1`),
    });
    base = `http://127.0.0.1:${await ingest.listen(0, "127.0.0.1")}`;
  });

  afterAll(async () => {
    await ingest?.close(1_000);
    await db?.$disconnect();
    await database?.drop();
  });

  const post = (body: string, headers = loggerHeaders()) =>
    fetch(`${base}/api/ingest/kserve`, { method: "POST", headers, body });

  it("answers liveness, readiness and unknown routes", async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: { ok: true } } });
    const get = await fetch(`${base}/api/ingest/kserve`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await fetch(`${base}/api/other`, { method: "POST" })).status).toBe(404);
  });

  it("refuses what the Next route refuses, with the same codes and error shape, and counts each", async () => {
    const body = JSON.stringify({ instances: [{ tenure_months: 3, plan: "monthly" }] });
    const before = await counters(db);
    const wrongSecret = await post(body, loggerHeaders({ authorization: `Bearer ${secret}x` }));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({
      error: {
        code: "UNAUTHENTICATED",
        message: "Present the ingest shared secret as a bearer token.",
        details: { reason: "unauthorized" },
      },
    });
    expect((await post(body, loggerHeaders({ authorization: undefined }))).status).toBe(401);
    expect((await post(body, loggerHeaders({ "ce-type": "com.example.other" }))).status).toBe(400);
    const malformed = await post("{not json", loggerHeaders());
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: "BAD_REQUEST", details: { reason: "invalid-json" } },
    });
    expect((await post(body, loggerHeaders({ "content-type": "text/csv" }))).status).toBe(415);
    expect((await post(body, loggerHeaders({ "ce-time": "2020-01-01T00:00:00Z" }))).status).toBe(400);

    const oversized = JSON.stringify({
      instances: Array.from({ length: 3_000 }, () => ({ tenure_months: 12, plan: "yearly" })),
    });
    expect(oversized.length).toBeGreaterThan(64 * 1024);
    const declared = await post(oversized);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      error: {
        code: "PAYLOAD_TOO_LARGE",
        message: "An event may carry at most 65536 bytes.",
        details: { reason: "too-large" },
      },
    });
    // Chunked bodies declare no length: the cap is enforced while reading.
    const pieces = Array.from({ length: 10 }, (_, i) => oversized.slice(i * 10_000, (i + 1) * 10_000));
    const chunked = await postChunked(`${base}/api/ingest/kserve`, loggerHeaders(), pieces);
    expect(chunked.status).toBe(413);
    const batchHeaders = loggerHeaders({ "content-type": "application/cloudevents-batch+json" });
    expect((await postChunked(`${base}/api/ingest/kserve`, batchHeaders, pieces)).status).toBe(413);
    expect((await post(JSON.stringify({ not: "an array" }), batchHeaders)).status).toBe(400);
    // A small chunked event within the cap is read whole.
    expect(
      (await postChunked(`${base}/api/ingest/kserve`, loggerHeaders(), [body.slice(0, 10), body.slice(10)]))
        .status,
    ).toBe(202);

    await service.flush();
    const after = await counters(db);
    const added = Object.fromEntries(
      Object.entries(after)
        .map(([outcome, count]) => [outcome, count - (before[outcome] ?? 0)])
        .filter(([, count]) => count !== 0),
    );
    expect(added).toMatchObject({
      unauthorized: 2,
      "invalid-event": 2,
      "invalid-json": 1,
      "unsupported-media-type": 1,
      "stale-event": 1,
      "too-large": 3,
    });
  });

  it("aggregates single events and CloudEvents batches into the monitor's windows", async () => {
    const monitor = await db.driftMonitor.findFirstOrThrow({ where: { serviceName: "scoring" } });
    const windowStart = Math.floor(Date.now() / 300_000) * 300_000;
    const time = new Date(windowStart + 1_000).toISOString();
    // The first event resolves the monitor; until then events count as unmonitored.
    for (let tries = 0; service.stats().monitors === 0; tries++) {
      expect(
        (
          await post(
            JSON.stringify({ instances: [{ tenure_months: 1, plan: "monthly" }] }),
            loggerHeaders({ "ce-time": time }),
          )
        ).status,
      ).toBe(202);
      if (tries > 50) throw new Error("the monitor was not resolved");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await service.flush();
    const totalBefore =
      (
        await db.featureWindow.findUnique({
          where: {
            monitorId_windowStart_feature: {
              monitorId: monitor.id,
              windowStart: new Date(windowStart),
              feature: "plan",
            },
          },
        })
      )?.total ?? 0;

    const single = await post(
      JSON.stringify({
        instances: [
          { tenure_months: 5, plan: "monthly" },
          { tenure_months: 60, plan: "yearly" },
        ],
      }),
      loggerHeaders({ "ce-time": time }),
    );
    expect([single.status, await single.json()]).toEqual([202, { accepted: true }]);
    const structured = (data: unknown, extra: Record<string, unknown> = {}) => ({
      specversion: "1.0",
      id: randomBytes(6).toString("hex"),
      type: "org.kubeflow.serving.inference.request",
      source: "test",
      time,
      inferenceservicename: "scoring",
      namespace: "models",
      data,
      ...extra,
    });
    const batch = await post(
      JSON.stringify([
        structured({ instances: [{ tenure_months: 7, plan: "yearly" }] }),
        structured({
          instances: [
            { tenure_months: 8, plan: "weekly" },
            { tenure_months: 9, plan: "monthly" },
          ],
        }),
        structured({ predictions: [0.3] }, { type: "org.kubeflow.serving.inference.response" }),
        structured({ instances: [] }, { specversion: "0.3" }),
      ]),
      loggerHeaders({ "content-type": "application/cloudevents-batch+json" }),
    );
    expect(batch.status).toBe(202);
    expect(await batch.json()).toEqual({
      outcomes: { "accepted-request": 2, "accepted-response": 1, "invalid-event": 1 },
    });

    await service.flush();
    const rows = await db.featureWindow.findMany({
      where: { monitorId: monitor.id, windowStart: new Date(windowStart) },
    });
    const plan = rows.find((row) => row.feature === "plan")!;
    expect(plan.total - totalBefore).toBe(5);
    expect(rows.find((row) => row.feature === "tenure_months")!.total - totalBefore).toBe(5);
  });

  it("on close, finishes the request in flight, refuses readiness, then flushes what it buffered", async () => {
    const closingService = new IngestService({
      store: createIngestStore(db),
      resolveMonitor: async () => ({ unavailable: "not needed" }),
      flushIntervalMs: 60_000,
    });
    closingService.start();
    const server = createIngestServer({
      context: { service: closingService, isAuthorized: createSecretCheck(secret) },
      log: pino({ level: "silent" }),
      checkDatabase: async () => {},
    });
    const url = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const stored = async (outcome: string) =>
      (await db.ingestCounter.findUnique({ where: { hourStart_outcome: { hourStart: hour, outcome } } }))
        ?.count ?? 0;
    const unauthorizedBefore = await stored("unauthorized");
    const unmonitoredBefore = await stored("unmonitored");
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${url}/api/ingest/kserve`, { method: "POST", body: "{}" })).status).toBe(401);

    // A body still arriving when close begins: its answer must still come.
    const body = JSON.stringify({ instances: [{ tenure_months: 1 }] });
    const inFlight = new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(
        `${url}/api/ingest/kserve`,
        { method: "POST", headers: { ...loggerHeaders(), "content-length": String(body.length) } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      );
      outgoing.on("error", reject);
      outgoing.flushHeaders();
      setTimeout(() => outgoing.end(body), 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close(5_000);
    expect((await fetch(`${url}/readyz`).catch(() => undefined))?.status ?? "refused").not.toBe(200);
    expect(await inFlight).toBe(202);
    await closed;
    expect(server.server.listening).toBe(false);
    expect([
      (await stored("unauthorized")) - unauthorizedBefore,
      (await stored("unmonitored")) - unmonitoredBefore,
    ]).toEqual([3, 1]);
  });
});

describe("npm run ingest (scripts/ingest.ts)", () => {
  let database: TestDatabase;
  let db: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase("ingest_process");
    db = createPrismaClient(database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("serves on INGEST_PORT and flushes its buffer to the database on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/ingest.ts"], {
      cwd: repo,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        INGEST_PORT: String(port),
        INGEST_SHARED_SECRET: secret,
        SANDBOX_URL: "http://127.0.0.1:9",
        LOG_LEVEL: "info",
        SWITCHBOARD_SERVICE: "ingest",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      for (
        let waited = 0;
        !(await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        ));
        waited += 200
      ) {
        if (waited > 30_000) throw new Error(`the ingest process did not become ready:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (
            await fetch(`${base}/api/ingest/kserve`, {
              method: "POST",
              headers: loggerHeaders(),
              body: JSON.stringify({ instances: [{ x: i }] }),
            })
          ).status,
        );
      statuses.push(
        (
          await fetch(`${base}/api/ingest/kserve`, {
            method: "POST",
            headers: loggerHeaders({ authorization: "Bearer nope" }),
            body: "{}",
          })
        ).status,
      );
      expect(statuses).toEqual([202, 202, 202, 202, 202, 401]);
      // The buffer is also flushed each second, so this proves the wiring (clean exit, data stored);
      // the flush on close itself is proven above.
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect(await counters(db)).toEqual({ unmonitored: 5, unauthorized: 1 });
    expect(output).toContain("stopped cleanly");
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}
