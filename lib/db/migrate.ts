import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Applies `prisma/migrations` without Prisma's native schema engine, leaving `_prisma_migrations`
 * exactly as `prisma migrate deploy` would, so either tool can take over from the other.
 * Mirrors prisma-engines' schema-engine (apply_migrations.rs, sql_migration_persistence.rs,
 * checksum.rs, flavour/postgres.rs); see docs/decisions/001-offline-migrations.md.
 */

/** Prisma Migrate's advisory lock key, so our applier and `prisma migrate deploy` exclude each other. */
export const PRISMA_MIGRATE_LOCK_ID = 72707369;
const MIGRATIONS_TABLE = "_prisma_migrations";
const LOCKFILE_NAME = "migration_lock.toml";
const SCRIPT_NAME = "migration.sql";

/** The schema engine's DDL for its bookkeeping table (postgres flavour), verbatim. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

export type MigrationErrorCode =
  | "P3005" // database schema not empty and no migrations table
  | "P3009" // a failed migration blocks new ones
  | "P3014" // migration_lock.toml names another provider
  | "P3018" // a migration script failed
  | "LOCK_TIMEOUT"
  | "MODIFIED_MIGRATION"
  | "UNREADABLE_MIGRATION"
  | "PRIVILEGED_APP_LOGIN";

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface LocalMigration {
  /** Directory name, `<yyyyMMddHHmmss>_<name>`: the `migration_name` Prisma records. */
  name: string;
  script: string;
}

export interface MigrationRecord {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  migrationsDir: string;
  log?: (line: string) => void;
  /** Create the database first if it does not exist (as `prisma migrate deploy` does). */
  createDatabase?: boolean;
  /** How long to wait for another migrator's lock; Prisma gives up after 10 s. */
  lockTimeoutMs?: number;
  /**
   * The app's DATABASE_URL: after migrating, make sure its login exists as a member of
   * APP_ROLE with the URL's password, and refuse one that could bypass the audit trigger.
   */
  appDatabaseUrl?: string;
}

export interface ApplyMigrationsResult {
  applied: string[];
  /** Already applied before this run, in directory order. */
  upToDate: string[];
}

/** sha256 of the script as written, lowercase hex: Prisma's `checksum` column. */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/** Prisma accepts a script whose line endings git converted (LF <-> CRLF) since it was applied. */
export function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant, "utf8").digest();
    // Old engines wrote bytes without zero padding (prisma-engines#1887); match those rows too.
    const rendered =
      checksum.length !== 64 && checksum.length > 0
        ? [...digest].map((byte) => byte.toString(16)).join("")
        : digest.toString("hex");
    return rendered === checksum;
  });
}

/** Reads migration directories the way the Prisma CLI does: every subdirectory, sorted by name. */
export async function readMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const lockfile = await readFile(path.join(migrationsDir, LOCKFILE_NAME), "utf8").catch(() => null);
  const provider = lockfile
    ?.split("\n")
    .find((line) => line.startsWith("provider"))
    ?.replace(/^provider = /, "")
    .replace(/^"|"\s*$/g, "");
  if (lockfile !== null && provider !== "postgresql") {
    throw new MigrationError(
      "P3014",
      `${LOCKFILE_NAME} names provider "${provider}", but these migrations are applied to PostgreSQL.`,
    );
  }
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    },
  );
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, SCRIPT_NAME);
      const script = await readFile(file, "utf8").catch((error: Error) => {
        throw new MigrationError(
          "UNREADABLE_MIGRATION",
          `Failed to read migration script at ${file}: ${error.message}`,
        );
      });
      return { name, script };
    }),
  );
}

