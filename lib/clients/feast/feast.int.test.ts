import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { CloudApiError } from "../http";
import { rejectionOf } from "@/lib/testing/contract";
import { createFeastClient, durationSeconds, type FeastClient } from ".";

/**
 * The Feast registry client's contract suite. The shared half runs against the sandbox over real
 * HTTP and, when FEAST_CONTRACT_URL is set, against a real registry server (`feast serve_registry
 * --rest-api`; FEAST_CONTRACT_TOKEN when it runs with OIDC or Kubernetes auth) whose project
 * FEAST_CONTRACT_PROJECT has at least one feature view, entity and data source. Feast is a Python
 * server and cannot run in this environment, so here only the sandbox half runs.
 */

const realUrl = process.env.FEAST_CONTRACT_URL;
if (!realUrl)
  console.info(
    "[feast contract] FEAST_CONTRACT_URL is not set: the suite against a real Feast registry is skipped.",
  );

interface Target {
  client: () => FeastClient;
  project: string;
}

function contractSuite(target: Target) {
  let client: FeastClient;
  beforeAll(() => {
    client = target.client();
  });

  it("lists projects with a pagination object", async () => {
    const { items, pagination } = await client.listProjects({ page: 1, limit: 10 });
    expect(items.map((p) => p.spec.name)).toContain(target.project);
    expect(pagination).toMatchObject({ page: 1, limit: 10 });
    expect(pagination.totalCount).toBeGreaterThanOrEqual(items.length);
  });

  it("pages feature views with page and limit, and pages do not overlap", async () => {
    const all = await client.listAllFeatureViews(target.project);
    expect(all.length).toBeGreaterThan(0);
    for (const view of all) expect(view.spec.name).toEqual(expect.any(String));
    const first = await client.listFeatureViews(target.project, { page: 1, limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.pagination).toMatchObject({
      page: 1,
      limit: 1,
      totalCount: all.length,
      totalPages: all.length,
    });
    expect(first.pagination.hasPrevious).toBe(false);
    expect(first.pagination.hasNext).toBe(all.length > 1);
    if (all.length > 1) {
      const second = await client.listFeatureViews(target.project, { page: 2, limit: 1 });
      expect(second.items[0].spec.name).not.toBe(first.items[0].spec.name);
      expect(second.pagination.hasPrevious).toBe(true);
    }
  });

  it("reads one feature view with its spec and meta", async () => {
    const [listed] = await client.listAllFeatureViews(target.project);
    const view = await client.getFeatureView(target.project, listed.spec.name);
    expect(view.spec.name).toBe(listed.spec.name);
    expect(view.meta?.createdTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const interval of view.meta?.materializationIntervals ?? [])
      expect(Date.parse(interval.endTime!)).toBeGreaterThan(Date.parse(interval.startTime!));
  });

  it("lists entities, data sources and feature services", async () => {
    const [entities, sources, services] = await Promise.all([
      client.listAllEntities(target.project),
      client.listAllDataSources(target.project),
      client.listAllFeatureServices(target.project),
    ]);
    expect(entities.length).toBeGreaterThan(0);
    expect(sources.length).toBeGreaterThan(0);
    const entity = await client.getEntity(target.project, entities[0].spec.name);
    expect(entity.spec.name).toBe(entities[0].spec.name);
    expect((await client.getDataSource(target.project, sources[0].name)).name).toBe(sources[0].name);
    if (services.length)
      expect((await client.getFeatureService(target.project, services[0].spec.name)).spec.name).toBe(
        services[0].spec.name,
      );
  });

  it("answers a missing feature view with a 404 whose detail names it", async () => {
    const name = `no_such_view_${randomBytes(3).toString("hex")}`;
    const error = (await rejectionOf(client.getFeatureView(target.project, name))) as CloudApiError;
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error.status).toBe(404);
    expect(error.isNotFound).toBe(true);
    expect(error.message).toContain(`Feature view ${name} does not exist in project ${target.project}`);
  });

  it("refuses a limit above 100 with a 422 RequestValidationError", async () => {
    const error = (await rejectionOf(
      client.listFeatureViews(target.project, { page: 1, limit: 101 }),
    )) as CloudApiError;
    expect(error.status).toBe(422);
    expect(error.errorCode).toBe("RequestValidationError");
    expect(error.message).toMatch(/less than or equal to 100/);
  });
}

