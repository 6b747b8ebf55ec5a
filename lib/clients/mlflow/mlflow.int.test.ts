import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { CloudApiError, collect } from "../http";
import { createMlflowClient, isAliasMissing, isEndpointMissing, type MlflowClient } from ".";

/**
 * The MLflow client's contract suite. The shared half runs against the sandbox over real HTTP and,
 * when MLFLOW_CONTRACT_URL (and optionally MLFLOW_CONTRACT_TOKEN) is set, against a real MLflow
 * server, so the emulator and the client are both held to the real thing. It only touches what it
 * creates (names carry a random suffix). The sandbox half covers what needs fault injection.
 */

const suffix = () => randomBytes(4).toString("hex");
const realUrl = process.env.MLFLOW_CONTRACT_URL;
if (!realUrl)
  console.info(
    "[mlflow contract] MLFLOW_CONTRACT_URL is not set: the suite against a real MLflow server is skipped.",
  );

async function errorOf(promise: Promise<unknown>): Promise<CloudApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

function contractSuite(target: () => MlflowClient) {
  let client: MlflowClient;
  let experimentId: string;
  beforeAll(async () => {
    client = target();
    experimentId = await client.createExperiment(`/Shared/contract-${suffix()}`, {
      tags: { purpose: "contract-test" },
    });
  });

  it("creates and reads experiments, and answers a duplicate with RESOURCE_ALREADY_EXISTS (400)", async () => {
    const experiment = await client.getExperiment(experimentId);
    expect(experiment).toMatchObject({
      experimentId,
      lifecycleStage: "active",
      tags: { purpose: "contract-test" },
    });
    expect(await client.getExperimentByName(experiment.name)).toMatchObject({ experimentId });
    const duplicate = await errorOf(client.createExperiment(experiment.name));
    expect(duplicate).toMatchObject({
      status: 400,
      errorCode: "RESOURCE_ALREADY_EXISTS",
      isAlreadyExists: true,
    });
    expect(await client.ensureExperiment(experiment.name)).toEqual({ experimentId, created: false });
  });

  it("pages through experiments with a name filter", async () => {
    const prefix = `/Shared/paging-${suffix()}`;
    for (let i = 0; i < 5; i++) await client.createExperiment(`${prefix}/${i}`);
    const first = await client.searchExperiments({
      filter: `name LIKE '${prefix}/%'`,
      maxResults: 2,
      orderBy: ["name ASC"],
    });
    expect(first.items.map((e) => e.name)).toEqual([`${prefix}/0`, `${prefix}/1`]);
    expect(first.nextPageToken).toBeTruthy();
    const all = await collect(
      client.iterateExperiments({ filter: `name LIKE '${prefix}/%'`, maxResults: 2, orderBy: ["name ASC"] }),
    );
    expect(all.map((e) => e.name)).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}/${i}`));
  });

  it("pages through many runs, newest first by default", async () => {
    const pagingExperiment = await client.createExperiment(`/Shared/runs-paging-${suffix()}`);
    const base = Date.now() - 100_000;
    const created: string[] = [];
    for (let i = 0; i < 23; i++)
      created.push(
        (
          await client.createRun({
            experimentId: pagingExperiment,
            startTime: base + i * 1000,
            runName: `run-${i}`,
          })
        ).info.runId,
      );
    const pages: number[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.searchRuns({ experimentIds: [pagingExperiment], maxResults: 4, pageToken });
      pages.push(page.items.length);
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(pages).toEqual([4, 4, 4, 4, 4, 3]);
    const all = await collect(client.iterateRuns({ experimentIds: [pagingExperiment], maxResults: 5 }));
    expect(all.map((r) => r.info.runId)).toEqual([...created].reverse());
    // A last page that is exactly full still carries a token; the page after it is empty.
    const full = await client.searchRuns({ experimentIds: [pagingExperiment], maxResults: 23 });
    expect(full.items).toHaveLength(23);
    expect(
      (
        await client.searchRuns({
          experimentIds: [pagingExperiment],
          maxResults: 23,
          pageToken: full.nextPageToken,
        })
      ).items,
    ).toEqual([]);
    // A page for people looks ahead instead, so "next" never leads to an empty page.
    expect(await client.searchRunsPage({ experimentIds: [pagingExperiment], maxResults: 23 })).toEqual({
      items: full.items,
    });
    const middle = await client.searchRunsPage({ experimentIds: [pagingExperiment], maxResults: 22 });
    expect(middle.nextPageToken).toBeTruthy();
  });

  describe("runs/search filters", () => {
    let runs: Array<{ id: string; family: string; auc: number }>;
    beforeAll(async () => {
      runs = [];
      const plan = [
        { family: "xgboost", auc: 0.91, team: "retention" },
        { family: "xgboost", auc: 0.72, team: "Retention" },
        { family: "lightgbm", auc: 0.88, team: "growth" },
        { family: "logreg", auc: 0.64, team: "retention" },
      ];
      for (const [index, item] of plan.entries()) {
        const run = await client.createRun({
          experimentId,
          runName: `filter-${item.family}-${index}`,
          startTime: Date.now() - 10_000 + index,
          tags: { team: item.team },
        });
        await client.logBatch(run.info.runId, {
          params: { family: item.family, "learning rate": String(0.1 * (index + 1)) },
          metrics: [
            { key: "auc", value: item.auc },
            { key: "val loss", value: 1 - item.auc },
          ],
        });
        runs.push({ id: run.info.runId, family: item.family, auc: item.auc });
      }
    });
    const search = async (filter: string, orderBy?: string[]) =>
      (await client.searchRuns({ experimentIds: [experimentId], filter, orderBy })).items.map(
        (r) => r.info.runId,
      );
    const ids = (predicate: (r: { family: string; auc: number }) => boolean) =>
      runs.filter(predicate).map((r) => r.id);

    it("combines metric, param and tag clauses with AND", async () => {
      expect(new Set(await search("metrics.auc > 0.7 AND params.family = 'xgboost'"))).toEqual(
        new Set(ids((r) => r.auc > 0.7 && r.family === "xgboost")),
      );
      expect(new Set(await search("tags.team = 'retention' and metrics.auc >= 0.64"))).toEqual(
        new Set([runs[0].id, runs[3].id]),
      );
    });

    it("quotes odd keys with backticks and double quotes", async () => {
      expect(new Set(await search("metrics.`val loss` < 0.2"))).toEqual(new Set(ids((r) => 1 - r.auc < 0.2)));
      expect(await search("params.\"learning rate\" = '0.2' AND metrics.auc > 0")).toEqual([runs[1].id]);
    });

    it("supports LIKE, ILIKE and run_id IN / NOT IN", async () => {
      expect(new Set(await search("tags.team ILIKE 'retention'"))).toEqual(
        new Set([runs[0].id, runs[1].id, runs[3].id]),
      );
      expect(await search("tags.team LIKE 'Ret%'")).toEqual([runs[1].id]);
      expect(new Set(await search("attributes.run_name LIKE 'filter-xg%'"))).toEqual(
        new Set(ids((r) => r.family === "xgboost")),
      );
      expect(new Set(await search(`attributes.run_id IN ('${runs[0].id}', '${runs[2].id}')`))).toEqual(
        new Set([runs[0].id, runs[2].id]),
      );
      expect(
        await search(
          `attributes.run_id NOT IN ('${runs[0].id}', '${runs[1].id}', '${runs[2].id}') AND metrics.auc > 0`,
        ),
      ).toEqual([runs[3].id]);
    });

    it("orders by a metric", async () => {
      expect(await search("metrics.auc > 0", ["metrics.auc DESC"])).toEqual(
        [...runs].sort((a, b) => b.auc - a.auc).map((r) => r.id),
      );
    });

    it("rejects a bad filter with INVALID_PARAMETER_VALUE naming the problem", async () => {
      const numeric = await errorOf(search("metrics.auc > 'high'"));
      expect(numeric).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      expect(numeric.message).toMatch(/numeric value/i);
      const unknown = await errorOf(search("colour.x = 'red'"));
      expect(unknown).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      expect(unknown.message).toMatch(/entity type|colour/i);
    });

    it("rejects max_results above 50000", async () => {
      const error = await errorOf(client.searchRuns({ experimentIds: [experimentId], maxResults: 50_001 }));
      expect(error).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      // The sandbox names the limit; MLflow 2.22's handler only names the parameter.
      expect(error.message).toMatch(/max_results/);
    });
  });

  it("reads a run with the latest value per metric key, params and tags, and its whole history", async () => {
    const run = await client.createRun({ experimentId, tags: { "mlflow.user": "contract@example.com" } });
    const start = Date.now();
    await client.logBatch(run.info.runId, {
      metrics: Array.from({ length: 30 }, (_, step) => ({
        key: "loss",
        value: 1 / (step + 1),
        step,
        timestamp: start + step,
      })),
      params: { optimizer: "adam" },
    });
    // An earlier step logged later must not become the latest value.
    await client.logMetric(run.info.runId, { key: "loss", value: 42, step: 3, timestamp: start + 1000 });
    // The very same point again (a retried request) is stored once: MLflow's metric primary key.
    await client.logMetric(run.info.runId, { key: "loss", value: 1, step: 0, timestamp: start });
    await client.setRunTag(run.info.runId, "stage", "eval");
    const read = await client.getRun(run.info.runId);
    expect(read.metrics.loss).toMatchObject({ value: 1 / 30, step: 29 });
    expect(read.params).toEqual({ optimizer: "adam" });
    expect(read.tags).toMatchObject({ stage: "eval", "mlflow.user": "contract@example.com" });
    expect(read.info.userId).toBe("contract@example.com");

    // Open-source MLflow ignores max_results and page_token here: the whole history, no token.
    const asked = await client.getMetricHistory(run.info.runId, "loss", { maxResults: 7 });
    expect(asked.items).toHaveLength(31);
    expect(asked.nextPageToken).toBeUndefined();
    expect(await collect(client.iterateMetricHistory(run.info.runId, "loss", 7))).toHaveLength(31);

    const finished = await client.updateRun(run.info.runId, { status: "FINISHED", endTime: start + 5000 });
    expect(finished).toMatchObject({ status: "FINISHED", endTime: start + 5000 });
    const changed = await errorOf(client.logParam(run.info.runId, "optimizer", "sgd"));
    expect(changed).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
  });

  it("hides deleted runs unless asked, and restores them", async () => {
    const run = await client.createRun({ experimentId, runName: "doomed" });
    await client.deleteRun(run.info.runId);
    const filter = `attributes.run_id = '${run.info.runId}'`;
    expect((await client.searchRuns({ experimentIds: [experimentId], filter })).items).toHaveLength(0);
    expect(
      (await client.searchRuns({ experimentIds: [experimentId], filter, runViewType: "DELETED_ONLY" })).items,
    ).toHaveLength(1);
    await client.restoreRun(run.info.runId);
    expect((await client.getRun(run.info.runId)).info.lifecycleStage).toBe("active");
  });

  describe("get-history-bulk-interval", () => {
    let dense: string;
    let sparse: string;
    beforeAll(async () => {
      dense = (await client.createRun({ experimentId })).info.runId;
      sparse = (await client.createRun({ experimentId })).info.runId;
      const at = Date.now();
      // 1200 points: more than one log-batch request, which the client splits.
      await client.logBatch(dense, {
        metrics: Array.from({ length: 1200 }, (_, step) => ({
          key: "acc",
          value: step / 1200,
          step,
          timestamp: at + step,
        })),
      });
      await client.logBatch(sparse, {
        metrics: Array.from({ length: 100 }, (_, i) => ({
          key: "acc",
          value: i / 100,
          step: 7 + i * 5,
          timestamp: at + i,
        })),
      });
    });

    it("samples steps evenly and keeps every run's first and last step", async () => {
      const points = await client.getMetricHistoryBulkInterval({
        runIds: [dense, sparse],
        metricKey: "acc",
        maxResults: 50,
      });
      const stepsOf = (runId: string) => points.filter((p) => p.runId === runId).map((p) => p.step);
      expect(stepsOf(dense)[0]).toBe(0);
      expect(stepsOf(dense).at(-1)).toBe(1199);
      expect(stepsOf(sparse)[0]).toBe(7);
      expect(stepsOf(sparse).at(-1)).toBe(502);
      expect(new Set(points.map((p) => p.step)).size).toBeLessThanOrEqual(50 + 1 + 4);
      expect(stepsOf(dense)).toEqual([...stepsOf(dense)].sort((a, b) => a - b));
    });

    it("restricts to a step range given with both bounds", async () => {
      const points = await client.getMetricHistoryBulkInterval({
        runIds: [dense],
        metricKey: "acc",
        maxResults: 2500,
        startStep: 100,
        endStep: 199,
      });
      expect(points.map((p) => p.step)).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
    });

    it("refuses one bound alone, over 100 runs and max_results outside 1..2500", async () => {
      const oneBound = await errorOf(
        client.getMetricHistoryBulkInterval({ runIds: [dense], metricKey: "acc", startStep: 3 }),
      );
      expect(oneBound).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      expect(oneBound.message).toMatch(/both must be specified/);
      const tooMany = await errorOf(
        client.getMetricHistoryBulkInterval({
          runIds: Array.from({ length: 101 }, (_, i) => `run${i}`),
          metricKey: "acc",
        }),
      );
      expect(tooMany.message).toMatch(/at most 100 run_ids/);
      const tooBig = await errorOf(
        client.getMetricHistoryBulkInterval({ runIds: [dense], metricKey: "acc", maxResults: 2501 }),
      );
      expect(tooBig.message).toMatch(/between 1 and 2500/);
    });
  });

  it("answers a missing run with RESOURCE_DOES_NOT_EXIST (404)", async () => {
    const error = await errorOf(client.getRun("0123456789abcdef0123456789abcdef"));
    expect(error).toMatchObject({
      status: 404,
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      isNotFound: true,
      retryable: false,
    });
    expect(await errorOf(client.getExperiment("987654321"))).toMatchObject({
      status: 404,
      errorCode: "RESOURCE_DOES_NOT_EXIST",
    });
  });

  describe("workspace model registry", () => {
    let name: string;
    let runId: string;
    beforeAll(async () => {
      name = `contract-model-${suffix()}`;
      runId = (await client.createRun({ experimentId })).info.runId;
      await client.createRegisteredModel(name, { description: "contract test", tags: { team: "qa" } });
      for (let i = 0; i < 3; i++)
        await client.createModelVersion({
          name,
          source: `runs:/${runId}/model`,
          runId,
          tags: { attempt: String(i) },
        });
    });

    it("refuses a duplicate model with RESOURCE_ALREADY_EXISTS (400) and ensure returns the existing one", async () => {
      expect(await errorOf(client.createRegisteredModel(name))).toMatchObject({
        status: 400,
        errorCode: "RESOURCE_ALREADY_EXISTS",
        isAlreadyExists: true,
      });
      const ensured = await client.ensureRegisteredModel(name);
      expect(ensured.created).toBe(false);
      expect(ensured.model).toMatchObject({ name, description: "contract test", tags: { team: "qa" } });
    });

    it("keeps versions as strings and finds them by name and run_id IN (...)", async () => {
      const version = await client.getModelVersion(name, 2);
      expect(version).toMatchObject({
        name,
        version: "2",
        source: `runs:/${runId}/model`,
        runId,
        currentStage: "None",
        tags: { attempt: "1" },
      });
      const found = await collect(
        client.iterateModelVersions({
          filter: `name='${name}' AND run_id IN ('${runId}', 'other')`,
          maxResults: 2,
        }),
      );
      expect(found.map((v) => v.version).sort()).toEqual(["1", "2", "3"]);
      expect(await errorOf(client.getModelVersion(name, 99))).toMatchObject({
        status: 404,
        errorCode: "RESOURCE_DOES_NOT_EXIST",
      });
    });

    it("transitions stages case-insensitively and archives the others atomically when asked", async () => {
      await client.transitionStage(name, 1, "Production");
      const second = await client.transitionStage(name, 2, "production" as "Production", {
        archiveExistingVersions: true,
      });
      expect(second.currentStage).toBe("Production");
      expect((await client.getModelVersion(name, 1)).currentStage).toBe("Archived");
      await client.transitionStage(name, 3, "Staging", { archiveExistingVersions: false });
      const latest = await client.getLatestVersions(name, ["Production", "Staging"]);
      expect(latest.map((v) => [v.version, v.currentStage]).sort()).toEqual([
        ["2", "Production"],
        ["3", "Staging"],
      ]);
      const model = await client.getRegisteredModel(name);
      expect(model.latestVersions.map((v) => v.currentStage).sort()).toEqual([
        "Archived",
        "Production",
        "Staging",
      ]);
      const bad = await errorOf(client.transitionStage(name, 3, "Canary" as "Staging"));
      expect(bad).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      expect(bad.message).toMatch(/stage/i);
    });

    it("moves an alias from one version to another and resolves it", async () => {
      await client.setAlias(name, "champion", 1);
      expect((await client.getModelVersionByAlias(name, "champion")).version).toBe("1");
      await client.setAlias(name, "champion", "3");
      const resolved = await client.getModelVersionByAlias(name, "champion");
      expect(resolved).toMatchObject({ version: "3", aliases: ["champion"] });
      expect((await client.getModelVersion(name, 1)).aliases).toEqual([]);
      expect((await client.getRegisteredModel(name)).aliases).toEqual([{ alias: "champion", version: "3" }]);
      await client.deleteAlias(name, "champion");
      // Open-source MLflow answers a missing alias with 400, Databricks with 404: both mean "points nowhere".
      const missing = await errorOf(client.getModelVersionByAlias(name, "champion"));
      expect(missing).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      expect(isAliasMissing(missing)).toBe(true);
      expect(await client.findModelVersionByAlias(name, "champion")).toBeNull();
      expect(await client.findModelVersionByAlias(name, "never-set")).toBeNull();
    });

    it("sets and deletes tags on models and versions", async () => {
      await client.setModelVersionTag(name, 2, "validation", "passed");
      await client.setRegisteredModelTag(name, "owner", "qa-team");
      expect((await client.getModelVersion(name, 2)).tags).toMatchObject({ validation: "passed" });
      await client.deleteModelVersionTag(name, 2, "validation");
      await client.deleteRegisteredModelTag(name, "owner");
      expect((await client.getModelVersion(name, 2)).tags).not.toHaveProperty("validation");
      expect((await client.getRegisteredModel(name)).tags).not.toHaveProperty("owner");
      expect((await client.updateModelVersion(name, 2, { description: "better" })).description).toBe(
        "better",
      );
      expect((await client.updateRegisteredModel(name, { description: "renamed purpose" })).description).toBe(
        "renamed purpose",
      );
    });

    it("pages through registered models", async () => {
      const prefix = `contract-paging-${suffix()}`;
      for (let i = 0; i < 5; i++) await client.createRegisteredModel(`${prefix}-${i}`);
      const found = await collect(
        client.iterateRegisteredModels({ filter: `name LIKE '${prefix}-%'`, maxResults: 2 }),
      );
      expect(found.map((m) => m.name)).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
      const tooMany = await errorOf(client.searchRegisteredModels({ maxResults: 1001 }));
      expect(tooMany).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      for (let i = 0; i < 5; i++) await client.deleteRegisteredModel(`${prefix}-${i}`);
      expect(await errorOf(client.getRegisteredModel(`${prefix}-0`))).toMatchObject({ status: 404 });
    });
  });
}

describe("MLflow client against the sandbox", () => {
  let sandbox: RunningSandbox;
  const waits: number[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());
  const client = () =>
    createMlflowClient({
      baseUrl: sandbox.url,
      getToken: async () => sandbox.token,
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
      },
    });

  describe("shared contract", () => contractSuite(client));

  it("retries a 429 after the Retry-After it names", async () => {
    await sandbox.injectFaults([
      { path: "^/api/2.0/mlflow/runs/search$", status: 429, retryAfterSeconds: 2, times: 2 },
    ]);
    waits.length = 0;
    const experiment = await client().getExperimentByName("/Shared/churn-model");
    const page = await client().searchRuns({ experimentIds: [experiment.experimentId], maxResults: 3 });
    expect(page.items).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it("gives up on a 429 once the retry budget is spent", async () => {
    await sandbox.injectFaults([
      { path: "^/api/2.0/mlflow/experiments/search$", status: 429, retryAfterSeconds: 30 },
    ]);
    try {
      const impatient = createMlflowClient({
        baseUrl: sandbox.url,
        getToken: async () => sandbox.token,
        retryBudgetMs: 5_000,
      });
      expect(await errorOf(impatient.searchExperiments())).toMatchObject({
        status: 429,
        errorCode: "REQUEST_LIMIT_EXCEEDED",
        retryable: true,
        retryAfterMs: 30_000,
      });
    } finally {
      await sandbox.clearFaults();
    }
  });

  it("treats RESOURCE_ALREADY_EXISTS answered as 409 (Databricks) like the 400 form", async () => {
    const name = `dbx-style-${suffix()}`;
    await client().createRegisteredModel(name);
    await sandbox.injectFaults([
      {
        path: "^/api/2.0/mlflow/registered-models/create$",
        status: 409,
        errorCode: "RESOURCE_ALREADY_EXISTS",
        times: 1,
      },
    ]);
    const error = await errorOf(client().createRegisteredModel(name));
    expect(error).toMatchObject({ status: 409, errorCode: "RESOURCE_ALREADY_EXISTS", isAlreadyExists: true });
    await sandbox.injectFaults([
      {
        path: "^/api/2.0/mlflow/experiments/create$",
        status: 409,
        errorCode: "RESOURCE_ALREADY_EXISTS",
        times: 1,
      },
    ]);
    expect(await client().ensureExperiment("/Shared/churn-model")).toMatchObject({ created: false });
  });

  it("tells a missing route (bare 404 or ENDPOINT_NOT_FOUND) from a missing resource", async () => {
    const openSourceStyle = createMlflowClient({
      baseUrl: `${sandbox.url}/ajax-api/elsewhere`,
      getToken: async () => sandbox.token,
    });
    expect(await openSourceStyle.probeUnityCatalog()).toBe(false);
    const databricksStyle = createMlflowClient({
      baseUrl: `${sandbox.url}/elsewhere`,
      getToken: async () => sandbox.token,
    });
    expect(await databricksStyle.probeUnityCatalog()).toBe(false);
    expect(isEndpointMissing(await errorOf(client().getRun("0123456789abcdef0123456789abcdef")))).toBe(false);
  });

  it("answers a bad token with 401 UNAUTHENTICATED", async () => {
    const stranger = createMlflowClient({ baseUrl: sandbox.url, getToken: async () => "wrong" });
    expect(await errorOf(stranger.searchExperiments())).toMatchObject({
      status: 401,
      errorCode: "UNAUTHENTICATED",
      retryable: false,
    });
  });

  it("falls back to sampling full histories when the bulk-interval endpoint is missing, with the same answer", async () => {
    const experiment = await client().getExperimentByName("/Shared/churn-model");
    const runIds = (
      await client().searchRuns({ experimentIds: [experiment.experimentId], maxResults: 3 })
    ).items.map((r) => r.info.runId);
    const fromServer = await client().getMetricHistoryBulkInterval({
      runIds,
      metricKey: "auc",
      maxResults: 10,
    });
    await sandbox.injectFaults([
      { path: "get-history-bulk-interval$", status: 404, errorCode: "ENDPOINT_NOT_FOUND", times: 1 },
    ]);
    const computed = await client().getMetricHistoryBulkInterval({
      runIds,
      metricKey: "auc",
      maxResults: 10,
    });
    expect(computed).toEqual(fromServer);
    expect(computed.length).toBeGreaterThan(10);
  });

  it("registers a model version as PENDING_REGISTRATION, READY shortly after", async () => {
    const name = `pending-${suffix()}`;
    await client().createRegisteredModel(name);
    const created = await client().createModelVersion({ name, source: "dbfs:/models/x" });
    expect(created.status).toBe("PENDING_REGISTRATION");
    await expect
      .poll(async () => (await client().getModelVersion(name, created.version)).status, { timeout: 5000 })
      .toBe("READY");
  });

  it("serves the seeded demo estate", async () => {
    const experiments = await collect(client().iterateExperiments({ filter: "name LIKE '/Shared/%'" }));
    expect(experiments.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        "/Shared/churn-model",
        "/Shared/network-anomaly",
        "/Shared/genai-support-assistant",
      ]),
    );
    const churn = experiments.find((e) => e.name === "/Shared/churn-model")!;
    const runs = await collect(
      client().iterateRuns({ experimentIds: [churn.experimentId], filter: "attributes.status = 'FINISHED'" }),
    );
    expect(runs.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(runs[0].metrics)).toEqual(
      expect.arrayContaining(["auc", "accuracy", "train_loss", "val_loss"]),
    );
    expect((await client().getMetricHistory(runs[0].info.runId, "auc")).items.length).toBeGreaterThanOrEqual(
      20,
    );
    const model = await client().getRegisteredModel("churn-classifier");
    expect(model.latestVersions.map((v) => v.currentStage)).toEqual(
      expect.arrayContaining(["Production", "Staging"]),
    );
    const uc = await client().getUcModel("main.ml.churn_classifier");
    expect(uc.aliases.map((a) => a.aliasName).sort()).toEqual(["challenger", "champion"]);
  });

  it("serves the same API under the UI's /ajax-api prefix", async () => {
    const response = await fetch(
      `${sandbox.url}/ajax-api/2.0/mlflow/experiments/get-by-name?experiment_name=/Shared/churn-model`,
      { headers: { authorization: `Bearer ${sandbox.token}` } },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).experiment.name).toBe("/Shared/churn-model");
  });

  it("takes what a Databricks training job sends: runs/create, log-batch, update, model-versions/create", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sandbox.url}/api/2.0/mlflow/${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const experiment = await client().getExperimentByName("/Shared/churn-model");
    const created = await post("runs/create", {
      experiment_id: experiment.experimentId,
      run_name: "job-run",
      start_time: Date.now(),
      tags: [{ key: "mlflow.databricks.jobRunId", value: "991" }],
    });
    expect(created.status).toBe(200);
    const runId = created.body.run.info.run_id;
    const logged = await post("runs/log-batch", {
      run_id: runId,
      metrics: [
        { key: "auc", value: 0.9, timestamp: Date.now(), step: 0 },
        { key: "loss", value: "NaN", timestamp: Date.now() },
      ],
      params: [{ key: "lr", value: "0.1" }],
    });
    expect(logged).toEqual({ status: 200, body: {} });
    const tooMany = await post("runs/log-batch", {
      run_id: runId,
      params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "1" })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/at most 100 params/);
    expect(
      (await post("runs/update", { run_id: runId, status: "FINISHED", end_time: Date.now() })).body.run_info
        .status,
    ).toBe("FINISHED");
    const version = await post("model-versions/create", {
      name: "main.ml.churn_classifier",
      source: `dbfs:/databricks/mlflow-tracking/${experiment.experimentId}/${runId}/artifacts/model`,
      run_id: runId,
    });
    expect(version.status).toBe(200);
    expect(typeof version.body.model_version.version).toBe("string");
    const read = await client().getRun(runId);
    expect(Number.isNaN(read.metrics.loss.value)).toBe(true);
    const ucVersion = await client().getUcModelVersion(
      "main.ml.churn_classifier",
      Number(version.body.model_version.version),
    );
    expect(ucVersion).toMatchObject({ runId, fullName: "main.ml.churn_classifier" });
  });

  describe("Unity Catalog models", () => {
    it("is detected as available", async () => {
      expect(await client().probeUnityCatalog()).toBe(true);
    });

    it("pages through models, versions as integers", async () => {
      const schemaName = `contract_${suffix()}`;
      const names = Array.from({ length: 5 }, (_, i) => `qa.${schemaName}.model_${i}`);
      for (const name of names) await client().createRegisteredModel(name);
      await client().createModelVersion({ name: names[0], source: "dbfs:/a" });
      await client().createModelVersion({ name: names[0], source: "dbfs:/b" });
      const catalogName = "qa";
      const pages: number[] = [];
      let pageToken: string | undefined;
      do {
        const page = await client().listUcModels({ catalogName, schemaName, maxResults: 2, pageToken });
        pages.push(page.items.length);
        pageToken = page.nextPageToken;
      } while (pageToken);
      // Like Unity Catalog, the sandbox sends an empty page with a token: the client must not stop there.
      expect(pages).toEqual([2, 0, 2, 1]);
      expect(
        (await collect(client().iterateUcModels({ catalogName, schemaName, maxResults: 2 }))).map(
          (m) => m.fullName,
        ),
      ).toEqual(names);
      const versions = await collect(client().iterateUcModelVersions(names[0], { maxResults: 1 }));
      expect(versions.map((v) => v.version)).toEqual([2, 1]);
    });

    it("moves champion and challenger aliases and resolves them", async () => {
      const fullName = "main.ml.churn_classifier";
      const before = await client().getUcModelVersionByAlias(fullName, "champion");
      const challenger = await client().getUcModelVersionByAlias(fullName, "challenger");
      expect(await client().setUcAlias(fullName, "champion", challenger.version)).toEqual({
        aliasName: "champion",
        versionNum: challenger.version,
      });
      expect((await client().getUcModelVersionByAlias(fullName, "champion")).version).toBe(
        challenger.version,
      );
      expect(
        (await client().getUcModelVersion(fullName, before.version)).aliases.map((a) => a.aliasName),
      ).not.toContain("champion");
      await client().deleteUcAlias(fullName, "challenger");
      expect(await errorOf(client().getUcModelVersionByAlias(fullName, "challenger"))).toMatchObject({
        status: 404,
        isNotFound: true,
      });
      expect(await client().findUcModelVersionByAlias(fullName, "challenger")).toBeNull();
      await client().setUcAlias(fullName, "champion", before.version);
      await client().setUcAlias(fullName, "challenger", challenger.version);
    });

    it("has no stages, and does not know workspace models", async () => {
      const stage = await errorOf(client().transitionStage("main.ml.churn_classifier", 1, "Production"));
      expect(stage).toMatchObject({ status: 400 });
      expect(stage.message).toMatch(/not supported/);
      expect(await errorOf(client().getUcModel("churn-classifier"))).toMatchObject({
        status: 404,
        errorCode: "RESOURCE_DOES_NOT_EXIST",
      });
    });
  });
});

describe.skipIf(!realUrl)("MLflow client against a real MLflow server (MLFLOW_CONTRACT_URL)", () => {
  const token = process.env.MLFLOW_CONTRACT_TOKEN;
  const real = () =>
    createMlflowClient({ baseUrl: realUrl!, getToken: token ? async () => token : undefined });
  contractSuite(real);

  // Where Databricks differs (docs/sandbox.md, "Known differences"): the sandbox half above covers Databricks' side.
  it("has no Unity Catalog model endpoints, and a registration is READY at once", async () => {
    expect(await real().probeUnityCatalog()).toBe(false);
    const name = `oss-${suffix()}`;
    await real().createRegisteredModel(name);
    expect((await real().createModelVersion({ name, source: "dbfs:/models/oss" })).status).toBe("READY");
    await real().deleteRegisteredModel(name);
  });
});
