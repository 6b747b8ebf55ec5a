import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { createSqlClient } from "@/lib/clients/sql";
import { createUnityCatalogClient } from "@/lib/clients/unity-catalog";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { findTable } from "@/sandbox/unity-catalog/estate";
import { suites } from "@/sandbox/unity-catalog/quality";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createDatasetsReader, type DatasetSources } from "./datasets";

const person = (roles: CurrentUser["roles"]): CurrentUser => ({
  id: `u-${roles.join("-")}`,
  oid: randomUUID(),
  name: roles.join(" "),
  email: null,
  roles,
});
const dana = person(["DataScientist"]);
const omar = person(["OnCall"]);

describe("datasets DAL against the sandbox", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  const requests: string[] = [];

  function reader(overrides: Partial<DatasetSources> = {}) {
    const getToken = async () => sandbox.token;
    const countingFetch: typeof fetch = (input, init) => {
      requests.push(
        `${init?.method ?? "GET"} ${new URL(String(input)).pathname}${new URL(String(input)).search}`,
      );
      return fetch(input, init);
    };
    const instant = async () => undefined;
    return createDatasetsReader({
      unityCatalog: createUnityCatalogClient({
        baseUrl: sandbox.url,
        getToken,
        fetch: countingFetch,
        sleep: instant,
        maxAttempts: 3,
      }),
      sql: createSqlClient({
        baseUrl: sandbox.url,
        getToken,
        warehouseId: "sandbox-warehouse",
        fetch: countingFetch,
        sleep: instant,
        maxAttempts: 3,
        pollIntervalMs: 50,
      }),
      mlflow: createMlflowClient({ baseUrl: sandbox.url, getToken, sleep: instant }),
      db,
      ...overrides,
    });
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    database = await createTestDatabase("datasets_test");
    db = createPrismaClient(database.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  it("refuses people without datasets:read before calling the cloud", async () => {
    const datasets = reader();
    const before = requests.length;
    for (const call of [
      () => datasets.listCatalogs(omar),
      () => datasets.searchDatasets(omar, "churn"),
      () => datasets.getTable(omar, "main.features.customer_features"),
      () => datasets.getSampleRows(omar, "main.features.customer_features"),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(requests.length).toBe(before);
  });

  it("browses catalogs, schemas and tables, and caches the listings briefly", async () => {
    const datasets = reader();
    expect((await datasets.listCatalogs(dana)).map((c) => c.name)).toEqual(["raw", "main", "ml"]);
    const main = await datasets.listSchemas(dana, "main");
    expect(main.catalog.comment).toMatch(/curated/);
    expect(main.schemas.map((s) => s.name)).toContain("quality");
    const features = await datasets.listTables(dana, "main", "features");
    expect(features.tables.map((t) => t.fullName)).toEqual([
      "main.features.cell_quality_features",
      "main.features.customer_features",
      "main.features.customer_usage_monthly",
    ]);
    expect(features.hasMore).toBe(false);

    const before = requests.length;
    await datasets.listCatalogs(dana);
    await datasets.listTables(dana, "main", "features");
    expect(requests.length).toBe(before);
    await expect(datasets.listSchemas(dana, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages a schema's tables by reading the API only up to the requested page", async () => {
    const getToken = async () => sandbox.token;
    const tablePages: string[] = [];
    const datasets = reader({
      tablesPageSize: 1,
      unityCatalog: createUnityCatalogClient({
        baseUrl: sandbox.url,
        getToken,
        pageSize: 1,
        fetch: (input, init) => (tablePages.push(String(input)), fetch(input, init)),
      }),
    });
    const first = await datasets.listTables(dana, "main", "features", { page: 1 });
    expect(first).toMatchObject({ page: 1, hasMore: true, tables: [{ name: "cell_quality_features" }] });
    const afterFirst = tablePages.length;
    // Page 1 of size 1 reads two tables (to know another follows), not all three.
    expect(afterFirst).toBeLessThanOrEqual(4);
    const third = await datasets.listTables(dana, "main", "features", { page: 3 });
    expect(third).toMatchObject({ page: 3, hasMore: false, tables: [{ name: "customer_usage_monthly" }] });
    await expect(datasets.listTables(dana, "main", "features", { page: 4 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("searches names and comments across catalogs from a cached index", async () => {
    const datasets = reader();
    const churn = await datasets.searchDatasets(dana, "churn training");
    expect(
      churn.results
        .slice(0, 2)
        .map((r) => r.fullName)
        .sort(),
    ).toEqual(["main.retention.churn_training_2026q3", "ml.training.churn_training_set"]);
    expect(churn.results.find((r) => r.fullName === "ml.training.churn_training_set")).toMatchObject({
      kind: "table",
      href: "/datasets/ml/training/churn_training_set",
    });
    expect(churn.unavailableCatalogs).toEqual([]);

    // Only the comment says "performance-management".
    const byComment = await datasets.searchDatasets(dana, "performance-management counters");
    expect(byComment.results.map((r) => r.fullName)).toEqual(["raw.network_raw.pm_counters_hourly"]);

    const before = requests.length;
    const schemas = await datasets.searchDatasets(dana, "monitoring");
    expect(requests.length).toBe(before);
    expect(schemas.results[0]).toMatchObject({ kind: "schema", fullName: "ml.monitoring" });
    expect((await datasets.searchDatasets(dana, "zebra giraffe")).results).toEqual([]);
  });

  it("reports a catalog it could not index instead of failing the whole search", async () => {
    const datasets = reader();
    await sandbox.injectFaults([{ path: "^/api/2.1/unity-catalog/schemas$", status: 503, times: 100 }]);
    try {
      const result = await datasets.searchDatasets(dana, "churn");
      expect(result.results).toEqual([]);
      expect(result.unavailableCatalogs.map((c) => c.catalog)).toEqual(["raw", "main", "ml"]);
      expect(result.unavailableCatalogs[0].message).toMatch(
        /Unity Catalog failed to return the tables of raw \(TEMPORARILY_UNAVAILABLE|HTTP 503/,
      );
    } finally {
      await sandbox.clearFaults();
    }
    expect((await datasets.searchDatasets(dana, "churn")).results.length).toBeGreaterThan(3);
  });

  it("reads a table's details, row count, sample rows, quality and lineage", async () => {
    const datasets = reader();
    const estate = findTable("main.features.customer_features")!;
    const table = await datasets.getTable(dana, "main.features.customer_features");
    expect(table).toMatchObject({
      tableType: "MANAGED",
      format: "DELTA",
      owner: "ml-platform",
      catalogName: "main",
      schemaName: "features",
    });
    expect(table.columns.map((c) => c.name)).toEqual(estate.columns.map((c) => c.name));
    expect(table.properties).toContainEqual({ key: "switchboard.produced_by", value: "job:220431877" });
    expect(table.storageLocation).toMatch(/^abfss:\/\//);

    const cdr = await datasets.getTable(dana, "raw.telco_raw.cdr_events");
    expect(cdr.columns.filter((c) => c.partitionIndex !== null).map((c) => c.name)).toEqual(
      findTable("raw.telco_raw.cdr_events")!.partitionColumns,
    );

    expect(await datasets.getRowCount(dana, "main.features.customer_features")).toEqual({
      rowCount: estate.rowCount(),
    });
    const sample = await datasets.getSampleRows(dana, "main.features.customer_features");
    expect(sample.columns.map((c) => c.name)).toEqual(estate.columns.map((c) => c.name));
    expect(sample.rows).toHaveLength(20);
    expect(sample.rows[0][0]).toBe(estate.rowAt(0).customer_id);

    const quality = await datasets.getLatestQuality(dana, "main.features.customer_features");
    expect(quality.resultsTable).toBe("main.quality.expectation_results");
    expect(quality.latest!.total).toBe(suites["main.features.customer_features"].length);
    expect(quality.latest!.expectations.map((e) => e.expectationType).sort()).toEqual(
      suites["main.features.customer_features"].map((e) => e.type).sort(),
    );
    expect(quality.recentRuns).toHaveLength(14);
    expect(quality.recentRuns.map((r) => r.checkedAt)).toEqual(
      [...quality.recentRuns.map((r) => r.checkedAt)].sort().reverse(),
    );
    // The estate's incident on days 25-26 makes some of the recent runs fail.
    expect(quality.recentRuns.some((r) => r.passed < r.total)).toBe(true);
    expect((await datasets.getLatestQuality(dana, "main.network.cell_inventory")).latest).toBeNull();

    const lineage = await datasets.getLineage(dana, "main.features.customer_features");
    expect(lineage.upstream.tables.map((t) => t.fullName)).toEqual([
      "raw.telco_raw.billing_invoices",
      "raw.telco_raw.cdr_events",
      "raw.telco_raw.crm_customers",
    ]);
    expect(lineage.upstream.tables[0].via).toContainEqual({ kind: "job", id: "220431877" });
    expect(lineage.downstream.tables.map((t) => t.fullName)).toEqual(
      expect.arrayContaining(["ml.training.churn_training_set", "ml.features.churn_features_v2"]),
    );
    expect(lineage.downstream.tables[0].href).toMatch(/^\/datasets\//);
  });

  it("answers not found for a missing table and for a name that is not catalog.schema.table", async () => {
    const datasets = reader();
    await expect(datasets.getTable(dana, "main.features.nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(datasets.getTable(dana, "main.features")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(datasets.getRowCount(dana, "main.features.nope")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("turns a failing or slow warehouse into an error that says what to do, without caching the failure", async () => {
    const datasets = reader({ sqlDeadlineMs: 1_500 });
    await sandbox.injectFaults([
      { path: "^/api/2.0/sql/statements$", method: "POST", status: 503, times: 3 },
    ]);
    const failure = await datasets
      .getRowCount(dana, "main.labels.churn_labels")
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringMatching(/^Databricks SQL failed to return the row count .*Try again/),
    });
    // The table itself still reads: one failing section does not take the page down.
    expect((await datasets.getTable(dana, "main.labels.churn_labels")).name).toBe("churn_labels");
    expect(await datasets.getRowCount(dana, "main.labels.churn_labels")).toEqual({
      rowCount: findTable("main.labels.churn_labels")!.rowCount(),
    });

    await sandbox.injectFaults([{ path: "^/api/2.0/sql/statements", latencyMs: 5_000, times: 1 }]);
    const started = Date.now();
    const slow = await datasets
      .getSampleRows(dana, "main.labels.churn_labels")
      .catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(slow).toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/in time/) });
    await sandbox.clearFaults();

    const missingResults = reader({ qualityResultsTable: "main.quality.no_such_results" });
    await expect(missingResults.getLatestQuality(dana, "main.labels.churn_labels")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/main\.quality\.no_such_results.*DATA_QUALITY_RESULTS_TABLE/),
    });
  });

  it("lists the Switchboard training runs that used a table and the model versions registered from them", async () => {
    const mlflow = createMlflowClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    const user = await db.user.create({
      data: { entraObjectId: randomUUID(), name: "Dana Nguyen", roles: ["DataScientist"] },
    });
    const experimentId = await mlflow.createExperiment(
      `/Shared/datasets-test-${randomBytes(3).toString("hex")}`,
    );
    const mlflowRun = await mlflow.createRun({ experimentId, runName: "churn-xgb" });
    const modelName = `churn_model_${randomBytes(3).toString("hex")}`;
    await mlflow.createRegisteredModel(modelName);
    const version = await mlflow.createModelVersion({
      name: modelName,
      source: `${mlflowRun.info.artifactUri}/model`,
      runId: mlflowRun.info.runId,
    });
    const otherRun = await mlflow.createRun({ experimentId, runName: "unrelated" });
    await mlflow.createModelVersion({
      name: modelName,
      source: `${otherRun.info.artifactUri}/model`,
      runId: otherRun.info.runId,
    });

    const base = {
      kind: "TABULAR" as const,
      experimentName: "/Shared/churn",
      modelFamily: "xgboost",
      params: {},
      clusterSpec: {},
      timeoutSeconds: 3600,
      launchedById: user.id,
    };
    const used = await db.trainingRun.create({
      data: {
        ...base,
        runName: "churn-xgb",
        datasetFullName: "ml.training.churn_training_set",
        idempotencyToken: randomUUID(),
        status: "SUCCEEDED",
        mlflowRunId: mlflowRun.info.runId,
      },
    });
    await db.trainingRun.create({
      data: {
        ...base,
        runName: "queued",
        datasetFullName: "ML.Training.Churn_Training_Set",
        idempotencyToken: randomUUID(),
      },
    });
    await db.trainingRun.create({
      data: {
        ...base,
        runName: "elsewhere",
        datasetFullName: "main.features.customer_features",
        idempotencyToken: randomUUID(),
        mlflowRunId: otherRun.info.runId,
      },
    });
    await db.promotionRequest.create({
      data: {
        registry: "WORKSPACE",
        modelName,
        version: version.version,
        targetStage: "Staging",
        justification: "AUC up",
        evidence: {},
        gateResults: [],
        gatesPassed: true,
        requestedById: user.id,
      },
    });

    const usage = await reader().getUsage(dana, "ml.training.churn_training_set");
    expect(usage.runs.map((r) => r.runName).sort()).toEqual(["churn-xgb", "queued"]);
    expect(usage.runs.find((r) => r.runName === "churn-xgb")).toMatchObject({
      id: used.id,
      status: "SUCCEEDED",
      launchedBy: "Dana Nguyen",
    });
    expect(usage.modelVersions).toEqual([
      expect.objectContaining({
        name: modelName,
        version: version.version,
        trainingRunId: used.id,
        trainingRunName: "churn-xgb",
        promotion: expect.objectContaining({ status: "OPEN", target: "Staging" }),
      }),
    ]);
    expect(usage.registryError).toBeNull();

    await sandbox.injectFaults([{ path: "model-versions/search", status: 500, times: 50 }]);
    const degraded = await reader().getUsage(dana, "ml.training.churn_training_set");
    await sandbox.clearFaults();
    expect(degraded.runs).toHaveLength(2);
    expect(degraded.modelVersions).toEqual([]);
    expect(degraded.registryError).toMatch(/MLflow/);
  });
});
