import type pg from "pg";
import { applySchema } from "../lib/schema";
import type { LifeCycleState, Outcome } from "./run-states";
import type { JobSettings, TaskSpec } from "./requests";

/**
 * The emulated Jobs service's state in the sandbox PostgreSQL, so runs (and their simulations)
 * survive a sandbox restart. A run is a parent row (what runs/submit and run-now return) with one
 * child row per task; both carry their own life cycle.
 */

const schema = `
CREATE SEQUENCE IF NOT EXISTS jobs_id_seq START WITH 110000000000001;
CREATE TABLE IF NOT EXISTS jobs_jobs (
  job_id bigint PRIMARY KEY,
  settings jsonb NOT NULL,
  creator_user_name text NOT NULL,
  created_time bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs_runs (
  run_id bigint PRIMARY KEY,
  parent_run_id bigint REFERENCES jobs_runs(run_id) ON DELETE CASCADE,
  job_id bigint NOT NULL,
  run_type text NOT NULL,
  run_name text NOT NULL,
  task_key text,
  spec jsonb NOT NULL,
  idempotency_token text UNIQUE,
  creator_user_name text NOT NULL,
  life_cycle_state text NOT NULL,
  outcome jsonb,
  state_message text NOT NULL DEFAULT '',
  cluster_id text,
  start_time bigint NOT NULL,
  end_time bigint NOT NULL DEFAULT 0,
  queue_duration bigint NOT NULL DEFAULT 0,
  setup_duration bigint NOT NULL DEFAULT 0,
  execution_duration bigint NOT NULL DEFAULT 0,
  cleanup_duration bigint NOT NULL DEFAULT 0,
  phase_ends_at bigint,
  cancel_requested boolean NOT NULL DEFAULT false,
  checkpoint jsonb,
  logs text NOT NULL DEFAULT '',
  output jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS jobs_runs_listing ON jobs_runs (start_time DESC, run_id DESC) WHERE parent_run_id IS NULL;
CREATE INDEX IF NOT EXISTS jobs_runs_children ON jobs_runs (parent_run_id);
`;

/** What a parent run was submitted with (runs/submit body or the job's settings for run-now). */
export interface RunSpec {
  timeout_seconds?: number;
  tags?: Record<string, string>;
  /** run-now only: what overrode the job's parameters. */
  overriding_parameters?: Record<string, unknown>;
}

/** What a task's program produced, for runs/get-output. */
export interface TaskOutput {
  notebookResult?: string;
  error?: string;
  errorTrace?: string;
}

export interface RunRow {
  runId: number;
  parentRunId: number | null;
  jobId: number;
  runType: "SUBMIT_RUN" | "JOB_RUN";
  runName: string;
  taskKey: string | null;
  spec: RunSpec | TaskSpec;
  creatorUserName: string;
  lifeCycleState: LifeCycleState;
  outcome: Outcome | null;
  stateMessage: string;
  clusterId: string | null;
  startTime: number;
  endTime: number;
  queueDuration: number;
  setupDuration: number;
  executionDuration: number;
  cleanupDuration: number;
  phaseEndsAt: number | null;
  cancelRequested: boolean;
  checkpoint: Record<string, unknown> | null;
  logs: string;
  output: TaskOutput;
}

export interface TaskRow extends RunRow {
  parentRunId: number;
  taskKey: string;
  spec: TaskSpec;
}

export interface JobRow {
  jobId: number;
  settings: JobSettings;
  creatorUserName: string;
  createdTime: number;
}

const columns: Record<keyof RunRow, string> = {
  runId: "run_id",
  parentRunId: "parent_run_id",
  jobId: "job_id",
  runType: "run_type",
  runName: "run_name",
  taskKey: "task_key",
  spec: "spec",
  creatorUserName: "creator_user_name",
  lifeCycleState: "life_cycle_state",
  outcome: "outcome",
  stateMessage: "state_message",
  clusterId: "cluster_id",
  startTime: "start_time",
  endTime: "end_time",
  queueDuration: "queue_duration",
  setupDuration: "setup_duration",
  executionDuration: "execution_duration",
  cleanupDuration: "cleanup_duration",
  phaseEndsAt: "phase_ends_at",
  cancelRequested: "cancel_requested",
  checkpoint: "checkpoint",
  logs: "logs",
  output: "output",
};
const bigintColumns = new Set([
  "run_id",
  "parent_run_id",
  "job_id",
  "start_time",
  "end_time",
  "queue_duration",
  "setup_duration",
  "execution_duration",
  "cleanup_duration",
  "phase_ends_at",
]);
const jsonColumns = new Set(["spec", "outcome", "checkpoint", "output"]);

