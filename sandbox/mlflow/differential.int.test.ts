import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudApiError, collect } from "@/lib/clients/http";
import { createMlflowClient, type MlflowClient } from "@/lib/clients/mlflow";
import { startSandbox, type RunningSandbox } from "../testing";

/**
 * Differential test: every request the product's MLflow client makes goes, in the same order and with
 * the same names, to a real open-source MLflow server (MLFLOW_CONTRACT_URL) and to the sandbox, through
 * the client itself (a recording fetch keeps the raw answers). The answers must agree in status,
 * error_code, which keys are present (empty strings vs omitted, empty lists omitted), paging tokens and
 * ordering; ids, timestamps, artifact paths and messages are normalised away. The Databricks-only
 * behaviour the sandbox keeps on purpose is listed in docs/sandbox.md and exempted below by name.
 */

const realUrl = process.env.MLFLOW_CONTRACT_URL;
if (!realUrl)
  console.info(
    "[mlflow differential] MLFLOW_CONTRACT_URL is not set: the sandbox is not compared with a real MLflow server.",
  );

interface Exchange {
  request: string;
  status: number;
  body: unknown;
}

interface Context {
  client: MlflowClient;
  names: Names;
  /** Ids this target gave out, by the scenario's own labels. */
  ids: Record<string, string>;
}

type Names = ReturnType<typeof namesFor>;
const namesFor = (suffix: string) => ({
  experiment: `/Shared/diff-${suffix}`,
  experimentPrefix: `/Shared/diff-${suffix}-page`,
  model: `diff-model-${suffix}`,
  modelPrefix: `diff-paging-${suffix}`,
});

/** Runs a call whose refusal is part of the scenario: the answer is recorded either way. */
async function attempt(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof CloudApiError)) throw error;
  }
}