describe("Feast registry client against the sandbox", () => {
  let sandbox: RunningSandbox;
  const client = () =>
    createFeastClient({
      baseUrl: `${sandbox.url}/feast`,
      getToken: async () => sandbox.token,
      retryBudgetMs: 2_000,
    });

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  describe("shared contract", () => contractSuite({ client, project: "telco_churn" }));

  it("serves the team's views: entities, TTL, online flag, Spark sources on Delta", async () => {
    const views = await client().listAllFeatureViews("telco_churn");
    const byName = Object.fromEntries(views.map((v) => [v.spec.name, v]));
    expect(Object.keys(byName).sort()).toEqual([
      "billing_monthly",
      "customer_churn_features",
      "customer_demographics",
      "network_usage_daily",
    ]);
    const churn = byName.customer_churn_features;
    expect(churn.spec).toMatchObject({ entities: ["customer"], ttl: "172800s", online: true });
    expect(churn.spec.batchSource).toMatchObject({
      type: "BATCH_SPARK",
      sparkOptions: { table: "main.features.customer_features" },
    });
    expect(byName.network_usage_daily.spec.batchSource?.sparkOptions).toMatchObject({
      path: expect.stringMatching(/^abfss:\/\/.+\.dfs\.core\.windows\.net\//),
      fileFormat: "delta",
    });
    // MessageToDict leaves out defaults: an offline-only view has no `online`, a view that never expires no `ttl`.
    expect(byName.customer_demographics.spec.online).toBeUndefined();
    expect(durationSeconds(byName.customer_demographics.spec.ttl)).toBe(0);
    expect(byName.customer_demographics.meta?.materializationIntervals).toBeUndefined();
  });

  it("materializes on the clock: the hourly view is fresh, the stopped one older than its TTL", async () => {
    const feast = client();
    const churn = await feast.getFeatureView("telco_churn", "customer_churn_features");
    const usage = await feast.getFeatureView("telco_churn", "network_usage_daily");
    const lastEnd = (intervals: { endTime?: string }[] = []) => Date.parse(intervals.at(-1)!.endTime!);
    const churnIntervals = churn.meta!.materializationIntervals!;
    expect(churnIntervals.length).toBeGreaterThan(24);
    expect(Date.now() - lastEnd(churnIntervals)).toBeLessThan(2 * 3_600_000);
    for (let i = 1; i < churnIntervals.length; i++)
      expect(churnIntervals[i].startTime).toBe(churnIntervals[i - 1].endTime);
    expect(Date.parse(churn.meta!.lastUpdatedTimestamp!)).toBeGreaterThanOrEqual(lastEnd(churnIntervals));
    const usageAge = Date.now() - lastEnd(usage.meta!.materializationIntervals);
    expect(usageAge).toBeGreaterThan(durationSeconds(usage.spec.ttl) * 1000);
  });

  it("filters by tag, sorts, and answers every item with an empty pagination when unpaged", async () => {
    const feast = client();
    const retention = await feast.listFeatureViews("telco_churn", { tags: { team: "retention" } });
    expect(retention.items.map((v) => v.spec.name).sort()).toEqual([
      "billing_monthly",
      "customer_churn_features",
      "customer_demographics",
    ]);
    const unpaged = await fetch(
      `${sandbox.url}/feast/api/v1/feature_views?project=telco_churn&sort_by=spec.name&sort_order=desc`,
      {
        headers: { authorization: `Bearer ${sandbox.token}` },
      },
    ).then((r) => r.json());
    expect(unpaged.pagination).toEqual({});
    expect(
      unpaged.featureViews.map((v: { featureView: { spec: { name: string } } }) => v.featureView.spec.name),
    ).toEqual(["network_usage_daily", "customer_demographics", "customer_churn_features", "billing_monthly"]);
  });

  it("names each feature service's views and columns; data sources list under data_sources", async () => {
    const feast = client();
    const service = await feast.getFeatureService("telco_churn", "network_anomaly_v1");
    expect(service.spec.features).toEqual([
      expect.objectContaining({
        featureViewName: "network_usage_daily",
        featureColumns: expect.arrayContaining([
          expect.objectContaining({ name: "data_gb_7d", valueType: "DOUBLE" }),
        ]),
      }),
    ]);
    const sources = await feast.listDataSources("telco_churn", { page: 1, limit: 2 });
    expect(sources.items).toHaveLength(2);
    expect(sources.pagination).toMatchObject({ totalCount: 4, totalPages: 2, hasNext: true });
  });

  it("refuses a list without project with a 422, and a request without the token with a 401", async () => {
    const missing = await fetch(`${sandbox.url}/feast/api/v1/feature_views`, {
      headers: { authorization: `Bearer ${sandbox.token}` },
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ status_code: 422, error_type: "RequestValidationError" });
    const anonymous = createFeastClient({ baseUrl: `${sandbox.url}/feast`, retryBudgetMs: 1_000 });
    const error = (await rejectionOf(anonymous.listProjects())) as CloudApiError;
    expect(error.status).toBe(401);
    expect(error.errorCode).toBe("HTTPException");
  });

  it("reads another project's lists as empty and its feature view as not found", async () => {
    const feast = client();
    expect(await feast.listAllFeatureViews("someone_elses")).toEqual([]);
    const error = (await rejectionOf(feast.getProject("someone_elses"))) as CloudApiError;
    expect(error.status).toBe(404);
    expect(error.message).toContain("Project someone_elses does not exist");
  });
});

describe.skipIf(!realUrl)("Feast registry client against a real registry server", () => {
  const token = process.env.FEAST_CONTRACT_TOKEN;
  const client = () =>
    createFeastClient({ baseUrl: realUrl!, getToken: token ? async () => token : undefined });
  contractSuite({ client, project: process.env.FEAST_CONTRACT_PROJECT ?? "feast_project" });
});
