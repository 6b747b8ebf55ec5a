import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { sampleSteps } from "@/lib/clients/mlflow/metric-sampling";
import { ApiError } from "../lib/errors";
import { getExperiment } from "./experiments";
import { inTransaction, type Queryable } from "./schema";
import {
  compareForSort,
  compareValues,
  decodePageToken,
  encodePageToken,
  parseOrderBy,
  parseSearchFilter,
  runSearchSpec,
  type FilterClause,
  type OrderByClause,
} from "./search-filter";
import {
  compact,
  invalidParameter,
  keyValueList,
  lifecycleStagesFor,
  maxResults,
  mlflowRoute,
  now,
  optionalInt,
  optionalString,
  requireString,
  stringList,
  viewType,
  wireDouble,
  type Args,
} from "./wire";

/** Runs and their metrics, params, tags and inputs: what training jobs write and Switchboard reads. */

const runStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;

/** Limits from mlflow/utils/validation.py. */
const batchLimits = {
  metrics: 1000,
  params: 100,
  tags: 100,
  total: 1000,
  bytes: 1024 * 1024,
  paramValueLength: 6000,
  tagValueLength: 8000,
};
const maxRunsPerBulkRequest = 100;
const maxResultsPerRun = 2500;

/** A pooled connection runs one query at a time, so inside a transaction the queries go in turn. */
async function inTurn<T>(db: Queryable, queries: Array<() => Promise<T>>): Promise<T[]> {
  if (!("release" in db)) return Promise.all(queries.map((query) => query()));
  const results: T[] = [];
  for (const query of queries) results.push(await query());
  return results;
}

interface RunRow {
  run_id: string;
  experiment_id: string;
  run_name: string;
  user_id: string;
  status: string;
  start_time: string;
  end_time: string | null;
  artifact_uri: string;
  lifecycle_stage: string;
}

export interface LoadedRun {
  info: RunRow;
  metrics: Map<string, { key: string; value: number; timestamp: number; step: number }>;
  params: Map<string, string>;
  tags: Map<string, string>;
  inputs: Array<{ dataset: Record<string, unknown>; tags: Array<{ key: string; value: string }> }>;
}

async function loadRuns(db: Queryable, where: string, values: unknown[]): Promise<LoadedRun[]> {
  const { rows } = await db.query<RunRow>(`SELECT * FROM mlflow_runs WHERE ${where}`, values);
  const ids = rows.map((r) => r.run_id);
  const runs = new Map(
    rows.map((info) => [
      info.run_id,
      { info, metrics: new Map(), params: new Map(), tags: new Map(), inputs: [] } as LoadedRun,
    ]),
  );
  if (!ids.length) return [];
  const [metrics, params, tags, inputs] = await inTurn(db, [
    () =>
      db.query(
        `SELECT DISTINCT ON (run_id, key) run_id, key, value, timestamp, step FROM mlflow_metrics WHERE run_id = ANY($1)
       ORDER BY run_id, key, step DESC, timestamp DESC, value DESC`,
        [ids],
      ),
    () => db.query("SELECT run_id, key, value FROM mlflow_params WHERE run_id = ANY($1) ORDER BY key", [ids]),
    () => db.query("SELECT run_id, key, value FROM mlflow_tags WHERE run_id = ANY($1) ORDER BY key", [ids]),
    () =>
      db.query(
        "SELECT run_id, dataset, tags FROM mlflow_run_inputs WHERE run_id = ANY($1) ORDER BY dataset_name",
        [ids],
      ),
  ]);
  for (const m of metrics.rows)
    runs.get(m.run_id)!.metrics.set(m.key, {
      key: m.key,
      value: Number(m.value),
      timestamp: Number(m.timestamp),
      step: Number(m.step),
    });
  for (const p of params.rows) runs.get(p.run_id)!.params.set(p.key, p.value);
  for (const t of tags.rows) runs.get(t.run_id)!.tags.set(t.key, t.value);
  for (const input of inputs.rows)
    runs.get(input.run_id)!.inputs.push({ dataset: input.dataset, tags: input.tags });
  return [...runs.values()];
}

