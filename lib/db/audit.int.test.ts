import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_PREV_HASH } from "@/lib/domain/audit/chain";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { appendAuditEvent, readAuditChain, recordAuditEvent, verifyStoredChain } from "./audit";
import { createPrismaClient, type PrismaClient } from "./client";

let database: TestDatabase;
const actor = { oid: "00000000-0000-0000-0000-0000000000aa", name: "Dana Scientist" };

/** What an attacker with the table owner's rights does: switch the append-only triggers off, edit, switch back. */
async function tamper(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
    await client.query(sql, params);
    await client.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
  } finally {
    await client.end();
  }
}

describe("audit chain in PostgreSQL", () => {
  let db: PrismaClient;
  let others: PrismaClient[];

  beforeAll(async () => {
    database = await createTestDatabase("audit_test");
    db = createPrismaClient(database.url);
    others = [
      createPrismaClient(database.url),
      createPrismaClient(database.url),
      createPrismaClient(database.url),
    ];
  });

  afterAll(async () => {
    await Promise.all([db, ...(others ?? [])].map((client) => client?.$disconnect()));
    await database?.drop();
  });

  it("starts at the genesis hash and commits the event with the caller's transaction", async () => {
    const first = await recordAuditEvent(db, {
      actor,
      action: "promotion.requested",
      entityType: "PromotionRequest",
      entityId: "r1",
      after: { status: "OPEN", at: new Date(0) },
    });
    const stored = await db.auditEvent.findUniqueOrThrow({ where: { seq: first.seq } });
    expect(stored).toMatchObject({
      prevHash: GENESIS_PREV_HASH,
      hash: first.hash,
      before: null,
      after: { status: "OPEN", at: "1970-01-01T00:00:00.000Z" },
    });

    await expect(
      db.$transaction(async (tx) => {
        await appendAuditEvent(tx, {
          actor,
          action: "promotion.approved",
          entityType: "PromotionRequest",
          entityId: "r1",
        });
        throw new Error("the change it records failed");
      }),
    ).rejects.toThrow("the change it records failed");
    expect(await db.auditEvent.count()).toBe(1);
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true, checked: 1 });
  });

  it("never forks when many processes append at once", async () => {
    const appends = Array.from({ length: 60 }, (_, i) =>
      [db, ...others][i % 4].$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe("SELECT pg_sleep(0.002)");
          return appendAuditEvent(tx, {
            actor,
            action: "promotion.commented",
            entityType: "PromotionRequest",
            entityId: `r${i}`,
            after: { i },
          });
        },
        { maxWait: 30_000, timeout: 30_000 },
      ),
    );
    const results = await Promise.all(appends);
    expect(new Set(results.map((r) => r.hash)).size).toBe(60);
    const chain = [];
    for await (const event of readAuditChain(db, { pageSize: 7 })) chain.push(event);
    expect(chain).toHaveLength(61);
    expect(new Set(chain.map((e) => e.prevHash)).size).toBe(61);
    expect(await verifyStoredChain(db, { pageSize: 7 })).toMatchObject({ intact: true, checked: 61 });
  });

  it("refuses UPDATE and DELETE, and refuses a second event after the same predecessor", async () => {
    await expect(db.auditEvent.updateMany({ data: { actorName: "x" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    const tail = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await expect(
      db.auditEvent.create({
        data: {
          actorOid: "x",
          actorName: "x",
          action: "x",
          entityType: "x",
          entityId: "x",
          prevHash: tail.prevHash,
          hash: "f".repeat(64),
        },
      }),
    ).rejects.toThrow(/prev_hash|Unique constraint/i);
  });

  it("finds the first broken link after a row is edited, and after a row is removed", async () => {
    const events = await db.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { seq: true } });
    const edited = events[20].seq;
    await tamper("UPDATE audit_events SET after = '{\"i\": 999}' WHERE seq = $1", [edited]);
    expect(await verifyStoredChain(db, { pageSize: 9 })).toMatchObject({
      intact: false,
      firstBrokenSeq: edited.toString(),
      checked: 20,
    });

    await tamper(
      "UPDATE audit_events SET after = (SELECT after FROM audit_events WHERE seq = $1) WHERE seq = $1",
      [edited],
    );
    const removed = events[10].seq;
    await tamper("DELETE FROM audit_events WHERE seq = $1", [removed]);
    const result = await verifyStoredChain(db);
    expect(result).toMatchObject({
      intact: false,
      firstBrokenSeq: events[11].seq.toString(),
      reason: expect.stringContaining("removed"),
    });
  });
});
