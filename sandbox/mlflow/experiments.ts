import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { ApiError } from "../lib/errors";
import { inTransaction, type Queryable } from "./schema";
import {
  compareForSort,
  compareValues,
  decodePageToken,
  encodePageToken,
  experimentSearchSpec,
  parseOrderBy,
  parseSearchFilter,
  type FilterClause,
} from "./search-filter";
import {
  compact,
  invalidParameter,
  keyValueList,
  lifecycleStagesFor,
  maxResults,
  mlflowRoute,
  now,
  optionalString,
  requireString,
  stringList,
  viewType,
  type Args,
} from "./wire";

/** Experiments: experiments/create, get, get-by-name, search (GET and POST), set-experiment-tag, delete, restore. */

interface ExperimentRow {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: string;
  last_update_time: string;
}

async function experimentsWithTags(db: Queryable, rows: ExperimentRow[]) {
  const { rows: tags } = await db.query<{ experiment_id: string; key: string; value: string }>(
    "SELECT experiment_id, key, value FROM mlflow_experiment_tags WHERE experiment_id = ANY($1::bigint[]) ORDER BY key",
    [rows.map((r) => r.experiment_id)],
  );
  return rows.map((row) => ({
    experiment_id: String(row.experiment_id),
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage,
    last_update_time: Number(row.last_update_time),
    creation_time: Number(row.creation_time),
    tags: tags
      .filter((t) => String(t.experiment_id) === String(row.experiment_id))
      .map(({ key, value }) => ({ key, value })),
  }));
}
export type WireExperiment = Awaited<ReturnType<typeof experimentsWithTags>>[number];

const isExperimentId = (id: string) => /^\d{1,18}$/.test(id);

