import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { recordAuditEvent } from "./audit";
import { createPrismaClient } from "./client";
import { ensureAppLogin, MigrationError } from "./migrate";

let database: TestDatabase;
let app: pg.Client;
let owner: pg.Client;

const denied = (sql: string) => expect(app.query(sql)).rejects.toMatchObject({ code: "42501" });

describe("the app's least-privilege login", () => {
  beforeAll(async () => {
    database = await createTestDatabase("app_role_test");
    owner = new pg.Client({ connectionString: database.url });
    app = new pg.Client({ connectionString: database.appUrl });
    await Promise.all([owner.connect(), app.connect()]);
    const db = createPrismaClient(database.appUrl);
    try {
      await recordAuditEvent(db, {
        actor: { oid: "o1", name: "Ada Admin" },
        action: "policy.updated",
        entityType: "Policy",
        entityId: "p1",
        after: { x: 1 },
      });
    } finally {
      await db.$disconnect();
    }
  });

  afterAll(async () => {
    await Promise.all([app?.end(), owner?.end()]);
    await database?.drop();
  });

  it("appends to and reads the audit trail (through the app's own code)", async () => {
    const { rows } = await app.query("SELECT current_user AS who, count(*)::int AS n FROM audit_events");
    expect(rows[0]).toEqual({ who: "switchboard_app", n: 1 });
  });

  it("cannot update, delete or truncate audit events, even with the triggers out of the way", async () => {
    await denied("UPDATE audit_events SET actor_name = 'someone else'");
    await denied("DELETE FROM audit_events");
    await denied("TRUNCATE audit_events");
  });

  it("cannot switch the append-only triggers off, nor replication mode that skips them", async () => {
    await denied("ALTER TABLE audit_events DISABLE TRIGGER USER");
    await denied("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete");
    await denied("DROP TRIGGER audit_events_no_update_or_delete ON audit_events");
    await denied("SET session_replication_role = replica");
    await denied("DROP TABLE audit_events");
  });

  it("cannot run DDL, rewind the chain's sequence or touch the migration history", async () => {
    await denied("CREATE TABLE shadow (id int)");
    await denied("ALTER TABLE users ADD COLUMN x int");
    await denied("SELECT setval(pg_get_serial_sequence('audit_events', 'seq'), 1)");
    await denied("SELECT * FROM _prisma_migrations");
    // Without the grant option this only warns; it must change nothing.
    await app.query("GRANT UPDATE, DELETE ON audit_events TO PUBLIC");
    const { rows } = await app.query(
      "SELECT has_table_privilege('audit_events', 'UPDATE') OR has_table_privilege('audit_events', 'DELETE') AS can",
    );
    expect(rows[0].can).toBe(false);
  });

  it("keeps ordinary DML on the other tables, including tables later migrations add", async () => {
    await app.query(
      "INSERT INTO users (id, entra_object_id, name, roles) VALUES ('u-x', 'oid-x', 'X', '{}')",
    );
    await app.query("UPDATE users SET name = 'Y' WHERE entra_object_id = 'oid-x'");
    await owner.query("CREATE TABLE later_table (id serial PRIMARY KEY, note text)");
    await app.query("INSERT INTO later_table (note) VALUES ('granted by default privileges'), ('removed')");
    await app.query("DELETE FROM later_table WHERE note = 'removed'");
    expect((await app.query("SELECT note FROM later_table")).rows).toEqual([
      { note: "granted by default privileges" },
    ]);
  });

  it("refuses to hand the app a login that could bypass the trigger", async () => {
    const server = new URL(database.url);
    const as = (user: string) => Object.assign(new URL(server), { username: user }).toString();
    await expect(ensureAppLogin(owner, as("postgres"))).rejects.toThrow(MigrationError);
    await expect(ensureAppLogin(owner, as("postgres"))).rejects.toThrow(/superuser/);
    await ensureAppLogin(owner, database.appUrl);
  });
});
