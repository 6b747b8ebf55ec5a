import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { recordAuditEvent } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { csvCell, exportAuditEvents } from "./audit";

const riley: CurrentUser = {
  id: "u-riley",
  oid: "oid-riley",
  name: "Riley Chen",
  email: null,
  roles: ["ModelRiskOfficer"],
};
const omar: CurrentUser = {
  id: "u-omar",
  oid: "oid-omar",
  name: "Omar Haddad",
  email: null,
  roles: ["OnCall"],
};

const readAll = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("audit export", () => {
  let database: TestDatabase;
  let db: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase("audit_export_test");
    db = createPrismaClient(database.url);
    for (let i = 0; i < 7; i++) {
      await recordAuditEvent(db, {
        actor: { oid: `oid-${i % 2}`, name: i % 2 ? "Riley Chen" : 'Dana, "the" Nguyen' },
        action: i === 3 ? "promotion.approved" : "promotion.commented",
        entityType: "PromotionRequest",
        entityId: `r${i}`,
        after: { body: i === 5 ? '=HYPERLINK("x")' : `line\n${i}` },
      });
    }
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("streams every event as JSON across pages, oldest first", async () => {
    const events = JSON.parse(await readAll(exportAuditEvents(riley, {}, "json", db, 3))) as Array<{
      seq: string;
      entityId: string;
    }>;
    expect(events.map((e) => e.entityId)).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6"]);
    expect(
      JSON.parse(await readAll(exportAuditEvents(riley, { action: "promotion.approved" }, "json", db, 3))),
    ).toHaveLength(1);
    expect(
      JSON.parse(await readAll(exportAuditEvents(riley, { actor: "riley" }, "json", db, 2))),
    ).toHaveLength(3);
  });

  it("writes CSV that quotes commas, quotes and newlines and defuses formulas", async () => {
    const csv = await readAll(exportAuditEvents(riley, { entityId: "r0" }, "csv", db));
    expect(csv.split("\r\n")[0]).toBe(
      "seq,occurredAt,actorOid,actorName,action,entityType,entityId,before,after,prevHash,hash",
    );
    expect(csv).toContain(`"Dana, ""the"" Nguyen"`);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell({ a: "line\n1" })).toBe(`"{""a"":""line\\n1""}"`);
  });

  it("refuses people without audit:read", () => {
    expect(() => exportAuditEvents(omar, {}, "csv", db)).toThrow(/audit:read/);
  });
});
