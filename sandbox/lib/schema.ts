import type pg from "pg";

/**
 * Creates a system's tables in one transaction under an advisory lock, so two sandboxes starting on
 * one database do not race on CREATE ... IF NOT EXISTS.
 */
export async function applySchema(pool: pg.Pool, lockName: string, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockName]);
    await client.query(schema);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
