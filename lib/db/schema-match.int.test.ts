import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { applyMigrations } from "./migrate";
import {
  diffSchemaShapes,
  expectedSchemaShape,
  introspectSchemaShape,
  type SchemaShape,
} from "./schema-match";

const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
const schemaPath = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));
const initMigration = "20261126193000_init";
const databases: TestDatabase[] = [];
const tempDirs: string[] = [];

async function migratedShape(dir: string): Promise<SchemaShape> {
  const database = await createTestDatabase("schema_match", { migrate: false });
  databases.push(database);
  await applyMigrations({ databaseUrl: database.url, migrationsDir: dir });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await introspectSchemaShape(client);
  } finally {
    await client.end();
  }
}

/** Applies a targeted edit to a copy of the init migration, failing if the text to edit is gone. */
function edit(script: string, from: string, to: string): string {
  expect(script, `the init migration should contain ${from}`).toContain(from);
  return script.replace(from, to);
}

let prismaSchema: string;
let expected: SchemaShape;

beforeAll(async () => {
  prismaSchema = await readFile(schemaPath, "utf8");
  expected = expectedSchemaShape(prismaSchema);
});

afterAll(async () => {
  for (const database of databases) await database.drop();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("migrations against schema.prisma", () => {
  it("reads every model of schema.prisma, with lists, enums, keys and referential actions", () => {
    const modelCount = [...prismaSchema.matchAll(/^model \w+ \{/gm)].length;
    expect(Object.keys(expected.tables)).toHaveLength(modelCount);
    expect(expected.tables.users.columns.roles).toEqual({ type: '"Role"[]', notNull: false, default: null });
    expect(expected.tables.training_runs.columns.status).toEqual({
      type: '"RunStatus"',
      notNull: true,
      default: `'QUEUED'::"RunStatus"`,
    });
    expect(expected.tables.metric_series.primaryKey).toEqual({
      name: "metric_series_pkey",
      columns: ["mlflow_run_id", "key"],
    });
    expect(expected.tables.training_run_events.foreignKeys).toEqual([
      {
        name: "training_run_events_run_id_fkey",
        columns: ["run_id"],
        referencedTable: "training_runs",
        referencedColumns: ["id"],
        onDelete: "Cascade",
        onUpdate: "Cascade",
      },
    ]);
  });

  it("the migrated database has exactly the tables, columns, enums, keys, indexes and foreign keys of schema.prisma", async () => {
    const actual = await migratedShape(migrationsDir);
    expect(Object.keys(actual.tables).length).toBeGreaterThan(0);
    expect(diffSchemaShapes(expected, actual)).toEqual([]);
  });

  it("names each difference a broken migration introduces", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "broken-migrations-"));
    tempDirs.push(dir);
    await cp(migrationsDir, dir, { recursive: true });
    const file = path.join(dir, initMigration, "migration.sql");
    let script = await readFile(file, "utf8");
    script = edit(script, `'CANCELLED', 'INTERNAL_ERROR'`, `'CANCELLED'`);
    script = edit(script, `"email" TEXT,`, `"email" VARCHAR(100),`);
    script = edit(script, `"run_name" TEXT NOT NULL,`, `"run_name" TEXT,`);
    script = edit(
      script,
      `"for_minutes" INTEGER NOT NULL DEFAULT 5,`,
      `"for_minutes" INTEGER NOT NULL DEFAULT 3,`,
    );
    script = edit(
      script,
      `CREATE INDEX "training_runs_created_at_idx" ON "training_runs"("created_at");`,
      "",
    );
    script = edit(
      script,
      `REFERENCES "training_runs"("id") ON DELETE CASCADE`,
      `REFERENCES "training_runs"("id") ON DELETE RESTRICT`,
    );
    await writeFile(file, `${script}\nCREATE TABLE "stray" ("id" INTEGER);\n`);

    const differences = diffSchemaShapes(expected, await migratedShape(dir));
    expect(differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^enum RunStatus: values .* but schema.prisma has .*INTERNAL_ERROR$/),
        "column users.email: type character varying(100) but schema.prisma needs text",
        "column training_runs.run_name: nullable but schema.prisma needs NOT NULL",
        "column alert_rules.for_minutes: default 3 but schema.prisma needs 5",
        "index training_runs_created_at_idx on training_runs: missing from the database (training_runs_created_at_idx (created_at))",
        "foreign key training_run_events_run_id_fkey on training_run_events: (run_id) -> training_runs(id) ON DELETE Restrict ON UPDATE Cascade but schema.prisma needs (run_id) -> training_runs(id) ON DELETE Cascade ON UPDATE Cascade",
        "table stray: in the database but not in schema.prisma",
      ]),
    );
    expect(differences).toHaveLength(7);
  });

  it("names a change to schema.prisma that no migration carries yet", async () => {
    const changed = prismaSchema.replace(
      /(  ackNote +String\? +@map\("ack_note"\)\n)/,
      `$1  snoozedUntil DateTime? @map("snoozed_until")\n  @@unique([ruleId, firedAt])\n`,
    );
    expect(changed).not.toBe(prismaSchema);
    const differences = diffSchemaShapes(expectedSchemaShape(changed), await migratedShape(migrationsDir));
    expect(differences).toEqual([
      "column alerts.snoozed_until: missing from the database",
      "unique index alerts_rule_id_fired_at_key on alerts: missing from the database (alerts_rule_id_fired_at_key (rule_id, fired_at))",
    ]);
  });
});
