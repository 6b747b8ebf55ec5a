import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBlobContainerClient, type BlobContainerClient } from "@/lib/clients/azure-blob";
import { staticTokenProvider } from "@/lib/clients/azure-token";
import { appendAuditEvent, recordAuditEvent } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { computeAuditHash } from "@/lib/domain/audit/chain";
import {
  createTestDatabase,
  dropTestDatabase,
  testServerUrl,
  type TestDatabase,
} from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { checkpointAuditChain, listCheckpoints, verifyAuditTrail } from "./checkpoints";

/**
 * The tamper tests of issue 11: a trail with checkpoints in the (emulated) write-once container,
 * copied, then attacked on the copy with the owner's rights, the way someone holding the database
 * owner's login (but not the checkpoint store) could. Each attack must be detected.
 */
let sandbox: RunningSandbox;
let original: TestDatabase;
let store: BlobContainerClient;
const copies: string[] = [];
const actor = { oid: "00000000-0000-0000-0000-0000000000ad", name: "Ada Admin" };

async function record(db: PrismaClient, count: number) {
  for (let i = 0; i < count; i++)
    await recordAuditEvent(db, {
      actor,
      action: "policy.updated",
      entityType: "Policy",
      entityId: `p${i}`,
      after: { minAuc: 0.7 + i / 100 },
    });
}

/** A copy of the original database (CREATE DATABASE … TEMPLATE), connected as the app and as the owner. */
async function copyOfTrail() {
  const name = `${original.name}_copy_${copies.length}`;
  copies.push(name);
  const admin = new pg.Client({ connectionString: `${testServerUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${original.name}"`);
  await admin.end();
  const owner = new pg.Client({ connectionString: `${testServerUrl}/${name}` });
  await owner.connect();
  const appUrl = new URL(original.appUrl);
  appUrl.pathname = `/${name}`;
  return { owner, app: createPrismaClient(appUrl.toString()) };
}

async function attack(sql: (owner: pg.Client) => Promise<unknown>) {
  const { owner, app } = await copyOfTrail();
  try {
    await owner.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
    await sql(owner);
    await owner.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
    return (await verifyAuditTrail(app, store)).verification;
  } finally {
    await owner.end();
    await app.$disconnect();
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 1 });
}, 60_000);
afterAll(() => sandbox?.close());