function runInfoToWire(info: RunRow) {
  return compact({
    run_uuid: info.run_id,
    run_id: info.run_id,
    run_name: info.run_name,
    experiment_id: String(info.experiment_id),
    user_id: info.user_id,
    status: info.status,
    start_time: Number(info.start_time),
    end_time: info.end_time === null ? undefined : Number(info.end_time),
    artifact_uri: info.artifact_uri,
    lifecycle_stage: info.lifecycle_stage,
  });
}

function runToWire(run: LoadedRun) {
  return {
    info: runInfoToWire(run.info),
    data: compact({
      metrics: [...run.metrics.values()].map((m) => ({ ...m, value: wireDouble(m.value) })),
      params: [...run.params].map(([key, value]) => ({ key, value })),
      tags: [...run.tags].map(([key, value]) => ({ key, value })),
    }),
    inputs: compact({
      dataset_inputs: run.inputs.map((input) => compact({ tags: input.tags, dataset: input.dataset })),
    }),
  };
}

async function getLoadedRun(db: Queryable, runId: string): Promise<LoadedRun> {
  const [run] = await loadRuns(db, "run_id = $1", [runId]);
  if (!run) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Run with id=${runId} not found`);
  return run;
}

async function requireActiveRun(db: Queryable, runId: string): Promise<void> {
  const { rows } = await db.query<{ lifecycle_stage: string }>(
    "SELECT lifecycle_stage FROM mlflow_runs WHERE run_id = $1 FOR UPDATE",
    [runId],
  );
  if (!rows.length) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Run with id=${runId} not found`);
  if (rows[0].lifecycle_stage !== "active")
    throw invalidParameter(
      `The run ${runId} must be in the 'active' state. Current state is ${rows[0].lifecycle_stage}.`,
    );
}

const adjectives = [
  "able",
  "bold",
  "brave",
  "calm",
  "clever",
  "crisp",
  "eager",
  "gentle",
  "keen",
  "lucky",
  "merry",
  "nimble",
  "quiet",
  "rare",
  "sharp",
  "sleek",
  "swift",
  "tidy",
  "vivid",
  "wise",
];
const nouns = [
  "ant",
  "bass",
  "crow",
  "deer",
  "eel",
  "finch",
  "gull",
  "hare",
  "ibis",
  "jay",
  "koi",
  "lark",
  "mole",
  "newt",
  "owl",
  "panda",
  "quail",
  "robin",
  "seal",
  "trout",
];
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
const randomRunName = () => `${pick(adjectives)}-${pick(nouns)}-${Math.floor(Math.random() * 1000)}`;

export interface CreateRunInput {
  experimentId: string;
  runName?: string;
  userId?: string;
  startTime?: number;
  tags?: Array<{ key: string; value: string }>;
}

export async function createRun(db: Queryable, input: CreateRunInput): Promise<LoadedRun> {
  return inTransaction(db, async (client) => {
    const experiment = await getExperiment(client, input.experimentId);
    if (experiment.lifecycle_stage !== "active")
      throw invalidParameter(
        `The experiment ${input.experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`,
      );
    const runId = randomUUID().replaceAll("-", "");
    const tags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
    const runName = input.runName || tags.get("mlflow.runName") || randomRunName();
    tags.set("mlflow.runName", runName);
    // MLflow stores the user_id the client sent; the mlflow.user tag does not fill it.
    const userId = input.userId ?? "";
    await client.query(
      `INSERT INTO mlflow_runs (run_id, experiment_id, run_name, user_id, status, start_time, artifact_uri) VALUES ($1, $2, $3, $4, 'RUNNING', $5, $6)`,
      [
        runId,
        input.experimentId,
        runName,
        userId,
        input.startTime ?? now(),
        `${experiment.artifact_location}/${runId}/artifacts`,
      ],
    );
    await client.query("INSERT INTO mlflow_tags SELECT $1, * FROM unnest($2::text[], $3::text[])", [
      runId,
      [...tags.keys()],
      [...tags.values()],
    ]);
    return getLoadedRun(client, runId);
  });
}

