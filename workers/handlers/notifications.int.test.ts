import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import type { AppError } from "@/lib/errors";
import { createRedis } from "@/lib/queue/connection";
import { createJobProducer } from "@/lib/queue/producer";
import { startWorkers, type HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { notificationHandlers, postWebhook } from "./notifications";

const serverUrl = (process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres").replace(/\/[^/]*$/, "");
const databaseName = `webhook_test_${randomBytes(5).toString("hex")}`;
const databaseUrl = `${serverUrl}/${databaseName}`;
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A chat tool's incoming webhook: answers with the queued statuses, then 200, and keeps every body. */
function startReceiver() {
  const bodies: unknown[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      bodies.push(JSON.parse(raw));
      response.statusCode = statuses.shift() ?? 200;
      response.end(response.statusCode === 200 ? "1" : "error");
    });
  });
  return { server, bodies, statuses };
}

describe("webhook.notify", () => {
  let db: PrismaClient;
  const receiver = startReceiver();
  let url: string;

  beforeAll(async () => {
    await applyMigrations({ databaseUrl, migrationsDir: fileURLToPath(new URL("../../prisma/migrations", import.meta.url)), createDatabase: true });
    db = createPrismaClient(databaseUrl);
    receiver.server.listen(0, "127.0.0.1");
    await once(receiver.server, "listening");
    url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    receiver.server.close();
    await db?.$disconnect();
    const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  });

  it("posts a Teams/Slack message for a new request, retrying through the job's attempts after failures", async () => {
    const user = await db.user.create({ data: { entraObjectId: "oid-dana", name: "Dana Nguyen", roles: ["DataScientist"] } });
    const request = await db.promotionRequest.create({
      data: { registry: "WORKSPACE", modelName: "churn-classifier", version: "4", targetStage: "Production", justification: "Better AUC", evidence: {}, gateResults: [], gatesPassed: true, requestedById: user.id },
    });
    const { seq } = await recordAuditEvent(db, { actor: { oid: "oid-dana", name: "Dana Nguyen" }, action: "promotion.requested", entityType: "PromotionRequest", entityId: request.id, after: { justification: "Better AUC", status: "OPEN" } });

    receiver.statuses.push(503, 500);
    const prefix = `webhook-test-${randomBytes(4).toString("hex")}`;
    const connection = createRedis(redisUrl, "worker");
    const producerConnection = createRedis(redisUrl, "producer");
    const producer = createJobProducer(producerConnection, prefix);
    const log = pino({ level: "silent" });
    const deps = { db, log, config: { NOTIFY_WEBHOOK_URL: url, APP_URL: "https://switchboard.example" } } as unknown as WorkerDeps;
    const manager = startWorkers({ connection, prefix, handlers: notificationHandlers as HandlerRegistry<WorkerDeps>, deps, log, queues: ["webhook"] });
    try {
      await producer.enqueue("webhook.notify", { auditSeq: seq.toString() }, { jobId: `webhook-${seq}` });
      const deadline = Date.now() + 25_000;
      while (receiver.bodies.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await manager.close();
      await producer.close();
      await Promise.all([connection.quit(), producerConnection.quit()]);
    }
    expect(receiver.bodies).toHaveLength(3);
    expect(receiver.bodies[2]).toMatchObject({
      text: `Dana Nguyen requests promotion of churn-classifier v4 to stage Production: “Better AUC” <https://switchboard.example/approvals/${request.id}|Open in Switchboard>`,
      "@type": "MessageCard",
      potentialAction: [{ targets: [{ uri: `https://switchboard.example/approvals/${request.id}` }] }],
    });
  }, 40_000);

  it("treats 4xx as unrecoverable and 5xx, 429 and no answer as retryable", async () => {
    receiver.statuses.push(404, 429, 502);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await postWebhook(url, { text: "x" }).then(() => null, (e: AppError) => e.retryable));
    expect(outcomes).toEqual([false, true, true]);
    const unreachable = await postWebhook("http://127.0.0.1:9/hook", { text: "x" }).catch((e: AppError) => e);
    expect(unreachable).toMatchObject({ code: "UNAVAILABLE", retryable: true });
  });
});