describe("audit checkpoints outside the database", () => {
  beforeAll(async () => {
    store = createBlobContainerClient({
      containerUrl: `${sandbox.url}/blob/switchboard/audit-${randomBytes(4).toString("hex")}`,
      getToken: staticTokenProvider(sandbox.token),
    });
    original = await createTestDatabase("audit_checkpoints");
    // The app's own login writes the trail and the checkpoints, as in production.
    const db = createPrismaClient(original.appUrl);
    try {
      await record(db, 3);
      expect(await checkpointAuditChain(db, store)).toMatchObject({
        status: "written",
        checkpoint: { seq: "3" },
      });
      await record(db, 3);
      expect(await checkpointAuditChain(db, store)).toMatchObject({
        status: "written",
        checkpoint: { seq: "6" },
      });
      expect(await checkpointAuditChain(db, store)).toMatchObject({
        status: "unchanged",
        checkpoint: { seq: "6" },
      });
      await record(db, 2); // 7 and 8: after the last checkpoint
    } finally {
      await db.$disconnect();
    }
  }, 120_000);

  afterAll(async () => {
    for (const name of copies) await dropTestDatabase(name, 0);
    await original?.drop();
  });

  it("verifies the untouched trail against every checkpoint", async () => {
    const { app, owner } = await copyOfTrail();
    try {
      const { verification, latestCheckpoint } = await verifyAuditTrail(app, store);
      expect(verification).toMatchObject({ intact: true, checked: 8, checkpoints: 2, checkpointsMatched: 2 });
      expect(latestCheckpoint).toMatchObject({ seq: "6", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      await owner.end();
      await app.$disconnect();
    }
  });

  it("detects the newest events deleted, back past the last checkpoint", async () => {
    const result = await attack((owner) => owner.query("DELETE FROM audit_events WHERE seq >= 5"));
    expect(result).toMatchObject({
      intact: false,
      firstBrokenSeq: "6",
      reason: expect.stringMatching(/ends at event 4.*newest events were deleted/),
    });
  });

  it("detects every event deleted", async () => {
    const result = await attack((owner) => owner.query("TRUNCATE audit_events"));
    expect(result).toMatchObject({
      intact: false,
      checked: 0,
      reason: expect.stringMatching(/empty.*every event was deleted/),
    });
  });

  it("detects an event edited and every later hash recomputed", async () => {
    const result = await attack(async (owner) => {
      const { rows } = await owner.query(
        `SELECT seq, to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at, actor_oid, actor_name, action, entity_type, entity_id, before, after, prev_hash FROM audit_events WHERE seq >= 2 ORDER BY seq`,
      );
      const { rows: first } = await owner.query("SELECT hash FROM audit_events WHERE seq = 1");
      let prevHash = first[0].hash as string;
      for (const row of rows) {
        const after = row.seq === "2" ? { minAuc: 0.5 } : row.after;
        const event = {
          seq: BigInt(row.seq),
          occurredAt: new Date(row.occurred_at),
          actorOid: row.actor_oid,
          actorName: row.actor_name,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          before: row.before,
          after,
          prevHash,
        };
        const hash = computeAuditHash(event);
        await owner.query("UPDATE audit_events SET after = $2, prev_hash = $3, hash = $4 WHERE seq = $1", [
          row.seq,
          JSON.stringify(after),
          prevHash,
          hash,
        ]);
        prevHash = hash;
      }
    });
    // The chain itself links up again; only the checkpoint gives it away.
    expect(result).toMatchObject({
      intact: false,
      firstBrokenSeq: "3",
      reason: expect.stringMatching(/differs from its checkpoint/),
    });
  });

  it("detects the append-only triggers left disabled", async () => {
    const { owner, app } = await copyOfTrail();
    try {
      await owner.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete");
      const { verification } = await verifyAuditTrail(app, store);
      expect(verification).toMatchObject({
        intact: false,
        firstBrokenSeq: null,
        reason: expect.stringMatching(/triggers .* are disabled/),
      });
    } finally {
      await owner.end();
      await app.$disconnect();
    }
  });

  it("refuses to checkpoint a trail that no longer matches the latest checkpoint", async () => {
    const { owner, app } = await copyOfTrail();
    try {
      await owner.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
      await owner.query("DELETE FROM audit_events WHERE seq >= 6");
      await owner.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
      await app.$transaction((tx) =>
        appendAuditEvent(tx, {
          actor,
          action: "policy.updated",
          entityType: "Policy",
          entityId: "after-attack",
        }),
      );
      await expect(checkpointAuditChain(app, store)).rejects.toThrow(/no longer matches its checkpoint/);
      expect((await listCheckpoints(store)).map((c) => c.seq)).toEqual(["3", "6"]);
    } finally {
      await owner.end();
      await app.$disconnect();
    }
  });
});

describe("the write-once container (sandbox emulation over the Blob REST API)", () => {
  const container = () => `${sandbox.url}/blob/switchboard/worm-${suffix}`;
  const suffix = randomBytes(4).toString("hex");

  it("writes a blob once, never overwrites or deletes it, and lists names page by page", async () => {
    const client = createBlobContainerClient({
      containerUrl: container(),
      getToken: staticTokenProvider(sandbox.token),
    });
    expect(await client.createJsonBlob("audit-chain/a.json", { n: 1 })).toBe("created");
    expect(await client.createJsonBlob("audit-chain/a.json", { n: 2 })).toBe("exists");
    expect(await client.createJsonBlob("audit-chain/b.json", { n: 3 })).toBe("created");
    expect(await client.getJsonBlob("audit-chain/a.json", z.object({ n: z.number() }))).toEqual({ n: 1 });
    const headers = { authorization: `Bearer ${sandbox.token}`, "x-ms-version": "2024-11-04" };
    const overwrite = await fetch(`${container()}/audit-chain/a.json`, {
      method: "PUT",
      headers: { ...headers, "x-ms-blob-type": "BlockBlob" },
      body: "{}",
    });
    expect([overwrite.status, overwrite.headers.get("x-ms-error-code")]).toEqual([
      409,
      "BlobImmutableDueToPolicy",
    ]);
    const remove = await fetch(`${container()}/audit-chain/a.json`, { method: "DELETE", headers });
    expect([remove.status, await remove.text()]).toEqual([
      409,
      expect.stringContaining("<Code>BlobImmutableDueToPolicy</Code>"),
    ]);
    const names: string[] = [];
    for await (const name of client.listBlobNames("audit-chain/", { pageSize: 1 })) names.push(name);
    expect(names).toEqual(["audit-chain/a.json", "audit-chain/b.json"]);
    const anonymous = await fetch(`${container()}/audit-chain/a.json`, {
      headers: { "x-ms-version": "2024-11-04" },
    });
    expect(anonymous.status).toBe(401);
  });
});
