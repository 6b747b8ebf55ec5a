import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKServeClient } from "@/lib/clients/kserve";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { parseConfig } from "@/lib/config";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { upsertSignedInUser } from "@/lib/db/users";
import { servedModelAnnotation, servedVersionAnnotation } from "@/lib/domain/rollout/serving-map";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { demoPeople } from "@/sandbox/oidc/people";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { deliverAlertNotification } from "./notifications";
import { alignRegistry, reconcileServing } from "./reconcile-serving";

let sandbox: RunningSandbox;
let database: TestDatabase;
let db: PrismaClient;

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 20 });
  database = await createTestDatabase("reconcile_serving");
  db = createPrismaClient(database.url);
  for (const person of demoPeople) await upsertSignedInUser(db, person);
});

afterAll(async () => {
  await db?.$disconnect();
  await sandbox?.close();
  await database?.drop();
});

describe("reconcileServing", () => {
  it("raises 'registry and serving disagree' once when a service is changed by hand, and closes it when they agree again", async () => {
    const getToken = async () => sandbox.token;
    const kserve = createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" });
    const mlflow = createMlflowClient({ baseUrl: sandbox.url, getToken, sleep: async () => undefined });
    const deps = {
      db,
      config: parseConfig({
        DATABASE_URL: database.url,
        NOTIFY_WEBHOOK_URL: "https://hooks.example.test/alerts",
      }),
      clients: { kserve, mlflow } as never,
    };
    const log = pino({ level: "silent" });
    const production = (await mlflow.getLatestVersions("churn-classifier", ["Production"]))[0].version;
    const annotate = (version: string) =>
      kserve.patch(
        "churn-classifier",
        {
          metadata: {
            annotations: { [servedModelAnnotation]: "churn-classifier", [servedVersionAnnotation]: version },
          },
        },
        { namespace: "models" },
      );

    // The seeded service links to its model only by storage path: a guess, so it is not judged.
    expect(await reconcileServing(deps, log)).toEqual({ opened: 0, resolved: 0, notificationIds: [] });

    await annotate("1");
    const first = await reconcileServing(deps, log);
    expect(first).toMatchObject({ opened: 1, resolved: 0, notificationIds: [expect.any(String)] });
    expect(await reconcileServing(deps, log)).toEqual({ opened: 0, resolved: 0, notificationIds: [] });
    expect(await db.servingMismatch.findFirstOrThrow({ where: { resolvedAt: null } })).toMatchObject({
      serviceName: "churn-classifier",
      servedVersion: "1",
      registryVersion: production,
      target: "Production",
    });
    // A real alert: one FIRING row on the service (the Alerts page reads these), acknowledgeable.
    const alert = await db.alert.findFirstOrThrow({
      where: { rule: { serviceName: "churn-classifier", kind: "REGISTRY_MISMATCH" } },
      select: { id: true, state: true, summary: true, modelVersion: true },
    });
    expect(alert).toMatchObject({
      state: "FIRING",
      summary: `churn-classifier serves churn-classifier v1; the registry's Production is v${production}`,
      modelVersion: "1",
    });
    // Delivered like every alert: on-call's inbox and the webhook.
    const posted: unknown[] = [];
    const post = async (_url: string, body: unknown) => void posted.push(body);
    await deliverAlertNotification(deps, first.notificationIds[0], { post });
    const told = await db.notification.findMany({
      where: { title: "Firing: churn-classifier registry and serving disagree" },
      select: { user: { select: { name: true } }, body: true, link: true },
    });
    expect(told.map((n) => n.user.name)).toEqual(["Omar Haddad"]);
    expect(told[0].body).toContain(`the registry's Production is v${production}`);
    expect(JSON.stringify(posted)).toContain("Firing: churn-classifier registry and serving disagree");

    await annotate(production);
    const second = await reconcileServing(deps, log);
    expect(second).toMatchObject({ opened: 0, resolved: 1, notificationIds: [expect.any(String)] });
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      state: "RESOLVED",
    });
    await deliverAlertNotification(deps, second.notificationIds[0], { post });
    expect(posted).toHaveLength(2);
    const audit = await db.auditEvent.findMany({
      where: { entityId: "models/churn-classifier" },
      orderBy: { seq: "asc" },
      select: { action: true, actorName: true },
    });
    expect(audit).toEqual([
      { action: "serving.mismatch-detected", actorName: "Switchboard worker" },
      { action: "serving.mismatch-resolved", actorName: "Switchboard worker" },
    ]);
  });

  it("one click moves the registry's Production to the version serving, audited, and the alert resolves", async () => {
    const getToken = async () => sandbox.token;
    const kserve = createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" });
    const mlflow = createMlflowClient({ baseUrl: sandbox.url, getToken, sleep: async () => undefined });
    const deps = {
      db,
      config: parseConfig({ DATABASE_URL: database.url }),
      clients: { kserve, mlflow } as never,
    };
    const log = pino({ level: "silent" });
    const production = (await mlflow.getLatestVersions("churn-classifier", ["Production"]))[0].version;
    const serving = production === "1" ? "2" : "1";
    await kserve.patch(
      "churn-classifier",
      {
        metadata: {
          annotations: { [servedModelAnnotation]: "churn-classifier", [servedVersionAnnotation]: serving },
        },
      },
      { namespace: "models" },
    );
    expect(await reconcileServing(deps, log)).toMatchObject({ opened: 1 });
    const alert = await db.alert.findFirstOrThrow({
      where: { rule: { kind: "REGISTRY_MISMATCH" }, state: "FIRING" },
      select: { id: true },
    });

    const result = await alignRegistry(alert.id, deps, log);
    expect(result).toMatchObject({ aligned: true, notificationIds: [expect.any(String)] });
    expect((await mlflow.getLatestVersions("churn-classifier", ["Production"]))[0].version).toBe(serving);
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      state: "RESOLVED",
    });
    const aligned = await db.auditEvent.findFirstOrThrow({
      where: { action: "serving.registry-aligned" },
      select: { before: true, after: true },
    });
    expect(aligned).toMatchObject({
      before: { version: production },
      after: { version: serving, alertId: alert.id },
    });
    // A resolved alert is not reconciled again.
    expect(await alignRegistry(alert.id, deps, log)).toEqual({ aligned: false, notificationIds: [] });
  });
});