/** The scenario: each step names the client methods it covers. Steps run in order against each target. */
const steps: Array<{
  name: string;
  covers: Array<keyof MlflowClient>;
  run: (ctx: Context) => Promise<void>;
}> = [
  {
    name: "experiments: create, duplicate, get, get-by-name, missing ones",
    covers: ["createExperiment", "ensureExperiment", "getExperiment", "getExperimentByName"],
    async run({ client, names, ids }) {
      ids.experiment = await client.createExperiment(names.experiment, {
        tags: { purpose: "differential", empty: "" },
      });
      await client.ensureExperiment(names.experiment);
      await client.getExperiment(ids.experiment);
      await attempt(client.getExperiment("987654321"));
      await attempt(client.getExperiment("abc"));
      await attempt(client.getExperimentByName(`${names.experiment}-missing`));
    },
  },
  {
    name: "experiments/search: filter, order, pages including an exactly full last page",
    covers: ["searchExperiments", "iterateExperiments"],
    async run({ client, names, ids }) {
      for (let i = 0; i < 4; i++)
        ids[`page${i}`] = await client.createExperiment(`${names.experimentPrefix}-${i}`);
      const filter = `name LIKE '${names.experimentPrefix}-%'`;
      await collect(client.iterateExperiments({ filter, maxResults: 2, orderBy: ["name DESC"] }));
      await client.searchExperiments({ filter, maxResults: 3 });
      await client.searchExperiments({ filter: `name = '${names.experiment}'` });
      await attempt(client.searchExperiments({ filter: "name ~ 'x'" }));
      await attempt(client.searchExperiments({ maxResults: 50_001 }));
    },
  },
  {
    name: "runs: create, get, update, missing run",
    covers: ["createRun", "getRun", "updateRun"],
    async run({ client, ids }) {
      const base = 1_700_000_000_000;
      for (let i = 0; i < 6; i++) {
        const tags: Record<string, string> =
          i === 0
            ? { "mlflow.user": "someone@example.com", team: "retention" }
            : { team: i % 2 ? "growth" : "retention" };
        ids[`run${i}`] = (
          await client.createRun({
            experimentId: ids.experiment,
            runName: `run-${i}`,
            startTime: base + i * 1000,
            tags,
            userId: i === 1 ? "runner" : undefined,
          })
        ).info.runId;
      }
      await client.getRun(ids.run0);
      await client.updateRun(ids.run0, { status: "FINISHED", endTime: base + 60_000 });
      await client.updateRun(ids.run1, { runName: "renamed" });
      await attempt(client.updateRun(ids.run1, { status: "BOGUS" as "FINISHED" }));
      await attempt(client.getRun("0123456789abcdef0123456789abcdef"));
    },
  },
  {
    name: "runs: log-batch, log-metric, log-parameter, set-tag and their refusals",
    covers: ["logBatch", "logMetric", "logParam", "setRunTag"],
    async run({ client, ids }) {
      const at = 1_700_000_100_000;
      for (let i = 0; i < 6; i++) {
        await client.logBatch(ids[`run${i}`], {
          metrics: [
            { key: "auc", value: 0.5 + i / 20, step: 0, timestamp: at },
            { key: "val loss", value: 1 - i / 10, step: 0, timestamp: at },
          ],
          params: { family: i % 2 ? "xgboost" : "logreg", "learning rate": String(0.1 * (i + 1)) },
        });
      }
      await client.logMetric(ids.run0, { key: "loss", value: Number.NaN, step: 1, timestamp: at });
      await client.logMetric(ids.run0, { key: "loss", value: 0.5, step: 2, timestamp: at + 1 });
      await client.logParam(ids.run0, "optimizer", "adam");
      await attempt(client.logParam(ids.run0, "optimizer", "sgd"));
      await client.setRunTag(ids.run0, "stage", "eval");
      await client.setRunTag(ids.run0, "blank", "");
      await client.logBatch(ids.run0, { tags: { "blank too": "" }, params: { "blank param": "" } });
      await attempt(
        client.logBatch(ids.run0, {
          params: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, "1"])),
        }),
      );
      await attempt(client.setRunTag("0123456789abcdef0123456789abcdef", "x", "y"));
      await client.getRun(ids.run0);
    },
  },
  {
    name: "runs/search: default order, filters, order by, pages including an exactly full last page",
    covers: ["searchRuns", "searchRunsPage", "iterateRuns"],
    async run({ client, ids }) {
      const experimentIds = [ids.experiment];
      await collect(client.iterateRuns({ experimentIds, maxResults: 3 }));
      await client.searchRuns({ experimentIds, maxResults: 4 });
      await client.searchRunsPage({ experimentIds, maxResults: 3 });
      await client.searchRunsPage({ experimentIds, maxResults: 6 });
      await client.searchRuns({
        experimentIds,
        filter: "metrics.auc > 0.6 AND params.family = 'xgboost'",
        orderBy: ["metrics.auc DESC"],
      });
      await client.searchRuns({
        experimentIds,
        filter: "metrics.`val loss` < 0.8 AND tags.team ILIKE 'RETENTION'",
      });
      await client.searchRuns({
        experimentIds,
        filter: "attributes.run_name LIKE 'run-%'",
        orderBy: ["attributes.run_name ASC"],
      });
      await client.searchRuns({
        experimentIds,
        filter: `attributes.run_id IN ('${ids.run2}', '${ids.run3}')`,
        orderBy: ["attributes.start_time ASC"],
      });
      await client.searchRuns({ experimentIds, filter: "params.family = 'nothing'" });
      // IN takes run ids only: a tag IN list is refused (why feature lineage searches once per service).
      await attempt(client.searchRuns({ experimentIds, filter: "tags.team IN ('retention', 'growth')" }));
      await attempt(client.searchRuns({ experimentIds, filter: "metrics.auc > 'high'" }));
      await attempt(client.searchRuns({ experimentIds, filter: "colour.x = 'red'" }));
      await attempt(client.searchRuns({ experimentIds, maxResults: 50_001 }));
    },
  },
  {
    name: "runs: delete, search deleted, restore",
    covers: ["deleteRun", "restoreRun"],
    async run({ client, ids }) {
      await client.deleteRun(ids.run5);
      await client.searchRuns({
        experimentIds: [ids.experiment],
        filter: `attributes.run_id = '${ids.run5}'`,
      });
      await client.searchRuns({ experimentIds: [ids.experiment], runViewType: "DELETED_ONLY" });
      await attempt(client.logParam(ids.run5, "late", "1"));
      await client.restoreRun(ids.run5);
      await attempt(client.deleteRun("0123456789abcdef0123456789abcdef"));
    },
  },
  {
    name: "metrics/get-history: the whole history, whatever max_results and page_token say",
    covers: ["getMetricHistory", "iterateMetricHistory"],
    async run({ client, ids }) {
      const at = 1_700_000_200_000;
      await client.logBatch(ids.run1, {
        metrics: Array.from({ length: 30 }, (_, step) => ({
          key: "acc",
          value: step / 30,
          step,
          timestamp: at + (step % 7),
        })),
      });
      await client.getMetricHistory(ids.run1, "acc");
      await client.getMetricHistory(ids.run1, "acc", { maxResults: 7 });
      await client.getMetricHistory(ids.run1, "acc", { maxResults: 7, pageToken: "eyJvZmZzZXQiOiA3fQ==" });
      await collect(client.iterateMetricHistory(ids.run1, "acc", 10));
      await client.getMetricHistory(ids.run1, "no-such-metric");
      await attempt(client.getMetricHistory("0123456789abcdef0123456789abcdef", "acc"));
    },
  },
  {
    name: "metrics/get-history-bulk-interval: sampling, step range and refusals",
    covers: ["getMetricHistoryBulkInterval"],
    async run({ client, ids }) {
      const at = 1_700_000_300_000;
      await client.logBatch(ids.run2, {
        metrics: Array.from({ length: 40 }, (_, i) => ({
          key: "acc",
          value: i / 40,
          step: 3 + i * 5,
          timestamp: at + i,
        })),
      });
      await client.getMetricHistoryBulkInterval({
        runIds: [ids.run1, ids.run2],
        metricKey: "acc",
        maxResults: 8,
      });
      await client.getMetricHistoryBulkInterval({
        runIds: [ids.run1, ids.run2],
        metricKey: "acc",
        maxResults: 50,
        startStep: 5,
        endStep: 20,
      });
      await client.getMetricHistoryBulkInterval({ runIds: [ids.run3], metricKey: "acc" });
      await attempt(
        client.getMetricHistoryBulkInterval({ runIds: [ids.run1], metricKey: "acc", startStep: 3 }),
      );
      await attempt(
        client.getMetricHistoryBulkInterval({ runIds: [ids.run1], metricKey: "acc", maxResults: 2501 }),
      );
      await attempt(
        client.getMetricHistoryBulkInterval({
          runIds: Array.from({ length: 101 }, (_, i) => `run${i}`),
          metricKey: "acc",
        }),
      );
    },
  },
  {
    name: "registered models: create, duplicate, get, update, tags, missing one",
    covers: [
      "createRegisteredModel",
      "ensureRegisteredModel",
      "getRegisteredModel",
      "updateRegisteredModel",
      "setRegisteredModelTag",
      "deleteRegisteredModelTag",
    ],
    async run({ client, names }) {
      await client.createRegisteredModel(names.model, { tags: { team: "qa" } });
      await client.ensureRegisteredModel(names.model);
      await client.getRegisteredModel(names.model);
      await client.updateRegisteredModel(names.model, { description: "differential" });
      await client.setRegisteredModelTag(names.model, "owner", "qa-team");
      await client.setRegisteredModelTag(names.model, "blank", "");
      await client.deleteRegisteredModelTag(names.model, "owner");
      await client.getRegisteredModel(names.model);
      await attempt(client.getRegisteredModel(`${names.model}-missing`));
      await attempt(client.setRegisteredModelTag(`${names.model}-missing`, "k", "v"));
    },
  },
  {
    name: "model versions: create, get, update, tags, search, missing ones",
    covers: [
      "createModelVersion",
      "getModelVersion",
      "updateModelVersion",
      "setModelVersionTag",
      "deleteModelVersionTag",
      "searchModelVersions",
      "iterateModelVersions",
    ],
    async run({ client, names, ids }) {
      await client.createModelVersion({
        name: names.model,
        source: `runs:/${ids.run0}/model`,
        runId: ids.run0,
        tags: { attempt: "0" },
      });
      await client.createModelVersion({
        name: names.model,
        source: `runs:/${ids.run1}/model`,
        runId: ids.run1,
        description: "second",
      });
      await client.createModelVersion({ name: names.model, source: "dbfs:/models/diff/model" });
      await attempt(client.createModelVersion({ name: names.model, source: "/tmp/models/diff/model" }));
      await client.getModelVersion(names.model, 2);
      await client.updateModelVersion(names.model, 2, { description: "" });
      await client.setModelVersionTag(names.model, 2, "validation", "passed");
      await client.setModelVersionTag(names.model, 2, "blank", "");
      await client.deleteModelVersionTag(names.model, 2, "validation");
      await client.getModelVersion(names.model, "2");
      const filter = `name = '${names.model}'`;
      await collect(client.iterateModelVersions({ filter, maxResults: 2 }));
      await client.searchModelVersions({ filter: `${filter} AND run_id IN ('${ids.run0}', '${ids.run1}')` });
      await client.searchModelVersions({ filter, maxResults: 3 });
      await attempt(client.getModelVersion(names.model, 99));
      await attempt(client.getModelVersion(`${names.model}-missing`, 1));
      await attempt(client.getModelVersion(names.model, "abc"));
      await attempt(client.createModelVersion({ name: `${names.model}-missing`, source: "dbfs:/models/x" }));
    },
  },
  {
    name: "stages: transition, archive the incumbents, latest versions, bad stage",
    covers: ["transitionStage", "getLatestVersions"],
    async run({ client, names }) {
      await client.transitionStage(names.model, 1, "Production");
      await client.transitionStage(names.model, 2, "production" as "Production", {
        archiveExistingVersions: true,
      });
      await client.transitionStage(names.model, 3, "Staging");
      await client.getLatestVersions(names.model, ["Production", "Staging"]);
      await client.getLatestVersions(names.model);
      await client.getRegisteredModel(names.model);
      await attempt(client.transitionStage(names.model, 3, "Canary" as "Staging"));
      await attempt(client.getLatestVersions(`${names.model}-missing`));
    },
  },
  {
    name: "aliases: set, move, resolve, delete, and a missing alias",
    covers: ["setAlias", "getModelVersionByAlias", "findModelVersionByAlias", "deleteAlias"],
    async run({ client, names }) {
      await client.setAlias(names.model, "champion", 1);
      await client.setAlias(names.model, "challenger", 1);
      await client.setAlias(names.model, "champion", "3");
      await client.getModelVersionByAlias(names.model, "champion");
      await client.getModelVersion(names.model, 1);
      await client.searchModelVersions({ filter: `name = '${names.model}'` });
      await client.getRegisteredModel(names.model);
      await client.deleteAlias(names.model, "champion");
      await client.deleteAlias(names.model, "never-set");
      await attempt(client.getModelVersionByAlias(names.model, "champion"));
      await attempt(client.getModelVersionByAlias(`${names.model}-missing`, "champion"));
      await client.findModelVersionByAlias(names.model, "champion");
      await attempt(client.setAlias(names.model, "latest", 1));
      await attempt(client.setAlias(names.model, "other", 99));
      await attempt(client.deleteAlias(`${names.model}-missing`, "x"));
    },
  },
  {
    name: "registered-models/search: filter, pages including an exactly full last page, delete",
    covers: ["searchRegisteredModels", "iterateRegisteredModels", "deleteRegisteredModel"],
    async run({ client, names }) {
      for (let i = 0; i < 4; i++) await client.createRegisteredModel(`${names.modelPrefix}-${i}`);
      const filter = `name LIKE '${names.modelPrefix}-%'`;
      await collect(client.iterateRegisteredModels({ filter, maxResults: 2 }));
      await client.searchRegisteredModels({ filter, maxResults: 3, orderBy: ["name DESC"] });
      await attempt(client.searchRegisteredModels({ maxResults: 1001 }));
      for (let i = 0; i < 4; i++) await client.deleteRegisteredModel(`${names.modelPrefix}-${i}`);
      await client.searchRegisteredModels({ filter });
      await attempt(client.deleteRegisteredModel(`${names.modelPrefix}-0`));
    },
  },
];

