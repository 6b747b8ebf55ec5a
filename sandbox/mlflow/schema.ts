import type pg from "pg";

/**
 * The emulated MLflow's tables. Workspace-registry and Unity Catalog models share the registry
 * tables (`is_unity_catalog` tells them apart) because a training run may register into either.
 */
export async function ensureMlflowSchema(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS mlflow_experiments (
      experiment_id bigserial PRIMARY KEY,
      name text NOT NULL UNIQUE,
      artifact_location text NOT NULL,
      lifecycle_stage text NOT NULL DEFAULT 'active',
      creation_time bigint NOT NULL,
      last_update_time bigint NOT NULL
    );
    CREATE TABLE IF NOT EXISTS mlflow_experiment_tags (
      experiment_id bigint NOT NULL REFERENCES mlflow_experiments ON DELETE CASCADE,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (experiment_id, key)
    );
    CREATE TABLE IF NOT EXISTS mlflow_runs (
      run_id text PRIMARY KEY,
      experiment_id bigint NOT NULL REFERENCES mlflow_experiments ON DELETE CASCADE,
      run_name text NOT NULL,
      user_id text NOT NULL DEFAULT '',
      status text NOT NULL,
      start_time bigint NOT NULL,
      end_time bigint,
      artifact_uri text NOT NULL,
      lifecycle_stage text NOT NULL DEFAULT 'active',
      deleted_time bigint
    );
    CREATE INDEX IF NOT EXISTS mlflow_runs_experiment ON mlflow_runs (experiment_id, start_time DESC);
    CREATE TABLE IF NOT EXISTS mlflow_params (
      run_id text NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (run_id, key)
    );
    CREATE TABLE IF NOT EXISTS mlflow_tags (
      run_id text NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (run_id, key)
    );
    CREATE TABLE IF NOT EXISTS mlflow_metrics (
      id bigserial PRIMARY KEY,
      run_id text NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,
      key text NOT NULL,
      value double precision NOT NULL,
      timestamp bigint NOT NULL,
      step bigint NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS mlflow_metrics_run_key_step ON mlflow_metrics (run_id, key, step);
    -- MLflow's primary key for metrics: logging the very same point again is a no-op.
    CREATE UNIQUE INDEX IF NOT EXISTS mlflow_metrics_identity ON mlflow_metrics (run_id, key, timestamp, step, value);
    CREATE TABLE IF NOT EXISTS mlflow_run_inputs (
      run_id text NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,
      dataset_name text NOT NULL,
      dataset_digest text NOT NULL,
      dataset jsonb NOT NULL,
      tags jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY (run_id, dataset_name, dataset_digest)
    );
    CREATE TABLE IF NOT EXISTS mlflow_registered_models (
      name text PRIMARY KEY,
      is_unity_catalog boolean NOT NULL DEFAULT false,
      description text NOT NULL DEFAULT '',
      owner text NOT NULL DEFAULT '',
      creation_timestamp bigint NOT NULL,
      last_updated_timestamp bigint NOT NULL
    );
    CREATE TABLE IF NOT EXISTS mlflow_registered_model_tags (
      name text NOT NULL REFERENCES mlflow_registered_models ON DELETE CASCADE ON UPDATE CASCADE,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (name, key)
    );
    CREATE TABLE IF NOT EXISTS mlflow_model_versions (
      name text NOT NULL REFERENCES mlflow_registered_models ON DELETE CASCADE ON UPDATE CASCADE,
      version integer NOT NULL,
      current_stage text NOT NULL DEFAULT 'None',
      status text NOT NULL,
      status_message text NOT NULL DEFAULT '',
      ready_at bigint NOT NULL,
      source text NOT NULL,
      run_id text NOT NULL DEFAULT '',
      run_link text NOT NULL DEFAULT '',
      user_id text NOT NULL DEFAULT '',
      description text NOT NULL DEFAULT '',
      creation_timestamp bigint NOT NULL,
      last_updated_timestamp bigint NOT NULL,
      PRIMARY KEY (name, version)
    );
    CREATE TABLE IF NOT EXISTS mlflow_model_version_tags (
      name text NOT NULL,
      version integer NOT NULL,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (name, version, key),
      FOREIGN KEY (name, version) REFERENCES mlflow_model_versions ON DELETE CASCADE ON UPDATE CASCADE
    );
    CREATE TABLE IF NOT EXISTS mlflow_registered_model_aliases (
      name text NOT NULL REFERENCES mlflow_registered_models ON DELETE CASCADE ON UPDATE CASCADE,
      alias text NOT NULL,
      version integer NOT NULL,
      PRIMARY KEY (name, alias)
    );
    INSERT INTO mlflow_experiments (experiment_id, name, artifact_location, creation_time, last_update_time)
      VALUES (0, 'Default', 'mlflow-artifacts:/0', (extract(epoch from now()) * 1000)::bigint, (extract(epoch from now()) * 1000)::bigint)
      ON CONFLICT DO NOTHING;
  `);
}

export type Queryable = pg.Pool | pg.PoolClient;

/** Runs `work` in one transaction; given a client, joins the transaction the caller holds on it. */
export async function inTransaction<T>(
  db: Queryable,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  if ("release" in db) return work(db);
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
