import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import type * as ExperimentsDal from "./experiments";

/** Pinning an experiment for background copying: admins only, the experiment must exist, each real change audited once. */

const person = (roles: CurrentUser["roles"]): CurrentUser => ({
  id: randomUUID(),
  oid: randomUUID(),
  name: roles.join(" "),
  email: null,
  roles,
});
const [admin, dataScientist, riskOfficer] = [
  person(["Admin"]),
  person(["DataScientist"]),
  person(["ModelRiskOfficer"]),
];

describe("pinning an experiment", () => {
  let database: TestDatabase;
  let sandbox: RunningSandbox;
  let db: PrismaClient;
  let dal: typeof ExperimentsDal;
  let experimentId: string;

  beforeAll(async () => {
    database = await createTestDatabase("experiment_pin_test");
    sandbox = await startSandbox();
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      SANDBOX_URL: sandbox.url,
      SANDBOX_TOKEN: sandbox.token,
    });
    const mlflow = createMlflowClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    ({ experimentId } = await mlflow.ensureExperiment(`/Shared/pin-${randomUUID().slice(0, 6)}`));
    dal = await import("./experiments");
    db = createPrismaClient(database.url);
  }, 60_000);

  afterAll(async () => {
    await db?.$disconnect();
    const { getDb } = await import("@/lib/db/client");
    await getDb().$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  const audit = () =>
    db.auditEvent.findMany({
      where: { entityType: "WatchedExperiment", entityId: experimentId },
      orderBy: { seq: "asc" },
      select: { action: true, actorName: true, before: true, after: true },
    });

  it("refuses everyone but admins, and writes nothing", async () => {
    for (const user of [dataScientist, riskOfficer])
      await expect(dal.setExperimentPinned(user, experimentId, true)).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    expect(await db.watchedExperiment.count()).toBe(0);
    expect(await audit()).toEqual([]);
  });

  it("answers not found for an experiment MLflow does not have", async () => {
    await expect(dal.setExperimentPinned(admin, "987654321", true)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await db.watchedExperiment.count()).toBe(0);
  });

  it("pins and unpins, audits each change once, and records nothing when nothing changes", async () => {
    expect(await dal.setExperimentPinned(admin, experimentId, true)).toMatchObject({
      experimentId,
      isPinned: true,
    });
    await Promise.all([
      dal.setExperimentPinned(admin, experimentId, true),
      dal.setExperimentPinned(admin, experimentId, true),
    ]);
    expect((await dal.getExperiment(admin, experimentId)).isPinned).toBe(true);
    expect(await db.watchedExperiment.findUnique({ where: { experimentId } })).toMatchObject({
      isPinned: true,
    });
    await dal.setExperimentPinned(admin, experimentId, false);
    expect((await dal.getExperiment(dataScientist, experimentId)).isPinned).toBe(false);
    expect(await audit()).toEqual([
      {
        action: "experiment.pinned",
        actorName: "Admin",
        before: { isPinned: false },
        after: expect.objectContaining({ isPinned: true }),
      },
      {
        action: "experiment.unpinned",
        actorName: "Admin",
        before: { isPinned: true },
        after: expect.objectContaining({ isPinned: false }),
      },
    ]);
  });
});
