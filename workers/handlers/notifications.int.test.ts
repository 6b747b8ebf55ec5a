import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import type { AppError } from "@/lib/errors";
import { createRedis } from "@/lib/queue/connection";
import { createJobProducer, type JobProducer } from "@/lib/queue/producer";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startWorkers, type HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { deliverAlertNotification, notificationHandlers, postWebhook } from "./notifications";
import { jobIds } from "@/lib/queue/job-ids";

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

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

describe("webhook.notify", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  const receiver = startReceiver();
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase("webhook_test");
    db = createPrismaClient(database.url);
    receiver.server.listen(0, "127.0.0.1");
    await once(receiver.server, "listening");
    url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  });

  /** A webhook worker on a fresh queue prefix for the length of `work`. */
  async function withWorker(work: (producer: JobProducer) => Promise<void>) {
    const prefix = `webhook-test-${randomBytes(4).toString("hex")}`;
    const connection = createRedis(redisUrl, "worker");
    const producerConnection = createRedis(redisUrl, "producer");
    const producer = createJobProducer(producerConnection, prefix);
    const log = pino({ level: "silent" });
    const deps = {
      db,
      log,
      config: { NOTIFY_WEBHOOK_URL: url, APP_URL: "https://switchboard.example" },
    } as unknown as WorkerDeps;
    const manager = startWorkers({
      connection,
      prefix,
      handlers: notificationHandlers as HandlerRegistry<WorkerDeps>,
      deps,
      log,
      queues: ["webhook"],
    });
    try {
      await work(producer);
    } finally {
      await manager.close();
      await producer.close();
      await Promise.all([connection.quit(), producerConnection.quit()]);
    }
  }

  afterAll(async () => {
    receiver.server.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("posts a Teams/Slack message for a new request, retrying through the job's attempts after failures", async () => {
    const user = await db.user.create({
      data: { entraObjectId: "oid-dana", name: "Dana Nguyen", roles: ["DataScientist"] },
    });
    const request = await db.promotionRequest.create({
      data: {
        registry: "WORKSPACE",
        modelName: "churn-classifier",
        version: "4",
        targetStage: "Production",
        justification: "Better AUC",
        evidence: {},
        gateResults: [],
        gatesPassed: true,
        requestedById: user.id,
      },
    });
    const { seq } = await recordAuditEvent(db, {
      actor: { oid: "oid-dana", name: "Dana Nguyen" },
      action: "promotion.requested",
      entityType: "PromotionRequest",
      entityId: request.id,
      after: { justification: "Better AUC", status: "OPEN" },
    });

    receiver.statuses.push(503, 500);
    await withWorker(async (producer) => {
      await producer.enqueue(
        "webhook.notify",
        { auditSeq: seq.toString() },
        { jobId: jobIds.notifyAudit(seq) },
      );
      await waitUntil(async () => receiver.bodies.length >= 3, 25_000);
    });
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
    for (let i = 0; i < 3; i++)
      outcomes.push(
        await postWebhook(url, { text: "x" }).then(
          () => null,
          (e: AppError) => e.retryable,
        ),
      );
    expect(outcomes).toEqual([false, true, true]);
    const unreachable = await postWebhook("http://127.0.0.1:9/hook", { text: "x" }).catch((e: AppError) => e);
    expect(unreachable).toMatchObject({ code: "UNAVAILABLE", retryable: true });
  });

  describe("webhook.notify-alert", () => {
    const namespace = "models";
    let onCall: string[];

    beforeAll(async () => {
      const people = await Promise.all([
        db.user.create({ data: { entraObjectId: "oid-omar", name: "Omar Haddad", roles: ["OnCall"] } }),
        db.user.create({ data: { entraObjectId: "oid-kai", name: "Kai Moana", roles: ["OnCall", "Admin"] } }),
        db.user.create({
          data: { entraObjectId: "oid-riley", name: "Riley Chen", roles: ["ModelRiskOfficer"] },
        }),
      ]);
      onCall = people.slice(0, 2).map((p) => p.id);
    });

    /** A firing latency alert on its own service, with the notification the evaluation would have written. */
    async function firingAlertNotification(serviceName: string) {
      const rule = await db.alertRule.create({
        data: { namespace, serviceName, kind: "LATENCY_P95", threshold: 500, forMinutes: 0 },
      });
      const alert = await db.alert.create({
        data: {
          ruleId: rule.id,
          state: "FIRING",
          value: 900,
          summary: `p95 latency 900 ms > 500 ms on ${serviceName}-predictor-00002`,
          revisionName: `${serviceName}-predictor-00002`,
          modelVersion: "3",
          firedAt: new Date(),
        },
      });
      return db.alertNotification.create({
        data: { alertId: alert.id, event: "FIRING" },
        select: { id: true },
      });
    }
    const inboxOf = (serviceName: string) =>
      db.notification.findMany({
        where: { link: `/monitoring/${namespace}/${serviceName}` },
        select: { userId: true, title: true },
      });
    const postsAbout = (serviceName: string) =>
      receiver.bodies.filter((body) => (body as { title?: string }).title?.includes(serviceName));

    it("tells each on-call person and the webhook once, through a failed post, a repeated enqueue and a repeated job", async () => {
      const { id } = await firingAlertNotification("fraud-scorer");
      receiver.statuses.push(503);
      await withWorker(async (producer) => {
        const enqueue = () =>
          producer.enqueue("webhook.notify-alert", { notificationId: id }, { jobId: jobIds.notifyAlert(id) });
        await Promise.all([enqueue(), enqueue()]);
        await waitUntil(
          async () => (await db.alertNotification.findUniqueOrThrow({ where: { id } })).completedAt !== null,
          25_000,
        );
        // The next evaluation enqueues undelivered rows again; this one is done, and its job id still exists.
        await enqueue();
        await new Promise((r) => setTimeout(r, 500));
      });
      expect(
        await deliverAlertNotification(
          {
            db,
            config: { NOTIFY_WEBHOOK_URL: url, APP_URL: "https://switchboard.example" },
          } as unknown as WorkerDeps,
          id,
        ),
      ).toEqual({ outcome: "already done" });

      const inbox = await inboxOf("fraud-scorer");
      expect(inbox.map((n) => n.userId).sort()).toEqual([...onCall].sort());
      expect(inbox[0].title).toBe("Firing: fraud-scorer latency p95");
      // One post refused with 503 (retried by the job), one accepted: nothing twice.
      expect(postsAbout("fraud-scorer")).toHaveLength(2);
      expect(postsAbout("fraud-scorer")[1]).toMatchObject({
        title: "Firing: fraud-scorer latency p95",
        potentialAction: [
          { targets: [{ uri: "https://switchboard.example/monitoring/models/fraud-scorer" }] },
          {},
        ],
      });
      expect(
        await db.alertNotification.findUniqueOrThrow({
          where: { id },
          select: { inboxSentAt: true, webhookSentAt: true, outcome: true },
        }),
      ).toMatchObject({ inboxSentAt: expect.any(Date), webhookSentAt: expect.any(Date), outcome: null });
    }, 40_000);

    it("fills each inbox once when two deliveries of the same notification race", async () => {
      const { id } = await firingAlertNotification("credit-limit");
      const withoutWebhook = {
        db,
        config: { NOTIFY_WEBHOOK_URL: undefined, APP_URL: "https://switchboard.example" },
      } as unknown as WorkerDeps;
      await Promise.all([
        deliverAlertNotification(withoutWebhook, id),
        deliverAlertNotification(withoutWebhook, id),
      ]);
      expect((await inboxOf("credit-limit")).map((n) => n.userId).sort()).toEqual([...onCall].sort());
      expect(postsAbout("credit-limit")).toHaveLength(0);
    });

    it("sends nothing while the service is silenced, and records why", async () => {
      const { id } = await firingAlertNotification("loan-default");
      const endsAt = new Date(Date.now() + 30 * 60_000);
      await db.alertSilence.create({
        data: {
          namespace,
          serviceName: "loan-default",
          startsAt: new Date(Date.now() - 1000),
          endsAt,
          reason: "planned retraining",
          createdById: onCall[0],
        },
      });
      await withWorker(async (producer) => {
        await producer.enqueue(
          "webhook.notify-alert",
          { notificationId: id },
          { jobId: jobIds.notifyAlert(id) },
        );
        await waitUntil(
          async () => (await db.alertNotification.findUniqueOrThrow({ where: { id } })).completedAt !== null,
          15_000,
        );
      });
      expect(await inboxOf("loan-default")).toEqual([]);
      expect(postsAbout("loan-default")).toHaveLength(0);
      expect(
        await db.alertNotification.findUniqueOrThrow({
          where: { id },
          select: { outcome: true, inboxSentAt: true },
        }),
      ).toEqual({
        outcome: `not sent: the service is silenced until ${endsAt.toISOString()}`,
        inboxSentAt: null,
      });
    }, 30_000);
  });
});
