import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createFeastClient } from "@/lib/clients/feast";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { rejectionOf } from "@/lib/testing/contract";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createFeatureService, type FeatureStoreService } from "./features";

const dana: CurrentUser = {
  id: "u1",
  oid: "oid-dana",
  name: "Dana",
  email: "dana@contoso.com",
  roles: ["DataScientist"],
};
const nobody: CurrentUser = { ...dana, id: "u2", roles: [] };

describe("features DAL against the sandbox's Feast registry and MLflow", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  let service: FeatureStoreService;

  beforeAll(async () => {
    sandbox = await startSandbox();
    database = await createTestDatabase("features_test");
    db = createPrismaClient(database.url);
    const getToken = async () => sandbox.token;
    service = createFeatureService({
      feast: createFeastClient({ baseUrl: `${sandbox.url}/feast`, getToken, retryBudgetMs: 1_000 }),
      project: "telco_churn",
      mlflow: createMlflowClient({ baseUrl: sandbox.url, getToken, retryBudgetMs: 1_000 }),
      db,
      cacheTtlMs: 0,
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  it("lists views stale first, with entities, TTL, stores and the project's online store", async () => {
    const list = await service.listViews(dana);
    expect(list.project).toMatchObject({ name: "telco_churn", onlineStore: "redis", offlineStore: "spark" });
    expect(list.total).toBe(4);
    expect(list.staleCount).toBe(1);
    expect(list.views[0]).toMatchObject({
      name: "network_usage_daily",
      entities: ["subscriber"],
      ttlSeconds: 86_400,
      isOnline: true,
      freshness: { state: "stale" },
      services: ["churn_model_v4_usage", "network_anomaly_v1"],
    });
    const byName = Object.fromEntries(list.views.map((v) => [v.name, v]));
    expect(byName.customer_churn_features.freshness.state).toBe("fresh");
    expect(byName.customer_churn_features.source).toMatchObject({
      table: "main.features.customer_features",
      datasetHref: expect.stringContaining("/datasets/main/features/customer_features"),
    });
    expect(byName.customer_demographics).toMatchObject({ isOnline: false, freshness: { state: "offline" } });
    expect((await service.listViews(dana, { query: "subscriber" })).views.map((v) => v.name)).toEqual([
      "network_usage_daily",
    ]);
    expect((await service.listViews(dana, { isStaleOnly: true })).views).toHaveLength(1);
  });

  it("shows a view's schema, history and the runs and models that trained on it", async () => {
    const view = await service.getView(dana, "network_usage_daily");
    expect(view.features.map((f) => f.name)).toContain("dropped_calls_7d");
    expect(view.entityColumns).toEqual([
      { entity: "subscriber", joinKey: "subscriber_id", valueType: "STRING" },
    ]);
    expect(view.source?.path).toMatch(/^abfss:\/\//);
    expect(view.materializationCount).toBeGreaterThan(0);
    expect(Date.parse(view.materializations[0].end)).toBeGreaterThan(
      Date.parse(view.materializations.at(-1)!.end) - 1,
    );
    expect(view.lineage.error).toBeNull();
    expect(view.lineage.runs.length).toBeGreaterThan(0);
    expect(new Set(view.lineage.runs.map((r) => r.featureService))).toContain("network_anomaly_v1");
    expect(view.lineage.runs.find((r) => r.featureService === "network_anomaly_v1")).toMatchObject({
      experimentName: "/Shared/network-anomaly",
    });
    expect(view.lineage.models.map((m) => m.name)).toContain("network-anomaly-detector");
  });

  it("reads an unknown or malformed view name as not found, and refuses someone without the permission", async () => {
    for (const name of ["no_such_view", "../etc/passwd", "x".repeat(300)]) {
      const error = (await rejectionOf(service.getView(dana, name))) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe("NOT_FOUND");
    }
    const refused = (await rejectionOf(service.listViews(nobody))) as AppError;
    expect(refused.code).toBe("FORBIDDEN");
    expect(await service.viewsFedByTable(nobody, "main.features.customer_features")).toBeNull();
  });

  it("lists entities and services, and the views a table feeds", async () => {
    expect((await service.listEntities(dana)).map((e) => [e.name, e.joinKey, e.views.length])).toEqual([
      ["customer", "customer_id", 3],
      ["subscriber", "subscriber_id", 1],
    ]);
    const services = await service.listServices(dana);
    expect(services.find((s) => s.name === "network_anomaly_v1")?.views).toEqual([
      { name: "network_usage_daily", featureCount: 3, freshness: "stale" },
    ]);
    const fed = await service.viewsFedByTable(dana, "MAIN.features.customer_features");
    expect(fed?.views.map((v) => v.name)).toEqual(["customer_churn_features"]);
  });

  it("says the registry is unavailable when it fails, and that it is not set up without a URL", async () => {
    await sandbox.injectFaults([{ path: "/feast/api/v1/projects/telco_churn", status: 503 }]);
    try {
      const error = (await rejectionOf(service.listViews(dana))) as AppError;
      expect(error.code).toBe("UNAVAILABLE");
      expect(error.message).toMatch(/Feast's registry did not answer/);
    } finally {
      await sandbox.clearFaults();
    }
    const unset = createFeatureService({ feast: undefined, project: "p", mlflow: {} as never, db });
    expect(((await rejectionOf(unset.listViews(dana))) as AppError).message).toMatch(/FEAST_REGISTRY_URL/);
  });
});