/**
 * Client methods with no open-source counterpart: Unity Catalog models exist on Databricks only (the
 * sandbox serves them, open-source MLflow answers a bare 404). Their contract is the sandbox half of
 * lib/clients/mlflow/mlflow.int.test.ts and docs/sandbox.md's list of known differences.
 */
const databricksOnly: Array<keyof MlflowClient> = [
  "probeUnityCatalog",
  "listUcModels",
  "iterateUcModels",
  "getUcModel",
  "listUcModelVersions",
  "iterateUcModelVersions",
  "getUcModelVersion",
  "setUcAlias",
  "deleteUcAlias",
  "getUcModelVersionByAlias",
  "findUcModelVersionByAlias",
];

const timeKey = /(^|_)(time|timestamp)$/;

/**
 * Replaces what legitimately differs between two servers with stable labels: the ids each target gave
 * out become the scenario's names for them (so ordering still shows), clocks, artifact paths and
 * wording are dropped.
 */
function normaliser(ids: Record<string, string>, isSandbox: boolean) {
  const labels = new Map(Object.entries(ids).map(([label, id]) => [id, `<${label}>`]));
  const label = (id: string) => labels.get(id) ?? id;
  // Run ids are 32 hex digits anywhere; experiment ids are small numbers, so only where named.
  const text = (value: string) =>
    value
      .replace(/\b[0-9a-f]{32}\b/g, label)
      .replace(
        /(experiment_ids?"?[=:]\[?"?)(\d+)/g,
        (_, prefix: string, id: string) => `${prefix}${label(id)}`,
      );
  const walk = (value: unknown, key = "", path = ""): unknown => {
    if (Array.isArray(value)) {
      const items = value.map((item) => walk(item, key, path));
      // Tags, params and a run's latest metrics come back in database order, which MLflow leaves unspecified (the client reads them into maps).
      return key === "tags" || key === "params" || path.endsWith("data.metrics")
        ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
        : items;
    }
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => k !== "message")
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, walk(v, k, `${path}.${k}`)]),
      );
    }
    if (typeof value === "number" && timeKey.test(key)) return "<time>";
    if (typeof value !== "string") return value;
    if (key === "next_page_token") return "<token>";
    // Known difference (docs/sandbox.md): like Databricks, the sandbox registers a version PENDING_REGISTRATION for a moment.
    if (isSandbox && key === "status" && value === "PENDING_REGISTRATION") return "READY";
    if ((key === "artifact_location" || key === "artifact_uri") && value) return "<artifact path>";
    return key === "experiment_id" ? label(value) : text(value);
  };
  return (exchanges: Exchange[]) =>
    exchanges.map((e) => ({ request: text(e.request), status: e.status, body: walk(e.body) }));
}

