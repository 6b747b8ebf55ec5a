import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { dropTestDatabase, testServerUrl } from "@/lib/testing/database";
import { applyMigrations, MigrationError, PRISMA_MIGRATE_LOCK_ID } from "./migrate";

const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
const databases: string[] = [];
const tempDirs: string[] = [];

/** A database name nobody else uses; applyMigrations creates it, afterAll drops it. */
function freshDatabaseUrl(): string {
  const name = `mig_test_${randomBytes(5).toString("hex")}`;
  databases.push(name);
  return `${testServerUrl}/${name}`;
}

async function withClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
  tempDirs.push(dir);
  await cp(migrationsDir, dir, { recursive: true });
  return dir;
}

async function migrationRows(databaseUrl: string) {
  return withClient(
    databaseUrl,
    async (client) => (await client.query("SELECT * FROM _prisma_migrations ORDER BY started_at")).rows,
  );
}

afterAll(async () => {
  for (const name of databases) await dropTestDatabase(name);
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("applyMigrations", () => {
  it("creates the database, applies every migration and records each as Prisma does", async () => {
    const databaseUrl = freshDatabaseUrl();
    const started = performance.now();
    const result = await applyMigrations({ databaseUrl, migrationsDir, createDatabase: true });
    console.info(
      `applied ${result.applied.length} migrations to an empty database in ${Math.round(performance.now() - started)} ms`,
    );

    const names = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(result).toEqual({ applied: names, upToDate: [] });

    // The engine's DDL: prisma-engines sql-schema-connector flavour/postgres.rs create_migrations_table.
    const columns = await withClient(databaseUrl, async (client) => {
      const { rows } = await client.query(
        `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
           FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      return rows;
    });
    expect(columns).toEqual([
      {
        column_name: "id",
        data_type: "character varying",
        length: 36,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "checksum",
        data_type: "character varying",
        length: 64,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        length: 255,
        is_nullable: "NO",
        column_default: null,
      },
      { column_name: "logs", data_type: "text", length: null, is_nullable: "YES", column_default: null },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        length: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        length: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        length: null,
        is_nullable: "NO",
        column_default: "0",
      },
    ]);

    const rows = await migrationRows(databaseUrl);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const bytes = await readFile(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row).toMatchObject({ applied_steps_count: 1, logs: null, rolled_back_at: null });
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    // The engine's first migration on this checkout, as `prisma migrate resolve --applied` computed it.
    expect(rows[0]).toMatchObject({
      migration_name: "20261126193000_init",
      checksum: "89349ded69edddbcf63b5778fe6c1f2956736c2ff59b0d2b773af247c54881bd",
    });
  });

  it("does nothing on a second run", async () => {
    const databaseUrl = freshDatabaseUrl();
    await applyMigrations({ databaseUrl, migrationsDir, createDatabase: true });
    const before = await migrationRows(databaseUrl);
    const again = await applyMigrations({ databaseUrl, migrationsDir });
    expect(again.applied).toEqual([]);
    expect(again.upToDate).toEqual(before.map((row) => row.migration_name));
    expect(await migrationRows(databaseUrl)).toEqual(before);
  });

  it("applies each migration once when two processes run at the same time", async () => {
    const databaseUrl = freshDatabaseUrl();
    // A generous lock wait, so a slow CI machine measures exclusion, not Prisma's 10 s patience.
    const run = () =>
      applyMigrations({ databaseUrl, migrationsDir, createDatabase: true, lockTimeoutMs: 25_000 });
    const runs = await Promise.all([run(), run()]);
    const rows = await migrationRows(databaseUrl);
    expect(runs.flatMap((run) => run.applied).sort()).toEqual(rows.map((row) => row.migration_name).sort());
    expect(runs.some((run) => run.applied.length === 0)).toBe(true);
    expect(new Set(rows.map((row) => row.migration_name)).size).toBe(rows.length);
  });

  it("gives up when another migrator holds Prisma's advisory lock too long", async () => {
    const databaseUrl = freshDatabaseUrl();
    await applyMigrations({ databaseUrl, migrationsDir, createDatabase: true });
    await withClient(databaseUrl, async (holder) => {
      await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
      await expect(applyMigrations({ databaseUrl, migrationsDir, lockTimeoutMs: 300 })).rejects.toMatchObject(
        { code: "LOCK_TIMEOUT" },
      );
    });
  });

  it("refuses an applied migration that was edited, but not one whose line endings git changed", async () => {
    const databaseUrl = freshDatabaseUrl();
    const dir = await copyOfMigrations();
    await applyMigrations({ databaseUrl, migrationsDir: dir, createDatabase: true });
    const [first] = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const file = path.join(dir, first, "migration.sql");
    const original = await readFile(file, "utf8");

    await writeFile(file, original.replaceAll("\n", "\r\n"));
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).resolves.toMatchObject({
      applied: [],
    });

    await writeFile(file, `${original}\nALTER TABLE "users" ADD COLUMN "nickname" TEXT;\n`);
    const refused = applyMigrations({ databaseUrl, migrationsDir: dir });
    await expect(refused).rejects.toBeInstanceOf(MigrationError);
    await expect(refused).rejects.toMatchObject({
      code: "MODIFIED_MIGRATION",
      message: expect.stringContaining(first),
    });
  });

  it("rolls a failing migration back, records it as failed and blocks later runs until it is resolved", async () => {
    const databaseUrl = freshDatabaseUrl();
    const dir = await copyOfMigrations();
    const broken = path.join(dir, "29991231000000_broken");
    await mkdir(broken);
    await writeFile(
      path.join(broken, "migration.sql"),
      'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n',
    );

    const failed = applyMigrations({ databaseUrl, migrationsDir: dir, createDatabase: true });
    await expect(failed).rejects.toMatchObject({
      code: "P3018",
      message: expect.stringContaining("no_such_table"),
    });

    const row = (await migrationRows(databaseUrl)).find((r) => r.migration_name === "29991231000000_broken");
    expect(row).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(row.logs).toContain("Database error code: 42P01");
    expect(row.logs).toContain('  2 SELECT * FROM "no_such_table";');
    const halfDone = await withClient(databaseUrl, (client) =>
      client.query("SELECT to_regclass('half_done') AS table"),
    );
    expect(halfDone.rows[0].table).toBeNull();

    await writeFile(path.join(broken, "migration.sql"), 'CREATE TABLE "half_done" ("id" INTEGER);\n');
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).rejects.toMatchObject({
      code: "P3009",
      message: expect.stringContaining("The `29991231000000_broken` migration started at"),
    });

    // What `prisma migrate resolve --rolled-back` writes; afterwards the fixed script applies.
    await withClient(databaseUrl, (client) =>
      client.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = $1", [row.id]),
    );
    await expect(applyMigrations({ databaseUrl, migrationsDir: dir })).resolves.toMatchObject({
      applied: ["29991231000000_broken"],
    });
  });

  it("refuses a database that already has tables but no migration history (Prisma's P3005)", async () => {
    const databaseUrl = freshDatabaseUrl();
    await applyMigrations({
      databaseUrl,
      migrationsDir: await mkdtemp(path.join(tmpdir(), "none-")),
      createDatabase: true,
    });
    await withClient(databaseUrl, (client) =>
      client.query('DROP TABLE _prisma_migrations; CREATE TABLE "legacy" ("id" INTEGER)'),
    );
    await expect(applyMigrations({ databaseUrl, migrationsDir })).rejects.toMatchObject({ code: "P3005" });
  });

  it("leaves audit_events append-only: INSERT works, UPDATE, DELETE and TRUNCATE are refused", async () => {
    const databaseUrl = freshDatabaseUrl();
    await applyMigrations({ databaseUrl, migrationsDir, createDatabase: true });
    await withClient(databaseUrl, async (client) => {
      await client.query(
        `INSERT INTO audit_events (actor_oid, actor_name, action, entity_type, entity_id, prev_hash, hash)
         VALUES ('oid-1', 'Ada', 'promotion.approve', 'PromotionRequest', 'r-1', '', 'h1')`,
      );
      for (const statement of [
        "UPDATE audit_events SET action = 'forged'",
        "UPDATE audit_events SET action = 'forged' WHERE false",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
      ]) {
        await expect(client.query(statement), statement).rejects.toThrow(
          /audit_events is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/,
        );
      }
      const { rows } = await client.query("SELECT action FROM audit_events");
      expect(rows).toEqual([{ action: "promotion.approve" }]);
    });
  });
});
