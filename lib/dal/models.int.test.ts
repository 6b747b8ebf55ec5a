import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createKServeClient } from "@/lib/clients/kserve";
import { createMlflowClient, type MlflowClient } from "@/lib/clients/mlflow";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createModelsReader } from "./models";

const person = (roles: CurrentUser["roles"]): CurrentUser => ({
  id: `u-${roles.join("-")}`,
  oid: randomUUID(),
  name: roles.join(" ") || "nobody",
  email: null,
  roles,
});
const omar = person(["OnCall"]);

describe("models DAL against the sandbox registries and KServe", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  let mlflow: MlflowClient;
  let reader: ReturnType<typeof createModelsReader>;

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    database = await createTestDatabase("models_test");
    db = createPrismaClient(database.url);
    const getToken = async () => sandbox.token;
    mlflow = createMlflowClient({ baseUrl: sandbox.url, getToken });
    const kserve = createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" });
    reader = createModelsReader({
      mlflow: () => mlflow,
      kserve: () => kserve,
      db,
      deployments: () => ({ listForModel: async () => [] }),
      namespace: "models",
    });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  it("refuses people without a role", async () => {
    await expect(reader.listModels(person([]))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("searches both registries by name, description and tag", async () => {
    const churn = await reader.listModels(omar, { q: "CHURN" });
    expect(churn.items.map((m) => [m.name, m.registry])).toEqual([
      ["churn-classifier", "WORKSPACE"],
      ["main.ml.churn_classifier", "UNITY_CATALOG"],
    ]);
    expect(churn.items[1].aliases.map((a) => a.alias).sort()).toEqual(["challenger", "champion"]);
    expect(churn.items[0].stages.map((s) => s.stage).sort()).toEqual(["Archived", "Production", "Staging"]);
    expect((await reader.listModels(omar, { q: "cell site" })).items.map((m) => m.name)).toEqual([
      "network-anomaly-detector",
    ]);
    expect((await reader.listModels(omar, { q: "network-ops" })).items.map((m) => m.name)).toEqual([
      "network-anomaly-detector",
    ]);
    expect((await reader.listModels(omar, { q: "no such model anywhere" })).items).toEqual([]);
    expect((await reader.listModels(omar)).warnings).toEqual([]);
  });

  it("shows versions newest first with stage, run, dataset, metrics and lineage to the serving service", async () => {
    const latest = await mlflow.getLatestVersions("churn-classifier", ["Staging"]);
    const ours = await db.user.create({
      data: { entraObjectId: randomUUID(), name: "Dana" },
      select: { id: true },
    });
    const run = await db.trainingRun.create({
      data: {
        runName: "churn-nightly",
        kind: "TABULAR",
        experimentName: "/Shared/churn-model",
        datasetFullName: "main.retention.churn_training_2026q4",
        modelFamily: "xgboost",
        params: {},
        clusterSpec: {},
        timeoutSeconds: 3600,
        idempotencyToken: randomUUID(),
        status: "SUCCEEDED",
        mlflowRunId: latest[0].runId,
        launchedById: ours.id,
      },
      select: { id: true },
    });

    const model = await reader.getModel(omar, "churn-classifier");
    expect(model.registry).toBe("WORKSPACE");
    expect(model.tags).toMatchObject({ team: "retention" });
    expect(model.versions.map((v) => v.version)).toEqual(["4", "3", "2", "1"]);
    expect(model.versions.map((v) => v.stage)).toEqual(["Staging", "Production", "Archived", "Archived"]);
    const [v4, v3, v2] = model.versions;
    expect(v4.lineage.run).toMatchObject({ mlflowRunId: latest[0].runId, href: `/runs/${run.id}` });
    expect(v4.lineage.dataset).toEqual({
      name: "main.retention.churn_training_2026q4",
      href: "/datasets/main/retention/churn_training_2026q4",
    });
    expect(v3.lineage.run?.href).toBeNull();
    expect(v3.lineage.dataset).toEqual({
      name: "main.retention.churn_training_2026q3",
      href: "/datasets/main/retention/churn_training_2026q3",
    });
    expect(v3.metrics.map((m) => m.key)).toEqual(["accuracy", "auc", "f1", "train_loss"]);
    expect(v3.aliases).toEqual(["champion"]);

    // The seeded service stores churn-classifier/2: the storage-path rule links it to v2.
    expect(model.serving).toEqual([
      expect.objectContaining({
        namespace: "models",
        serviceName: "churn-classifier",
        servedVersion: "2",
        mappedBy: "storage-path",
        isReady: true,
      }),
    ]);
    expect(v2.lineage.deployments).toEqual([
      {
        namespace: "models",
        serviceName: "churn-classifier",
        isCanary: false,
        percent: 100,
        monitoringHref: "/monitoring/models/churn-classifier",
      },
    ]);
    expect(v3.lineage.deployments).toEqual([]);
  });

  it("reads a Unity Catalog model with aliases and no stages", async () => {
    const model = await reader.getModel(omar, "main.ml.churn_classifier");
    expect(model.registry).toBe("UNITY_CATALOG");
    expect(model.versions.every((v) => v.stage === null)).toBe(true);
    expect(model.versions.flatMap((v) => v.aliases).sort()).toEqual(["challenger", "champion"]);
    expect(model.serving).toEqual([]);
  });

  it("answers NOT_FOUND for a model neither registry has", async () => {
    await expect(reader.getModel(omar, "no-such-model")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(reader.getModel(omar, "main.ml.no_such_model")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