function recordingClient(baseUrl: string, token: string | undefined, log: Exchange[]): MlflowClient {
  const recording: typeof fetch = async (input, init) => {
    // Orders by time (newest first) must never tie: the sandbox answers within the millisecond, MLflow does not.
    await new Promise((resolve) => setTimeout(resolve, 3));
    const response = await fetch(input, init);
    const url = new URL(String(input));
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // A bare 404 page, for instance: kept as text.
    }
    log.push({
      request: `${init?.method ?? "GET"} ${url.pathname.replace(/^\/api\/2\.\d\/mlflow\//, "")}${decodeURIComponent(url.search.replaceAll("+", " "))}${init?.body ? ` ${String(init.body)}` : ""}`,
      status: response.status,
      body,
    });
    return response;
  };
  return createMlflowClient({
    baseUrl,
    getToken: token ? async () => token : undefined,
    fetch: recording,
    retryBudgetMs: 0,
  });
}

const stepThrew = -1;

async function runScenario(baseUrl: string, token: string | undefined, suffix: string, isSandbox: boolean) {
  const exchanges: Exchange[][] = [];
  const ctx = { names: namesFor(suffix), ids: {} as Record<string, string> };
  for (const step of steps) {
    const log: Exchange[] = [];
    try {
      await step.run({ ...ctx, client: recordingClient(baseUrl, token, log) });
    } catch (error) {
      log.push({ request: "scenario step threw", status: stepThrew, body: String(error) });
    }
    exchanges.push(log);
  }
  return { exchanges, normalise: normaliser(ctx.ids, isSandbox) };
}