export async function getExperiment(db: Queryable, experimentId: string): Promise<WireExperiment> {
  const { rows } = isExperimentId(experimentId)
    ? await db.query<ExperimentRow>("SELECT * FROM mlflow_experiments WHERE experiment_id = $1", [
        experimentId,
      ])
    : { rows: [] };
  if (!rows.length)
    throw new ApiError("RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${experimentId} exists`);
  return (await experimentsWithTags(db, rows))[0];
}

export async function createExperiment(
  db: Queryable,
  name: string,
  options: { artifactLocation?: string; tags?: Array<{ key: string; value: string }>; at?: number } = {},
): Promise<string> {
  if (!name.trim()) throw invalidParameter("Invalid experiment name: ''. Experiment name must not be empty.");
  return inTransaction(db, async (client) => {
    const at = options.at ?? now();
    const inserted = await client.query<{ experiment_id: string }>(
      `INSERT INTO mlflow_experiments (name, artifact_location, creation_time, last_update_time) VALUES ($1, '', $2, $2)
       ON CONFLICT (name) DO NOTHING RETURNING experiment_id`,
      [name, at],
    );
    if (!inserted.rowCount)
      throw new ApiError(
        "RESOURCE_ALREADY_EXISTS",
        `Experiment(name=${name}) already exists. Error: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "experiments_name_key"`,
      );
    const id = String(inserted.rows[0].experiment_id);
    await client.query("UPDATE mlflow_experiments SET artifact_location = $2 WHERE experiment_id = $1", [
      id,
      options.artifactLocation || `mlflow-artifacts:/${id}`,
    ]);
    for (const tag of options.tags ?? []) {
      await client.query(
        "INSERT INTO mlflow_experiment_tags VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = EXCLUDED.value",
        [id, tag.key, tag.value],
      );
    }
    return id;
  });
}

function experimentAttribute(experiment: WireExperiment, key: string): string | number {
  return key === "name"
    ? experiment.name
    : key === "creation_time"
      ? experiment.creation_time
      : experiment.last_update_time;
}

function experimentMatches(experiment: WireExperiment, clause: FilterClause) {
  if (clause.type === "tag")
    return compareValues(
      clause.comparator,
      experiment.tags.find((t) => t.key === clause.key)?.value,
      clause.value,
    );
  return compareValues(clause.comparator, experimentAttribute(experiment, clause.key), clause.value);
}

async function searchExperiments(db: Queryable, args: Args) {
  const view = viewType(args, "view_type");
  // Unlike runs/search, a request without max_results is refused (the proto default 0 reaches the store).
  const limit = maxResults(args, 0, 50_000);
  const clauses = parseSearchFilter(optionalString(args, "filter"), experimentSearchSpec);
  const orderBy = stringList(args, "order_by").map((o) => parseOrderBy(o, experimentSearchSpec));
  const offset = decodePageToken(optionalString(args, "page_token"));
  const { rows } = await db.query<ExperimentRow>(
    "SELECT * FROM mlflow_experiments WHERE lifecycle_stage = ANY($1)",
    [lifecycleStagesFor(view)],
  );
  const experiments = (await experimentsWithTags(db, rows)).filter((e) =>
    clauses.every((c) => experimentMatches(e, c)),
  );
  experiments.sort((a, b) => {
    for (const order of orderBy) {
      const compared = compareForSort(
        experimentAttribute(a, order.key),
        experimentAttribute(b, order.key),
        order.ascending,
      );
      if (compared) return compared;
    }
    // MLflow's default: newest first, then by id.
    return b.creation_time - a.creation_time || Number(a.experiment_id) - Number(b.experiment_id);
  });
  const page = experiments.slice(offset, offset + limit);
  return compact({
    experiments: page.map(compact),
    next_page_token: offset + limit < experiments.length ? encodePageToken(offset + limit) : undefined,
  });
}

export function registerExperimentRoutes(app: FastifyInstance, pool: pg.Pool) {
  mlflowRoute(app, "POST", "/experiments/create", async (args) => ({
    experiment_id: await createExperiment(pool, requireString(args, "name"), {
      artifactLocation: optionalString(args, "artifact_location"),
      tags: keyValueList(args, "tags"),
    }),
  }));
  mlflowRoute(app, "GET", "/experiments/get", async (args) => ({
    experiment: compact(await getExperiment(pool, requireString(args, "experiment_id"))),
  }));
  mlflowRoute(app, "GET", "/experiments/get-by-name", async (args) => {
    const name = requireString(args, "experiment_name");
    const { rows } = await pool.query<ExperimentRow>("SELECT * FROM mlflow_experiments WHERE name = $1", [
      name,
    ]);
    if (!rows.length)
      throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
    return { experiment: compact((await experimentsWithTags(pool, rows))[0]) };
  });
  mlflowRoute(app, ["GET", "POST"], "/experiments/search", async (args) => searchExperiments(pool, args));
  mlflowRoute(app, "POST", "/experiments/set-experiment-tag", async (args) => {
    const experiment = await getExperiment(pool, requireString(args, "experiment_id"));
    await pool.query(
      "INSERT INTO mlflow_experiment_tags VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = EXCLUDED.value",
      [experiment.experiment_id, requireString(args, "key"), optionalString(args, "value") ?? ""],
    );
    return {};
  });
  for (const [path, stage] of [
    ["/experiments/delete", "deleted"],
    ["/experiments/restore", "active"],
  ] as const) {
    mlflowRoute(app, "POST", path, async (args) => {
      const experiment = await getExperiment(pool, requireString(args, "experiment_id"));
      if (experiment.experiment_id === "0" && stage === "deleted")
        throw invalidParameter(
          "Cannot delete the default experiment '0'. This is an internally reserved experiment.",
        );
      await pool.query(
        "UPDATE mlflow_experiments SET lifecycle_stage = $2, last_update_time = $3 WHERE experiment_id = $1",
        [experiment.experiment_id, stage, now()],
      );
      await pool.query(
        "UPDATE mlflow_runs SET lifecycle_stage = $2, deleted_time = $3 WHERE experiment_id = $1",
        [experiment.experiment_id, stage, stage === "deleted" ? now() : null],
      );
      return {};
    });
  }
}