/** Applies every pending migration under a session advisory lock; safe to run from several processes. */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.migrationsDir);
  const { connectionString, schema } = splitSchemaParam(options.databaseUrl);
  if (options.createDatabase) await ensureDatabaseExists(connectionString, log);

  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    if (schema) await client.query(`SET search_path TO ${quoteIdentifier(schema)}`);
    await acquireLock(client, options.lockTimeoutMs ?? 10_000);
    try {
      await initializeMigrationsTable(client);
      const records = await listMigrationRecords(client);
      refuseFailedMigrations(records);
      const active = records.filter((record) => record.rolled_back_at === null);
      refuseModifiedMigrations(migrations, active);
      const localNames = new Set(migrations.map((migration) => migration.name));
      for (const record of active) {
        if (!localNames.has(record.migration_name))
          log(`Applied migration ${record.migration_name} is not in ${options.migrationsDir}.`);
      }

      const appliedNames = new Set(active.map((record) => record.migration_name));
      const pending = migrations.filter((migration) => !appliedNames.has(migration.name));
      log(`${migrations.length} migration(s) found, ${pending.length} pending.`);
      for (const migration of pending) {
        const started = performance.now();
        await applyOne(client, migration);
        log(`Applied ${migration.name} in ${Math.round(performance.now() - started)} ms.`);
      }
      if (options.appDatabaseUrl) await ensureAppLogin(client, options.appDatabaseUrl, log);
      return {
        applied: pending.map((migration) => migration.name),
        upToDate: migrations
          .filter((migration) => appliedNames.has(migration.name))
          .map((migration) => migration.name),
      };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** The role the least-privilege migration grants to (see its migration.sql); the app's login is it or a member. */
export const APP_ROLE = "switchboard_app";

/**
 * Makes DATABASE_URL's login usable and safe: creates it (a member of APP_ROLE) if missing, sets
 * the URL's password, and refuses a login that is a superuser, owns the audit table or is the
 * migrator itself, since any of those can switch the append-only trigger off.
 */
export async function ensureAppLogin(
  client: pg.Client,
  appDatabaseUrl: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const url = new URL(appDatabaseUrl);
  const login = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const refuse = (why: string) => {
    throw new MigrationError(
      "PRIVILEGED_APP_LOGIN",
      `DATABASE_URL logs in as "${login}", ${why}. The app must use a login without those rights, e.g. ${APP_ROLE} (migrations use DATABASE_OWNER_URL).`,
    );
  };
  if (!login) refuse("no user");
  const { rows: owner } = await client.query<{ name: string }>(
    "SELECT tableowner AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_events'",
  );
  const { rows: existing } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [login]);
  if (existing.length === 0) {
    await client
      .query(`CREATE ROLE ${quoteIdentifier(login)} LOGIN IN ROLE ${quoteIdentifier(APP_ROLE)}`)
      .catch((error: { code?: string }) => {
        if (error.code !== "42710" && error.code !== "23505") throw error; // created meanwhile by another migrator
      });
    log(`Created login ${login} (member of ${APP_ROLE}).`);
  }
  if (password)
    await client.query(
      `ALTER ROLE ${quoteIdentifier(login)} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`,
    );
  const { rows } = await client.query<{
    rolsuper: boolean;
    rolbypassrls: boolean;
    member: boolean;
    owns: boolean;
  }>(
    "SELECT rolsuper, rolbypassrls, pg_has_role(oid, $2, 'USAGE') AS member, $3::text IS NOT NULL AND pg_has_role(oid, $3::text, 'MEMBER') AS owns FROM pg_roles WHERE rolname = $1",
    [login, APP_ROLE, owner[0]?.name ?? null],
  );
  if (rows[0]?.rolsuper) refuse("a superuser");
  if (rows[0]?.owns) refuse("the owner of the tables (or a member of the owner's role)");
  if (rows[0]?.rolbypassrls) refuse("a role that bypasses row-level security");
  if (!rows[0]?.member) refuse(`which is not a member of ${APP_ROLE} and so has none of its grants`);
}

