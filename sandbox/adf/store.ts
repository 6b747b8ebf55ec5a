import type pg from "pg";
import { applySchema } from "../lib/schema";

/**
 * The emulated factory's run history in the sandbox PostgreSQL: pipeline runs and activity runs (one
 * row per attempt, as ADF reports retries), so runs in flight continue after a sandbox restart.
 */

const schema = `
CREATE TABLE IF NOT EXISTS adf_pipeline_runs (
  seq bigserial PRIMARY KEY,
  run_id uuid NOT NULL UNIQUE,
  run_group_id uuid NOT NULL,
  pipeline_name text NOT NULL,
  parameters jsonb NOT NULL DEFAULT '{}',
  invoked_by jsonb NOT NULL,
  status text NOT NULL,
  message text NOT NULL DEFAULT '',
  run_start timestamptz,
  run_end timestamptz,
  last_updated timestamptz NOT NULL,
  scheduled_for timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS adf_pipeline_runs_scheduled ON adf_pipeline_runs (pipeline_name, scheduled_for);
CREATE INDEX IF NOT EXISTS adf_pipeline_runs_active ON adf_pipeline_runs (status) WHERE status IN ('Queued', 'InProgress', 'Canceling');
CREATE TABLE IF NOT EXISTS adf_activity_runs (
  seq bigserial PRIMARY KEY,
  activity_run_id uuid NOT NULL UNIQUE,
  run_id uuid NOT NULL,
  activity_name text NOT NULL,
  position int NOT NULL,
  attempt int NOT NULL,
  status text NOT NULL,
  run_start timestamptz NOT NULL,
  run_end timestamptz,
  next_at timestamptz,
  input jsonb NOT NULL DEFAULT '{}',
  output jsonb,
  error jsonb,
  databricks_run_id bigint,
  last_updated timestamptz NOT NULL,
  UNIQUE (run_id, position, attempt)
);
`;

export interface PipelineRunRow {
  seq: number;
  runId: string;
  runGroupId: string;
  pipelineName: string;
  parameters: Record<string, unknown>;
  invokedBy: Record<string, string>;
  status: string;
  message: string;
  runStart: Date | null;
  runEnd: Date | null;
  lastUpdated: Date;
  scheduledFor: Date | null;
}

export interface ActivityRunRow {
  seq: number;
  activityRunId: string;
  runId: string;
  activityName: string;
  position: number;
  attempt: number;
  status: string;
  runStart: Date;
  runEnd: Date | null;
  nextAt: Date | null;
  input: unknown;
  output: unknown;
  error: unknown;
  databricksRunId: number | null;
  lastUpdated: Date;
}

const toRun = (r: Record<string, unknown>): PipelineRunRow => ({
  seq: Number(r.seq),
  runId: r.run_id as string,
  runGroupId: r.run_group_id as string,
  pipelineName: r.pipeline_name as string,
  parameters: r.parameters as Record<string, unknown>,
  invokedBy: r.invoked_by as Record<string, string>,
  status: r.status as string,
  message: r.message as string,
  runStart: r.run_start as Date | null,
  runEnd: r.run_end as Date | null,
  lastUpdated: r.last_updated as Date,
  scheduledFor: r.scheduled_for as Date | null,
});

const toActivity = (r: Record<string, unknown>): ActivityRunRow => ({
  seq: Number(r.seq),
  activityRunId: r.activity_run_id as string,
  runId: r.run_id as string,
  activityName: r.activity_name as string,
  position: r.position as number,
  attempt: r.attempt as number,
  status: r.status as string,
  runStart: r.run_start as Date,
  runEnd: r.run_end as Date | null,
  nextAt: r.next_at as Date | null,
  input: r.input,
  output: r.output,
  error: r.error,
  databricksRunId: r.databricks_run_id === null ? null : Number(r.databricks_run_id),
  lastUpdated: r.last_updated as Date,
});

export type NewPipelineRun = Omit<PipelineRunRow, "seq" | "message" | "runEnd"> & {
  message?: string;
  runEnd?: Date | null;
};
export type NewActivityRun = Omit<
  ActivityRunRow,
  "seq" | "output" | "error" | "databricksRunId" | "nextAt" | "runEnd"
> &
  Partial<Pick<ActivityRunRow, "output" | "error" | "databricksRunId" | "nextAt" | "runEnd">>;

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Filterable and sortable columns (RunQueryFilterOperand / RunQueryOrderByField the sandbox supports). */
export const runColumns: Record<string, string> = {
  PipelineName: "pipeline_name",
  Status: "status",
  RunStart: "run_start",
  RunEnd: "run_end",
  RunGroupId: "run_group_id::text",
  TriggerName: "invoked_by->>'name'",
};
export const activityColumns: Record<string, string> = {
  ActivityName: "activity_name",
  Status: "status",
  ActivityRunStart: "run_start",
  ActivityRunEnd: "run_end",
};

export interface RunQuery {
  after: Date;
  before: Date;
  where: Array<{ column: string; negate: boolean; values: string[] }>;
  orderBy: Array<{ column: string; descending: boolean }>;
  offset: number;
  limit: number;
}

