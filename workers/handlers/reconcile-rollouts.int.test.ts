import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createRedis } from "@/lib/queue/connection";
import { createJobProducer, type JobProducer } from "@/lib/queue/producer";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import type { WorkerDeps } from "../registry";
import { reconcileRollouts } from "./reconcile-rollouts";
import { jobIds } from "@/lib/queue/job-ids";

let database: TestDatabase;
let db: PrismaClient;
let producer: JobProducer;
let redis: ReturnType<typeof createRedis>;
let deps: WorkerDeps;

beforeAll(async () => {
  database = await createTestDatabase("reconcile_rollouts");
  const prefix = `test-${database.name}`;
  db = createPrismaClient(database.url);
  redis = createRedis("redis://127.0.0.1:6379/0", "worker");
  producer = createJobProducer(redis, prefix);
  deps = {
    config: parseConfig({ DATABASE_URL: database.url, REDIS_PREFIX: prefix }),
    db,
    redis,
    producer,
    clients: undefined as never,
    log: pino({ level: "silent" }),
  };
});

afterAll(async () => {
  await Promise.all(
    ["mlflow", "kserve"].map((queue) => producer.queue(queue as "mlflow").obliterate({ force: true })),
  );
  await producer.close();
  redis.disconnect();
  await db.$disconnect();
  await database.drop();
});

async function seedStaleWork() {
  const user = await db.user.create({
    data: { entraObjectId: randomBytes(8).toString("hex"), name: "Dana Nguyen", roles: ["DataScientist"] },
  });
  const request = await db.promotionRequest.create({
    data: {
      registry: "WORKSPACE",
      modelName: "churn-classifier",
      version: "5",
      targetStage: "Production",
      justification: "better AUC",
      status: "APPROVED",
      evidence: {},
      gateResults: [],
      gatesPassed: true,
      requestedById: user.id,
    },
  });
  const deployment = await db.deployment.create({
    data: {
      action: "CANARY",
      status: "IN_PROGRESS",
      namespace: "models",
      serviceName: "churn-classifier",
      canaryPercent: 10,
      storageUri: "models:/churn-classifier/5",
      requestedById: user.id,
    },
  });
  // Ten minutes without progress, as if the worker's jobs had been lost with Redis.
  await db.$executeRaw`UPDATE promotion_requests SET updated_at = now() - interval '10 minutes'`;
  await db.$executeRaw`UPDATE deployments SET updated_at = now() - interval '10 minutes'`;
  return { requestId: request.id, deploymentId: deployment.id };
}

describe("reconcileRollouts", () => {
  it("re-enqueues an approved request and an in-flight deployment whose jobs are gone, once", async () => {
    const { requestId, deploymentId } = await seedStaleWork();
    expect(await reconcileRollouts(deps, deps.log)).toEqual({ requeued: 2 });

    const apply = await producer.queue("mlflow").getJob(jobIds.applyPromotion(requestId));
    expect(apply?.data).toMatchObject({ requestId });
    const checks = await producer.queue("kserve").getJobs(["waiting", "delayed"]);
    expect(checks.map((job) => job.data.deploymentId)).toEqual([deploymentId]);
    expect(checks[0].id).toMatch(new RegExp(`^deploy-${deploymentId}-check-\\d+$`));

    // Their jobs are queued now, so a second pass adds nothing.
    expect(await reconcileRollouts(deps, deps.log)).toEqual({ requeued: 0 });
  });

  it("leaves recent and finished work alone", async () => {
    await db.promotionRequest.updateMany({ data: { status: "APPLIED" } });
    await db.deployment.updateMany({ data: { status: "SUCCEEDED" } });
    await producer.queue("mlflow").obliterate({ force: true });
    await producer.queue("kserve").obliterate({ force: true });
    expect(await reconcileRollouts(deps, deps.log)).toEqual({ requeued: 0 });
  });
});
