import type pg from "pg";
import { applySchema } from "../lib/schema";

/**
 * The emulated Airflow's metadata database in the sandbox PostgreSQL: DAG pause flags, DAG runs,
 * task instances and XComs, so runs in flight continue after a sandbox restart.
 */

const schema = `
CREATE TABLE IF NOT EXISTS airflow_dags (
  dag_id text PRIMARY KEY,
  is_paused boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS airflow_dag_runs (
  id bigserial PRIMARY KEY,
  dag_id text NOT NULL,
  dag_run_id text NOT NULL,
  logical_date timestamptz NOT NULL,
  data_interval_start timestamptz NOT NULL,
  data_interval_end timestamptz NOT NULL,
  start_date timestamptz,
  end_date timestamptz,
  run_type text NOT NULL,
  state text NOT NULL,
  external_trigger boolean NOT NULL,
  conf jsonb NOT NULL DEFAULT '{}',
  note text,
  UNIQUE (dag_id, dag_run_id),
  UNIQUE (dag_id, logical_date)
);
CREATE INDEX IF NOT EXISTS airflow_dag_runs_active ON airflow_dag_runs (state) WHERE state IN ('queued', 'running');
CREATE TABLE IF NOT EXISTS airflow_task_instances (
  dag_id text NOT NULL,
  dag_run_id text NOT NULL,
  task_id text NOT NULL,
  position int NOT NULL,
  state text,
  try_number int NOT NULL DEFAULT 0,
  max_tries int NOT NULL,
  start_date timestamptz,
  end_date timestamptz,
  queued_when timestamptz,
  next_at timestamptz,
  PRIMARY KEY (dag_id, dag_run_id, task_id)
);
CREATE TABLE IF NOT EXISTS airflow_xcom (
  dag_id text NOT NULL,
  dag_run_id text NOT NULL,
  task_id text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  timestamp timestamptz NOT NULL,
  PRIMARY KEY (dag_id, dag_run_id, task_id, key)
);
`;

export interface DagRunRow {
  id: number;
  dagId: string;
  dagRunId: string;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  startDate: Date | null;
  endDate: Date | null;
  runType: "scheduled" | "manual" | "backfill" | "dataset_triggered";
  state: "queued" | "running" | "success" | "failed";
  externalTrigger: boolean;
  conf: Record<string, unknown>;
  note: string | null;
}

export interface TaskInstanceRow {
  dagId: string;
  dagRunId: string;
  taskId: string;
  position: number;
  state: string | null;
  tryNumber: number;
  maxTries: number;
  startDate: Date | null;
  endDate: Date | null;
  queuedWhen: Date | null;
  nextAt: Date | null;
}

export interface XcomRow {
  dagId: string;
  dagRunId: string;
  taskId: string;
  key: string;
  value: unknown;
  timestamp: Date;
}

const runColumns =
  "id, dag_id, dag_run_id, logical_date, data_interval_start, data_interval_end, start_date, end_date, run_type, state, external_trigger, conf, note";
const toRun = (r: Record<string, unknown>): DagRunRow => ({
  id: Number(r.id),
  dagId: r.dag_id as string,
  dagRunId: r.dag_run_id as string,
  logicalDate: r.logical_date as Date,
  dataIntervalStart: r.data_interval_start as Date,
  dataIntervalEnd: r.data_interval_end as Date,
  startDate: r.start_date as Date | null,
  endDate: r.end_date as Date | null,
  runType: r.run_type as DagRunRow["runType"],
  state: r.state as DagRunRow["state"],
  externalTrigger: r.external_trigger as boolean,
  conf: r.conf as Record<string, unknown>,
  note: r.note as string | null,
});
const taskColumns =
  "dag_id, dag_run_id, task_id, position, state, try_number, max_tries, start_date, end_date, queued_when, next_at";
const toTask = (r: Record<string, unknown>): TaskInstanceRow => ({
  dagId: r.dag_id as string,
  dagRunId: r.dag_run_id as string,
  taskId: r.task_id as string,
  position: r.position as number,
  state: r.state as string | null,
  tryNumber: r.try_number as number,
  maxTries: r.max_tries as number,
  startDate: r.start_date as Date | null,
  endDate: r.end_date as Date | null,
  queuedWhen: r.queued_when as Date | null,
  nextAt: r.next_at as Date | null,
});