describe("every MLflow client method has a differential step or is Databricks-only", () => {
  it("covers the client", () => {
    const client = createMlflowClient({ baseUrl: "http://127.0.0.1:9" });
    const covered = new Set([...steps.flatMap((s) => s.covers), ...databricksOnly]);
    expect(Object.keys(client).filter((method) => !covered.has(method as keyof MlflowClient))).toEqual([]);
  });
});

describe.skipIf(!realUrl)("the sandbox answers like a real MLflow server (MLFLOW_CONTRACT_URL)", () => {
  let sandbox: RunningSandbox;
  let real: Awaited<ReturnType<typeof runScenario>>;
  let emulated: Awaited<ReturnType<typeof runScenario>>;
  beforeAll(async () => {
    sandbox = await startSandbox();
    const suffix = randomBytes(4).toString("hex");
    real = await runScenario(realUrl!, process.env.MLFLOW_CONTRACT_TOKEN, suffix, false);
    emulated = await runScenario(sandbox.url, sandbox.token, suffix, true);
  }, 120_000);
  afterAll(() => sandbox?.close());

  it.each(steps.map((step, index) => [step.name, index] as const))("%s", (_name, index) => {
    // A step that stops half-way against the real server is a scenario bug, not an agreement.
    expect(real.exchanges[index].filter((e) => e.status === stepThrew)).toEqual([]);
    expect(emulated.normalise(emulated.exchanges[index])).toEqual(real.normalise(real.exchanges[index]));
  });
});