function compile(query: RunQuery, firstParam: number) {
  const params: unknown[] = [query.after, query.before];
  const clauses = ["last_updated >= $" + firstParam, "last_updated <= $" + (firstParam + 1)];
  for (const w of query.where) {
    params.push(w.values);
    clauses.push(`${w.negate ? "NOT " : ""}(${w.column} = ANY($${firstParam + params.length - 1}::text[]))`);
  }
  const order = [
    ...query.orderBy.map((o) => `${o.column} ${o.descending ? "DESC" : "ASC"} NULLS LAST`),
    "seq ASC",
  ];
  return { clauses, params, order };
}

export function createAdfStore(pool: pg.Pool) {
  return {
    migrate: () => applySchema(pool, "adf_schema", schema),

    /** False when the pipeline already has a run for that scheduled time. */
    async insertRun(run: NewPipelineRun, activities: NewActivityRun[] = []): Promise<boolean> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const inserted = await client.query(
          `INSERT INTO adf_pipeline_runs (run_id, run_group_id, pipeline_name, parameters, invoked_by, status, message, run_start, run_end, last_updated, scheduled_for)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
          [
            run.runId,
            run.runGroupId,
            run.pipelineName,
            JSON.stringify(run.parameters),
            JSON.stringify(run.invokedBy),
            run.status,
            run.message ?? "",
            run.runStart,
            run.runEnd ?? null,
            run.lastUpdated,
            run.scheduledFor,
          ],
        );
        if (!inserted.rowCount) {
          await client.query("ROLLBACK");
          return false;
        }
        for (const a of activities) await insertActivity(client, a);
        await client.query("COMMIT");
        return true;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },

    async getRun(runId: string): Promise<PipelineRunRow | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(runId)) return undefined;
      const { rows } = await pool.query("SELECT * FROM adf_pipeline_runs WHERE run_id = $1", [runId]);
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    async countRuns(pipelineName: string): Promise<number> {
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM adf_pipeline_runs WHERE pipeline_name = $1",
        [pipelineName],
      );
      return Number(rows[0].n);
    },

    async activeRuns(): Promise<PipelineRunRow[]> {
      const { rows } = await pool.query(
        "SELECT * FROM adf_pipeline_runs WHERE status IN ('Queued', 'InProgress', 'Canceling') ORDER BY seq",
      );
      return rows.map(toRun);
    },

    async queryRuns(query: RunQuery): Promise<PipelineRunRow[]> {
      const { clauses, params, order } = compile(query, 1);
      const { rows } = await pool.query(
        `SELECT * FROM adf_pipeline_runs WHERE ${clauses.join(" AND ")} ORDER BY ${order.join(", ")} OFFSET ${query.offset} LIMIT ${query.limit}`,
        params,
      );
      return rows.map(toRun);
    },

    async queryActivities(runId: string, query: RunQuery): Promise<ActivityRunRow[]> {
      const { clauses, params, order } = compile(query, 2);
      const { rows } = await pool.query(
        `SELECT * FROM adf_activity_runs WHERE run_id = $1 AND ${clauses.join(" AND ")} ORDER BY ${order.join(", ")} OFFSET ${query.offset} LIMIT ${query.limit}`,
        [runId, ...params],
      );
      return rows.map(toActivity);
    },

    async activitiesOf(runId: string): Promise<ActivityRunRow[]> {
      const { rows } = await pool.query(
        "SELECT * FROM adf_activity_runs WHERE run_id = $1 ORDER BY position, attempt",
        [runId],
      );
      return rows.map(toActivity);
    },

    async updateRun(
      runId: string,
      changes: Partial<Pick<PipelineRunRow, "status" | "message" | "runStart" | "runEnd">>,
    ) {
      await pool.query(
        `UPDATE adf_pipeline_runs SET status = coalesce($2, status), message = coalesce($3, message),
           run_start = coalesce($4, run_start), run_end = coalesce($5, run_end), last_updated = now() WHERE run_id = $1`,
        [
          runId,
          changes.status ?? null,
          changes.message ?? null,
          changes.runStart ?? null,
          changes.runEnd ?? null,
        ],
      );
    },

    insertActivity: (activity: NewActivityRun) => insertActivity(pool, activity),

    async updateActivity(
      activityRunId: string,
      changes: Partial<Pick<ActivityRunRow, "status" | "runEnd" | "output" | "error" | "databricksRunId">>,
    ) {
      await pool.query(
        `UPDATE adf_activity_runs SET status = coalesce($2, status), run_end = coalesce($3, run_end),
           output = coalesce($4, output), error = coalesce($5, error), databricks_run_id = coalesce($6, databricks_run_id),
           last_updated = now() WHERE activity_run_id = $1`,
        [
          activityRunId,
          changes.status ?? null,
          changes.runEnd ?? null,
          json(changes.output),
          json(changes.error),
          changes.databricksRunId ?? null,
        ],
      );
    },
  };
}

async function insertActivity(client: pg.Pool | pg.PoolClient, a: NewActivityRun) {
  await client.query(
    `INSERT INTO adf_activity_runs (activity_run_id, run_id, activity_name, position, attempt, status, run_start, run_end, next_at, input, output, error, databricks_run_id, last_updated)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
    [
      a.activityRunId,
      a.runId,
      a.activityName,
      a.position,
      a.attempt,
      a.status,
      a.runStart,
      a.runEnd ?? null,
      a.nextAt ?? null,
      JSON.stringify(a.input ?? {}),
      json(a.output),
      json(a.error),
      a.databricksRunId ?? null,
      a.lastUpdated,
    ],
  );
}

export type AdfStore = ReturnType<typeof createAdfStore>;
