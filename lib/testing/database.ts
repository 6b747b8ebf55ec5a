import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { APP_ROLE, applyMigrations } from "@/lib/db/migrate";

/**
 * Throwaway PostgreSQL databases for integration tests and benchmarks: each gets a database of its
 * own on the shared server (TEST_DATABASE_ADMIN_URL), migrated with the project's own applier, and
 * drops it afterwards.
 */

/** The server's URL without a database name, e.g. `postgresql://postgres@127.0.0.1:5432`. */
export const testServerUrl = (
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres"
).replace(/\/[^/]*$/, "");

const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

export interface TestDatabase {
  name: string;
  /** As the tables' owner (the server's admin), who migrated it. */
  url: string;
  /** As the app's least-privilege login, what web, workers and ingest use (DATABASE_URL). */
  appUrl: string;
  drop(): Promise<void>;
}

/** A new database named `<prefix>_<random>`, with every migration applied unless `migrate: false`. */
export async function createTestDatabase(
  prefix: string,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const url = `${testServerUrl}/${name}`;
  const app = new URL(url);
  app.username = APP_ROLE;
  app.password = "";
  const appUrl = app.toString();
  try {
    if (options.migrate === false) await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
    else
      await applyMigrations({
        databaseUrl: url,
        migrationsDir,
        createDatabase: true,
        appDatabaseUrl: appUrl,
      });
  } catch (error) {
    await dropTestDatabase(name, 0); // a half-made database would otherwise outlive the test
    throw error;
  }
  return { name, url, appUrl, drop: () => dropTestDatabase(name) };
}

/**
 * Drops a database, first giving its clients a moment to finish disconnecting. `pg.Pool#end()`
 * resolves before its sockets close, and forcing the drop then kills a connection mid-goodbye,
 * which surfaces as an unhandled "terminating connection due to administrator command" in the
 * test run. Whatever is still connected after the grace period is terminated.
 */
export async function dropTestDatabase(name: string, graceMs = 3_000): Promise<void> {
  await withAdmin(async (admin) => {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: `${testServerUrl}/postgres` });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