/** Creates the URL's database if missing, connecting to `postgres` (else `template1`) like Prisma. */
export async function ensureDatabaseExists(
  databaseUrl: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  let lastError: unknown;
  for (const maintenance of ["postgres", "template1"]) {
    url.pathname = `/${maintenance}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    try {
      await admin.connect();
    } catch (error) {
      lastError = error;
      continue;
    }
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (rowCount) return;
      await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      log(`Created database ${name}.`);
      return;
    } catch (error) {
      // A concurrent migrator created it first: duplicate_database, or the catalog's unique index.
      const code = (error as { code?: string }).code;
      if (code === "42P04" || code === "23505") return;
      throw error;
    } finally {
      await admin.end();
    }
  }
  throw lastError;
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") {
      throw new MigrationError(
        "LOCK_TIMEOUT",
        `Timed out after ${timeoutMs} ms waiting for the migration advisory lock (pg_advisory_lock(${PRISMA_MIGRATE_LOCK_ID})); another migrator is running.`,
      );
    }
    throw error;
  } finally {
    await client.query("RESET lock_timeout");
  }
}

async function initializeMigrationsTable(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = current_schema()`,
  );
  if (rows.some((row) => row.relname === MIGRATIONS_TABLE)) return;
  if (rows.length > 0) {
    const { rows: current } = await client.query<{ name: string }>("SELECT current_schema() AS name");
    throw new MigrationError(
      "P3005",
      `The database schema "${current[0]?.name}" is not empty and has no ${MIGRATIONS_TABLE} table. Baseline it first: https://pris.ly/d/migrate-baseline`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

async function listMigrationRecords(client: pg.Client): Promise<MigrationRecord[]> {
  const { rows } = await client.query<MigrationRecord>(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
       FROM ${MIGRATIONS_TABLE} ORDER BY started_at ASC`,
  );
  return rows;
}

function refuseFailedMigrations(records: MigrationRecord[]): void {
  const failed = records.filter((record) => record.finished_at === null && record.rolled_back_at === null);
  if (failed.length === 0) return;
  const details = failed
    .map((record) => {
      const logs = record.logs?.trim() ? ` with the following logs:\n${record.logs.trim()}` : "";
      return `The \`${record.migration_name}\` migration started at ${record.started_at.toISOString()} failed${logs}\n`;
    })
    .join("");
  throw new MigrationError(
    "P3009",
    `migrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n${details}`,
  );
}

/** Stricter than `migrate deploy`, which ignores edits: an applied script must stay as it was. */
function refuseModifiedMigrations(migrations: LocalMigration[], active: MigrationRecord[]): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const modified = active.filter((record) => {
    const local = byName.get(record.migration_name);
    return (
      local !== undefined &&
      record.finished_at !== null &&
      !scriptMatchesChecksum(local.script, record.checksum)
    );
  });
  if (modified.length === 0) return;
  throw new MigrationError(
    "MODIFIED_MIGRATION",
    `${modified.map((record) => `The migration \`${record.migration_name}\` was modified after it was applied.`).join("\n")}\nRestore the applied script and put the change in a new migration.`,
  );
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  // Recorded before the script runs, committed on its own: a crash mid-script leaves an unfinished
  // row that blocks later runs (P3009) until someone resolves it, as with Prisma.
  const id = randomUUID();
  await client.query(
    `INSERT INTO ${MIGRATIONS_TABLE} (id, checksum, started_at, migration_name) VALUES ($1, $2, clock_timestamp(), $3)`,
    [id, migrationChecksum(migration.script), migration.name],
  );
  try {
    await client.query("BEGIN");
    // No parameters: node-postgres sends the simple query protocol, which runs many statements.
    await client.query(migration.script);
    await client.query(
      `UPDATE ${MIGRATIONS_TABLE} SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const message = describeApplyError(migration, error);
    await client.query(`UPDATE ${MIGRATIONS_TABLE} SET logs = $2 WHERE id = $1`, [id, message]);
    throw new MigrationError("P3018", message);
  }
}

function describeApplyError(migration: LocalMigration, error: unknown): string {
  const dbError = error as { code?: string; message?: string; position?: string };
  const position = Number(dbError.position);
  let where = "";
  if (Number.isInteger(position) && position > 0) {
    const lineNumber = migration.script.slice(0, position - 1).split("\n").length;
    where = `\n\nPosition:\n${String(lineNumber).padStart(3)} ${migration.script.split("\n")[lineNumber - 1] ?? ""}`;
  }
  return [
    "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve",
    `Migration name: ${migration.name}`,
    `Database error code: ${dbError.code ?? "none"}`,
    `Database error:\n${dbError.message ?? String(error)}${where}`,
  ].join("\n\n");
}

/** Prisma URLs may carry `?schema=`, which PostgreSQL does not know; it becomes the search_path. */
function splitSchemaParam(databaseUrl: string): { connectionString: string; schema?: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