function toRunRow(row: Record<string, unknown>): RunRow {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = row[column];
    out[key] = bigintColumns.has(column) && value !== null ? Number(value) : value;
  }
  return out as unknown as RunRow;
}

const toDbValue = (column: string, value: unknown) =>
  jsonColumns.has(column) && value !== null && value !== undefined ? JSON.stringify(value) : value;

export type NewRun = Pick<RunRow, "jobId" | "runType" | "runName" | "spec" | "creatorUserName"> & {
  idempotencyToken?: string;
};
export type NewTask = { taskKey: string; spec: TaskSpec };

export interface ListRunsFilter {
  activeOnly?: boolean;
  completedOnly?: boolean;
  jobId?: number;
  runType?: string;
  startTimeFrom?: number;
  startTimeTo?: number;
  /** Keyset: runs strictly after this (start_time, run_id) in descending order. */
  after?: { startTime: number; runId: number };
  limit: number;
}

export function createJobsStore(pool: pg.Pool) {
  const selectRuns = `SELECT ${Object.values(columns).join(", ")} FROM jobs_runs`;

  return {
    migrate: () => applySchema(pool, "jobs_schema", schema),

    async nextId(): Promise<number> {
      const { rows } = await pool.query<{ id: string }>("SELECT nextval('jobs_id_seq') AS id");
      return Number(rows[0].id);
    },

    /**
     * Inserts a run and its tasks in one transaction. With an idempotency token already used, inserts
     * nothing and returns the existing run (concurrent duplicates wait on the unique index).
     */
    async insertRun(
      run: NewRun,
      tasks: NewTask[],
      now: number,
    ): Promise<{ runId: number; created: boolean }> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const inserted = await client.query<{ run_id: string }>(
          `INSERT INTO jobs_runs (run_id, job_id, run_type, run_name, spec, idempotency_token, creator_user_name, life_cycle_state, start_time)
           VALUES (nextval('jobs_id_seq'), $1, $2, $3, $4, $5, $6, 'QUEUED', $7)
           ON CONFLICT (idempotency_token) DO NOTHING RETURNING run_id`,
          [
            run.jobId,
            run.runType,
            run.runName,
            JSON.stringify(run.spec),
            run.idempotencyToken ?? null,
            run.creatorUserName,
            now,
          ],
        );
        if (!inserted.rowCount) {
          await client.query("ROLLBACK");
          const existing = await pool.query<{ run_id: string }>(
            "SELECT run_id FROM jobs_runs WHERE idempotency_token = $1",
            [run.idempotencyToken],
          );
          return { runId: Number(existing.rows[0].run_id), created: false };
        }
        const runId = Number(inserted.rows[0].run_id);
        for (const task of tasks) {
          await client.query(
            `INSERT INTO jobs_runs (run_id, parent_run_id, job_id, run_type, run_name, task_key, spec, creator_user_name, life_cycle_state, start_time)
             VALUES (nextval('jobs_id_seq'), $1, $2, $3, $4, $5, $6, $7, 'QUEUED', 0)`,
            [
              runId,
              run.jobId,
              run.runType,
              run.runName,
              task.taskKey,
              JSON.stringify(task.spec),
              run.creatorUserName,
            ],
          );
        }
        await client.query("COMMIT");
        return { runId, created: true };
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },

    async getRun(runId: number): Promise<RunRow | undefined> {
      const { rows } = await pool.query(`${selectRuns} WHERE run_id = $1`, [runId]);
      return rows[0] ? toRunRow(rows[0]) : undefined;
    },

    async getTasks(parentRunId: number): Promise<TaskRow[]> {
      const { rows } = await pool.query(`${selectRuns} WHERE parent_run_id = $1 ORDER BY run_id`, [
        parentRunId,
      ]);
      return rows.map(toRunRow) as TaskRow[];
    },

    async updateRun(runId: number, changes: Partial<RunRow>): Promise<void> {
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
      if (!entries.length) return;
      const assignments = entries.map(([key], index) => `${columns[key as keyof RunRow]} = $${index + 2}`);
      await pool.query(`UPDATE jobs_runs SET ${assignments.join(", ")} WHERE run_id = $1`, [
        runId,
        ...entries.map(([key, value]) => toDbValue(columns[key as keyof RunRow], value)),
      ]);
    },

    /** Marks a run and its unfinished tasks for cancellation; returns false when nothing was active. */
    async requestCancel(runId: number): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE jobs_runs SET cancel_requested = true
         WHERE (run_id = $1 OR parent_run_id = $1) AND life_cycle_state NOT IN ('TERMINATED', 'SKIPPED', 'INTERNAL_ERROR')`,
        [runId],
      );
      return (rowCount ?? 0) > 0;
    },

    async activeParentRunIds(): Promise<number[]> {
      const { rows } = await pool.query<{ run_id: string }>(
        "SELECT run_id FROM jobs_runs WHERE parent_run_id IS NULL AND life_cycle_state NOT IN ('TERMINATED', 'SKIPPED', 'INTERNAL_ERROR') ORDER BY run_id",
      );
      return rows.map((r) => Number(r.run_id));
    },

    /** Parent runs, newest first, one more than `limit` so the caller knows whether there is more. */
    async listRuns(filter: ListRunsFilter): Promise<RunRow[]> {
      const where = ["parent_run_id IS NULL"];
      const values: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        values.push(value);
        where.push(sql.replace("?", `$${values.length}`));
      };
      if (filter.activeOnly)
        where.push("life_cycle_state NOT IN ('TERMINATED', 'SKIPPED', 'INTERNAL_ERROR')");
      if (filter.completedOnly) where.push("life_cycle_state IN ('TERMINATED', 'SKIPPED', 'INTERNAL_ERROR')");
      if (filter.jobId !== undefined) add("job_id = ?", filter.jobId);
      if (filter.runType) add("run_type = ?", filter.runType);
      if (filter.startTimeFrom !== undefined) add("start_time >= ?", filter.startTimeFrom);
      if (filter.startTimeTo !== undefined) add("start_time <= ?", filter.startTimeTo);
      if (filter.after) {
        values.push(filter.after.startTime, filter.after.runId);
        where.push(`(start_time, run_id) < ($${values.length - 1}, $${values.length})`);
      }
      values.push(filter.limit + 1);
      const { rows } = await pool.query(
        `${selectRuns} WHERE ${where.join(" AND ")} ORDER BY start_time DESC, run_id DESC LIMIT $${values.length}`,
        values,
      );
      return rows.map(toRunRow);
    },

    async insertJob(job: Omit<JobRow, "jobId">): Promise<number> {
      const { rows } = await pool.query<{ job_id: string }>(
        "INSERT INTO jobs_jobs (job_id, settings, creator_user_name, created_time) VALUES (nextval('jobs_id_seq'), $1, $2, $3) RETURNING job_id",
        [JSON.stringify(job.settings), job.creatorUserName, job.createdTime],
      );
      return Number(rows[0].job_id);
    },

    async getJob(jobId: number): Promise<JobRow | undefined> {
      const { rows } = await pool.query(
        "SELECT job_id, settings, creator_user_name, created_time FROM jobs_jobs WHERE job_id = $1",
        [jobId],
      );
      return rows[0] ? toJobRow(rows[0]) : undefined;
    },

    /** Jobs, most recently created first, one more than `limit`. */
    async listJobs(filter: { name?: string; offset: number; limit: number }): Promise<JobRow[]> {
      const { rows } = await pool.query(
        `SELECT job_id, settings, creator_user_name, created_time FROM jobs_jobs
         WHERE ($1::text IS NULL OR lower(settings->>'name') = lower($1)) ORDER BY created_time DESC, job_id DESC OFFSET $2 LIMIT $3`,
        [filter.name ?? null, filter.offset, filter.limit + 1],
      );
      return rows.map(toJobRow);
    },
  };
}

function toJobRow(row: Record<string, unknown>): JobRow {
  return {
    jobId: Number(row.job_id),
    settings: row.settings as JobSettings,
    creatorUserName: row.creator_user_name as string,
    createdTime: Number(row.created_time),
  };
}

export type JobsStore = ReturnType<typeof createJobsStore>;