export async function updateRun(
  db: Queryable,
  runId: string,
  update: { status?: string; endTime?: number; runName?: string },
) {
  return inTransaction(db, async (client) => {
    await requireActiveRun(client, runId);
    // MLflow's proto parser drops an enum value it does not know, so such a status changes nothing.
    const status = runStatuses.includes(update.status as never) ? update.status : undefined;
    await client.query(
      `UPDATE mlflow_runs SET status = COALESCE($2, status), end_time = COALESCE($3, end_time), run_name = COALESCE($4, run_name) WHERE run_id = $1`,
      [runId, status ?? null, update.endTime ?? null, update.runName || null],
    );
    if (update.runName)
      await client.query(
        "INSERT INTO mlflow_tags VALUES ($1, 'mlflow.runName', $2) ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value",
        [runId, update.runName],
      );
    return (await getLoadedRun(client, runId)).info;
  });
}

export interface MetricInput {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

function readMetrics(args: Args): MetricInput[] {
  const metrics = args.metrics ?? [];
  if (!Array.isArray(metrics))
    throw invalidParameter(`Invalid value ${JSON.stringify(metrics)} for parameter 'metrics' supplied.`);
  return metrics.map((m: Record<string, unknown>, index) => readMetric(m ?? {}, `metrics[${index}].`));
}

function readMetric(m: Args, path = ""): MetricInput {
  const key = m.key;
  if (typeof key !== "string" || !key)
    throw invalidParameter(
      `Missing value for required parameter '${path}key'. See the API docs for more information about request parameters.`,
    );
  const value =
    typeof m.value === "string" && ["NaN", "Infinity", "-Infinity"].includes(m.value)
      ? Number(m.value)
      : m.value;
  if (value === undefined || value === null)
    throw invalidParameter(
      `Missing value for required parameter '${path}value'. See the API docs for more information about request parameters.`,
    );
  if (typeof value !== "number")
    throw invalidParameter(
      `Got invalid value ${JSON.stringify(m.value)} for metric '${key}' (timestamp=${m.timestamp}). Please specify value as a valid double (64-bit floating point)`,
    );
  const timestamp = Number(m.timestamp);
  if (m.timestamp === undefined || m.timestamp === null || !Number.isSafeInteger(timestamp))
    throw invalidParameter(
      `Missing value for required parameter '${path}timestamp'. See the API docs for more information about request parameters.`,
    );
  const step = m.step === undefined || m.step === null ? 0 : Number(m.step);
  if (!Number.isSafeInteger(step))
    throw invalidParameter(
      `Got invalid step ${JSON.stringify(m.step)} for metric '${key}'. Step must be an integer.`,
    );
  return { key, value, timestamp, step };
}

export async function logBatch(
  db: Queryable,
  runId: string,
  batch: {
    metrics?: MetricInput[];
    params?: Array<{ key: string; value: string }>;
    tags?: Array<{ key: string; value: string }>;
  },
) {
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  for (const [name, list] of [
    ["metrics", metrics],
    ["params", params],
    ["tags", tags],
  ] as const) {
    if (list.length > batchLimits[name]) {
      throw invalidParameter(
        `A batch logging request can contain at most ${batchLimits[name]} ${name}. Got ${list.length} ${name}. Please split up ${name} across multiple requests and try again.`,
      );
    }
  }
  const total = metrics.length + params.length + tags.length;
  if (total > batchLimits.total)
    throw invalidParameter(
      `A batch logging request can contain at most ${batchLimits.total} metrics, params, and tags in total. Got ${total} total entities. Please split up entities across multiple requests and try again.`,
    );
  for (const tag of tags) {
    if (tag.value.length > batchLimits.tagValueLength)
      throw invalidParameter(
        `Tag value '${tag.value.slice(0, 50)}...' had length ${tag.value.length}, which exceeded length limit of ${batchLimits.tagValueLength}`,
      );
  }
  for (const param of params) {
    if (param.value.length > batchLimits.paramValueLength)
      throw invalidParameter(
        `Param value '${param.value.slice(0, 50)}...' had length ${param.value.length}, which exceeded length limit of ${batchLimits.paramValueLength}`,
      );
  }
  const seen = new Map<string, string>();
  for (const param of params) {
    if (seen.has(param.key) && seen.get(param.key) !== param.value)
      throw invalidParameter(
        `Duplicate parameter keys have been submitted: ['${param.key}']. Please ensure the request contains only one param value per param key.`,
      );
    seen.set(param.key, param.value);
  }
  await inTransaction(db, async (client) => {
    await requireActiveRun(client, runId);
    if (params.length) {
      const { rows: existing } = await client.query<{ key: string; value: string }>(
        "SELECT key, value FROM mlflow_params WHERE run_id = $1 AND key = ANY($2)",
        [runId, [...seen.keys()]],
      );
      for (const row of existing) {
        if (row.value !== seen.get(row.key)) {
          throw invalidParameter(
            `Changing param values is not allowed. Param with key='${row.key}' was already logged with value='${row.value}' for run ID='${runId}'. Attempted logging new value '${seen.get(row.key)}'.`,
          );
        }
      }
      await client.query(
        "INSERT INTO mlflow_params SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING",
        [runId, [...seen.keys()], [...seen.values()]],
      );
    }
    if (tags.length) {
      const latest = new Map(tags.map((t) => [t.key, t.value]));
      await client.query(
        "INSERT INTO mlflow_tags SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value",
        [runId, [...latest.keys()], [...latest.values()]],
      );
      if (latest.has("mlflow.runName"))
        await client.query("UPDATE mlflow_runs SET run_name = $2 WHERE run_id = $1", [
          runId,
          latest.get("mlflow.runName"),
        ]);
    }
    if (metrics.length) {
      await client.query(
        "INSERT INTO mlflow_metrics (run_id, key, value, timestamp, step) SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::bigint[]) ON CONFLICT DO NOTHING",
        [
          runId,
          metrics.map((m) => m.key),
          metrics.map((m) => m.value),
          metrics.map((m) => m.timestamp),
          metrics.map((m) => m.step),
        ],
      );
    }
  });
}

function runAttribute(run: LoadedRun, key: string): string | number | undefined {
  const info = run.info;
  switch (key) {
    case "start_time":
      return Number(info.start_time);
    case "end_time":
      return info.end_time === null ? undefined : Number(info.end_time);
    case "run_id":
      return info.run_id;
    case "run_name":
      return info.run_name;
    case "status":
      return info.status;
    case "user_id":
      return info.user_id;
    case "artifact_uri":
      return info.artifact_uri;
    case "experiment_id":
      return String(info.experiment_id);
    default:
      return undefined;
  }
}

function runValue(run: LoadedRun, type: string, key: string): string | number | undefined {
  if (type === "metric") return run.metrics.get(key)?.value;
  if (type === "parameter") return run.params.get(key);
  if (type === "tag") return run.tags.get(key);
  return runAttribute(run, key);
}

function runMatches(run: LoadedRun, clause: FilterClause): boolean {
  if (clause.type === "dataset") {
    return run.inputs.some((input) => {
      const actual =
        clause.key === "context"
          ? input.tags.find((t) => t.key === "mlflow.data.context")?.value
          : (input.dataset[clause.key] as string | undefined);
      return compareValues(clause.comparator, actual, clause.value);
    });
  }
  return compareValues(clause.comparator, runValue(run, clause.type, clause.key), clause.value);
}

function sortRuns(runs: LoadedRun[], orderBy: OrderByClause[]): LoadedRun[] {
  return runs.sort((a, b) => {
    for (const order of orderBy) {
      const compared = compareForSort(
        runValue(a, order.type, order.key),
        runValue(b, order.type, order.key),
        order.ascending,
      );
      if (compared) return compared;
    }
    return Number(b.info.start_time) - Number(a.info.start_time) || (a.info.run_id < b.info.run_id ? -1 : 1);
  });
}

async function searchRuns(db: Queryable, args: Args) {
  const experimentIds = stringList(args, "experiment_ids");
  const limit = maxResults(args, 1000, 50_000);
  const clauses = parseSearchFilter(optionalString(args, "filter"), runSearchSpec);
  const orderBy = stringList(args, "order_by").map((o) => parseOrderBy(o, runSearchSpec));
  const offset = decodePageToken(optionalString(args, "page_token"));
  const view = viewType(args, "run_view_type");
  const runs = await loadRuns(db, "experiment_id::text = ANY($1) AND lifecycle_stage = ANY($2)", [
    experimentIds,
    lifecycleStagesFor(view),
  ]);
  const matching = sortRuns(
    runs.filter((run) => clauses.every((c) => runMatches(run, c))),
    orderBy,
  );
  const page = matching.slice(offset, offset + limit);
  // Like MLflow's SQL store: a full page always carries a token, so an exactly full last page is followed by an empty one.
  return compact({
    runs: page.map(runToWire),
    next_page_token: page.length === limit ? encodePageToken(offset + limit) : undefined,
  });
}

interface MetricRow {
  run_id: string;
  key: string;
  value: number;
  timestamp: string;
  step: string;
}
const metricToWire = (m: MetricRow, withRunId = false) => ({
  key: m.key,
  value: wireDouble(Number(m.value)),
  timestamp: Number(m.timestamp),
  step: Number(m.step),
  ...(withRunId ? { run_id: m.run_id } : {}),
});

/** Open-source MLflow's handler ignores max_results and page_token: the whole history, in its metric table's key order. */
async function getMetricHistory(db: Queryable, args: Args) {
  const runId = requireString(args, "run_id", "run_uuid");
  const key = requireString(args, "metric_key");
  const { rows } = await db.query<MetricRow>(
    "SELECT * FROM mlflow_metrics WHERE run_id = $1 AND key = $2 ORDER BY timestamp, step, value, id",
    [runId, key],
  );
  return compact({ metrics: rows.map((m) => metricToWire(m)) });
}

async function getMetricHistoryBulkInterval(db: Queryable, args: Args) {
  const runIds = stringList(args, "run_ids");
  if (!runIds.length)
    throw invalidParameter(
      "Missing value for required parameter 'run_ids'. See the API docs for more information about request parameters.",
    );
  if (runIds.length > maxRunsPerBulkRequest) {
    throw invalidParameter(
      `GetMetricHistoryBulkInterval request must specify at most ${maxRunsPerBulkRequest} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
  const key = requireString(args, "metric_key");
  const limit = optionalInt(args, "max_results") ?? maxResultsPerRun;
  if (limit < 1 || limit > maxResultsPerRun)
    throw invalidParameter(`max_results must be between 1 and ${maxResultsPerRun}.`);
  const startStep = optionalInt(args, "start_step");
  const endStep = optionalInt(args, "end_step");
  if ((startStep === undefined) !== (endStep === undefined))
    throw invalidParameter("If either start step or end step are specified, both must be specified.");
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
    throw invalidParameter(
      `end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`,
    );
  }
  const { rows: stepRows } = await db.query<{ run_id: string; step: string }>(
    "SELECT DISTINCT run_id, step FROM mlflow_metrics WHERE run_id = ANY($1) AND key = $2",
    [runIds, key],
  );
  const stepsPerRun = runIds.map((id) => stepRows.filter((r) => r.run_id === id).map((r) => Number(r.step)));
  const steps = sampleSteps(
    stepsPerRun,
    limit,
    startStep === undefined ? undefined : { startStep, endStep: endStep! },
  );
  const { rows } = await db.query<MetricRow>(
    "SELECT * FROM mlflow_metrics WHERE run_id = ANY($1) AND key = $2 AND step = ANY($3::bigint[]) ORDER BY array_position($1, run_id), step, timestamp, id",
    [runIds, key, steps],
  );
  return compact({ metrics: rows.map((m) => metricToWire(m, true)) });
}

async function setRunLifecycle(db: Queryable, runId: string, stage: "active" | "deleted") {
  const { rowCount } = await db.query(
    "UPDATE mlflow_runs SET lifecycle_stage = $2, deleted_time = $3 WHERE run_id = $1",
    [runId, stage, stage === "deleted" ? now() : null],
  );
  if (!rowCount) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Run with id=${runId} not found`);
}

export function registerRunRoutes(app: FastifyInstance, pool: pg.Pool) {
  mlflowRoute(app, "POST", "/runs/create", async (args) => {
    const run = await createRun(pool, {
      experimentId: optionalString(args, "experiment_id") ?? "0",
      runName: optionalString(args, "run_name"),
      userId: optionalString(args, "user_id"),
      startTime: optionalInt(args, "start_time"),
      tags: keyValueList(args, "tags"),
    });
    return { run: runToWire(run) };
  });
  mlflowRoute(app, "POST", "/runs/update", async (args) => {
    const info = await updateRun(pool, requireString(args, "run_id", "run_uuid"), {
      status: optionalString(args, "status"),
      endTime: optionalInt(args, "end_time"),
      runName: optionalString(args, "run_name"),
    });
    return { run_info: runInfoToWire(info) };
  });
  mlflowRoute(app, "GET", "/runs/get", async (args) => ({
    run: runToWire(await getLoadedRun(pool, requireString(args, "run_id", "run_uuid"))),
  }));
  mlflowRoute(app, "POST", "/runs/search", async (args) => searchRuns(pool, args));
  mlflowRoute(app, "POST", "/runs/delete", async (args) => {
    await setRunLifecycle(pool, requireString(args, "run_id"), "deleted");
    return {};
  });
  mlflowRoute(app, "POST", "/runs/restore", async (args) => {
    await setRunLifecycle(pool, requireString(args, "run_id"), "active");
    return {};
  });
  mlflowRoute(app, "POST", "/runs/log-batch", async (args) => {
    const size = JSON.stringify(args).length;
    if (size > batchLimits.bytes)
      throw invalidParameter(
        `Batched logging API requests must be at most ${batchLimits.bytes} bytes, got payload of size ${size}.`,
      );
    await logBatch(pool, requireString(args, "run_id"), {
      metrics: readMetrics(args),
      params: keyValueList(args, "params"),
      tags: keyValueList(args, "tags"),
    });
    return {};
  });
  mlflowRoute(app, "POST", "/runs/log-metric", async (args) => {
    await logBatch(pool, requireString(args, "run_id", "run_uuid"), { metrics: [readMetric(args)] });
    return {};
  });
  mlflowRoute(app, "POST", "/runs/log-parameter", async (args) => {
    await logBatch(pool, requireString(args, "run_id", "run_uuid"), {
      params: [{ key: requireString(args, "key"), value: requireString(args, "value") }],
    });
    return {};
  });
  mlflowRoute(app, "POST", "/runs/set-tag", async (args) => {
    await logBatch(pool, requireString(args, "run_id", "run_uuid"), {
      tags: [{ key: requireString(args, "key"), value: optionalString(args, "value") ?? "" }],
    });
    return {};
  });
  mlflowRoute(app, "POST", "/runs/delete-tag", async (args) => {
    const runId = requireString(args, "run_id");
    const key = requireString(args, "key");
    await requireActiveRun(pool, runId);
    const { rowCount } = await pool.query("DELETE FROM mlflow_tags WHERE run_id = $1 AND key = $2", [
      runId,
      key,
    ]);
    if (!rowCount)
      throw new ApiError("RESOURCE_DOES_NOT_EXIST", `No tag with name: ${key} in run with id ${runId}`);
    return {};
  });
  mlflowRoute(app, "POST", "/runs/log-inputs", async (args) => {
    const runId = requireString(args, "run_id");
    const datasets = Array.isArray(args.datasets)
      ? (args.datasets as Array<{ dataset?: Record<string, unknown>; tags?: unknown }>)
      : [];
    await requireActiveRun(pool, runId);
    for (const input of datasets) {
      const dataset = input.dataset ?? {};
      const name = requireString(dataset, "name");
      const digest = requireString(dataset, "digest");
      const tags = keyValueList({ tags: input.tags ?? [] }, "tags");
      await pool.query("INSERT INTO mlflow_run_inputs VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", [
        runId,
        name,
        digest,
        JSON.stringify(dataset),
        JSON.stringify(tags),
      ]);
    }
    return {};
  });
  mlflowRoute(app, "GET", "/metrics/get-history", async (args) => getMetricHistory(pool, args));
  mlflowRoute(app, "GET", "/metrics/get-history-bulk-interval", async (args) =>
    getMetricHistoryBulkInterval(pool, args),
  );
}