/** Sortable dagRuns columns (Airflow's get_dag_runs allow-list, as far as the sandbox stores them). */
export const dagRunOrderColumns: Record<string, string> = {
  id: "id",
  state: "state",
  dag_id: "dag_id",
  execution_date: "logical_date",
  logical_date: "logical_date",
  dag_run_id: "dag_run_id",
  start_date: "start_date",
  end_date: "end_date",
  external_trigger: "external_trigger",
};

export type NewDagRun = Omit<DagRunRow, "id" | "startDate" | "endDate" | "note"> & {
  note?: string | null;
  startDate?: Date | null;
  endDate?: Date | null;
};
export type NewTaskInstance = Pick<TaskInstanceRow, "taskId" | "position" | "maxTries"> &
  Partial<Omit<TaskInstanceRow, "taskId" | "position" | "maxTries" | "dagId" | "dagRunId">>;

export function createAirflowStore(pool: pg.Pool) {
  return {
    migrate: () => applySchema(pool, "airflow_schema", schema),

    /** Registers DAGs not seen before with their default pause flag; returns the ids that were new. */
    async registerDags(dags: { dagId: string; isPausedUponCreation: boolean }[]): Promise<string[]> {
      const created: string[] = [];
      for (const dag of dags) {
        const { rowCount } = await pool.query(
          "INSERT INTO airflow_dags (dag_id, is_paused) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          [dag.dagId, dag.isPausedUponCreation],
        );
        if (rowCount) created.push(dag.dagId);
      }
      return created;
    },

    async pauseFlags(): Promise<Map<string, boolean>> {
      const { rows } = await pool.query<{ dag_id: string; is_paused: boolean }>(
        "SELECT dag_id, is_paused FROM airflow_dags",
      );
      return new Map(rows.map((r) => [r.dag_id, r.is_paused]));
    },

    async setPaused(dagId: string, isPaused: boolean): Promise<void> {
      await pool.query("UPDATE airflow_dags SET is_paused = $2 WHERE dag_id = $1", [dagId, isPaused]);
    },

    /** Inserts a run with its task instances; false when the run id or logical date is taken. */
    async insertRun(run: NewDagRun, tasks: NewTaskInstance[]): Promise<boolean> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const inserted = await client.query(
          `INSERT INTO airflow_dag_runs (dag_id, dag_run_id, logical_date, data_interval_start, data_interval_end, start_date, end_date, run_type, state, external_trigger, conf, note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
          [
            run.dagId,
            run.dagRunId,
            run.logicalDate,
            run.dataIntervalStart,
            run.dataIntervalEnd,
            run.startDate ?? null,
            run.endDate ?? null,
            run.runType,
            run.state,
            run.externalTrigger,
            JSON.stringify(run.conf),
            run.note ?? null,
          ],
        );
        if (!inserted.rowCount) {
          await client.query("ROLLBACK");
          return false;
        }
        for (const task of tasks) {
          await client.query(
            `INSERT INTO airflow_task_instances (dag_id, dag_run_id, task_id, position, state, try_number, max_tries, start_date, end_date, queued_when, next_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
              run.dagId,
              run.dagRunId,
              task.taskId,
              task.position,
              task.state ?? null,
              task.tryNumber ?? 0,
              task.maxTries,
              task.startDate ?? null,
              task.endDate ?? null,
              task.queuedWhen ?? null,
              task.nextAt ?? null,
            ],
          );
        }
        await client.query("COMMIT");
        return true;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },

    async getRun(dagId: string, dagRunId: string): Promise<DagRunRow | undefined> {
      const { rows } = await pool.query(
        `SELECT ${runColumns} FROM airflow_dag_runs WHERE dag_id = $1 AND dag_run_id = $2`,
        [dagId, dagRunId],
      );
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    async hasRunAt(dagId: string, logicalDate: Date): Promise<boolean> {
      const { rowCount } = await pool.query(
        "SELECT 1 FROM airflow_dag_runs WHERE dag_id = $1 AND logical_date = $2",
        [dagId, logicalDate],
      );
      return Boolean(rowCount);
    },

    async countRuns(dagId: string): Promise<number> {
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM airflow_dag_runs WHERE dag_id = $1",
        [dagId],
      );
      return Number(rows[0].n);
    },

    async listRuns(filter: {
      dagId: string | null;
      states?: string[];
      orderColumn: string;
      descending: boolean;
      limit: number;
      offset: number;
    }): Promise<{ runs: DagRunRow[]; total: number }> {
      const where = ["($1::text IS NULL OR dag_id = $1)", "($2::text[] IS NULL OR state = ANY($2))"];
      const values = [filter.dagId, filter.states?.length ? filter.states : null];
      const direction = filter.descending ? "DESC" : "ASC";
      const [{ rows }, count] = await Promise.all([
        pool.query(
          `SELECT ${runColumns} FROM airflow_dag_runs WHERE ${where.join(" AND ")} ORDER BY ${filter.orderColumn} ${direction} NULLS LAST, id ${direction} OFFSET $3 LIMIT $4`,
          [...values, filter.offset, filter.limit],
        ),
        pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM airflow_dag_runs WHERE ${where.join(" AND ")}`,
          values,
        ),
      ]);
      return { runs: rows.map(toRun), total: Number(count.rows[0].n) };
    },

    /** Runs the scheduler still has to move. */
    async activeRuns(): Promise<DagRunRow[]> {
      const { rows } = await pool.query(
        `SELECT ${runColumns} FROM airflow_dag_runs WHERE state IN ('queued', 'running') ORDER BY id`,
      );
      return rows.map(toRun);
    },

    async updateRun(
      dagId: string,
      dagRunId: string,
      changes: Partial<Pick<DagRunRow, "state" | "startDate" | "endDate">>,
    ): Promise<void> {
      await pool.query(
        `UPDATE airflow_dag_runs SET state = COALESCE($3, state), start_date = COALESCE($4, start_date), end_date = COALESCE($5, end_date) WHERE dag_id = $1 AND dag_run_id = $2`,
        [dagId, dagRunId, changes.state ?? null, changes.startDate ?? null, changes.endDate ?? null],
      );
    },

    async tasksOf(dagId: string, dagRunId: string): Promise<TaskInstanceRow[]> {
      const { rows } = await pool.query(
        `SELECT ${taskColumns} FROM airflow_task_instances WHERE dag_id = $1 AND dag_run_id = $2 ORDER BY position`,
        [dagId, dagRunId],
      );
      return rows.map(toTask);
    },

    async updateTask(
      task: Pick<TaskInstanceRow, "dagId" | "dagRunId" | "taskId">,
      changes: Partial<Omit<TaskInstanceRow, "dagId" | "dagRunId" | "taskId" | "position" | "maxTries">>,
    ): Promise<void> {
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
      if (!entries.length) return;
      const column = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const assignments = entries.map(([key], index) => `${column(key)} = $${index + 4}`);
      await pool.query(
        `UPDATE airflow_task_instances SET ${assignments.join(", ")} WHERE dag_id = $1 AND dag_run_id = $2 AND task_id = $3`,
        [task.dagId, task.dagRunId, task.taskId, ...entries.map(([, value]) => value)],
      );
    },

    async pushXcom(xcom: XcomRow): Promise<void> {
      await pool.query(
        `INSERT INTO airflow_xcom (dag_id, dag_run_id, task_id, key, value, timestamp) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (dag_id, dag_run_id, task_id, key) DO UPDATE SET value = EXCLUDED.value, timestamp = EXCLUDED.timestamp`,
        [xcom.dagId, xcom.dagRunId, xcom.taskId, xcom.key, JSON.stringify(xcom.value), xcom.timestamp],
      );
    },

    async getXcom(
      dagId: string,
      dagRunId: string,
      taskId: string,
      key: string,
    ): Promise<XcomRow | undefined> {
      const { rows } = await pool.query(
        "SELECT value, timestamp FROM airflow_xcom WHERE dag_id = $1 AND dag_run_id = $2 AND task_id = $3 AND key = $4",
        [dagId, dagRunId, taskId, key],
      );
      return rows[0]
        ? { dagId, dagRunId, taskId, key, value: rows[0].value, timestamp: rows[0].timestamp }
        : undefined;
    },
  };
}

export type AirflowStore = ReturnType<typeof createAirflowStore>;
