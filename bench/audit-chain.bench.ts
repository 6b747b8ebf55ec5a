import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { appendAuditEvent, recordAuditEvent, verifyStoredChain } from "@/lib/db/audit";
import { createPrismaClient } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

/**
 * The audit chain in PostgreSQL: how fast appends go one after another and from 8 concurrent
 * writers (all serialized by the advisory lock), and how fast the whole chain verifies.
 * Run: npx tsx bench/audit-chain.bench.ts. Uses its own throwaway database.
 */
const SEQUENTIAL = 500;
const CONCURRENT = 1000;
const WRITERS = 8;
const BULK = 10_000;

const serverUrl = (
  process.env.BENCH_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres"
).replace(/\/[^/]*$/, "");
const databaseName = `audit_bench_${randomBytes(4).toString("hex")}`;
const databaseUrl = `${serverUrl}/${databaseName}`;
const actor = { oid: "00000000-0000-4000-a000-000000000003", name: "Riley Chen" };
const event = (i: number) => ({
  actor,
  action: "promotion.commented",
  entityType: "PromotionRequest",
  entityId: `r${i % 50}`,
  before: { status: "OPEN" },
  after: { status: "OPEN", body: `comment ${i}`, approvals: i % 3 },
});

await applyMigrations({
  databaseUrl,
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
  createDatabase: true,
});
const db = createPrismaClient(databaseUrl);
try {
  // What any interactive transaction costs here, so the append figures can be read against it.
  let start = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await db.$transaction((tx) => tx.$queryRaw`SELECT 1`);
  const baselineMs = performance.now() - start;
  console.log(
    `baseline: interactive transaction with one SELECT, ${(baselineMs / SEQUENTIAL).toFixed(2)} ms each`,
  );

  start = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await recordAuditEvent(db, event(i));
  const sequentialMs = performance.now() - start;
  console.log(
    `sequential appends: ${SEQUENTIAL} in ${sequentialMs.toFixed(0)} ms (${((SEQUENTIAL / sequentialMs) * 1000).toFixed(0)}/s, ${(sequentialMs / SEQUENTIAL).toFixed(2)} ms each)`,
  );

  const latencies: number[] = [];
  let next = 0;
  start = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < CONCURRENT) {
        const i = next++;
        const t = performance.now();
        await db.$transaction((tx) => appendAuditEvent(tx, event(i)), { maxWait: 30_000, timeout: 30_000 });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const concurrentMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(
    `concurrent appends (${WRITERS} writers): ${CONCURRENT} in ${concurrentMs.toFixed(0)} ms (${((CONCURRENT / concurrentMs) * 1000).toFixed(0)}/s), latency p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms`,
  );

  // Filling the chain to a realistic size through the same path would take minutes; the verify
  // figure only needs many valid events, so append in larger transactions.
  start = performance.now();
  for (let i = 0; i < BULK; i += 500)
    await db.$transaction(
      async (tx) => {
        for (let j = i; j < i + 500; j++) await appendAuditEvent(tx, event(j));
      },
      { timeout: 120_000 },
    );
  console.log(`bulk fill: ${BULK} more events in ${((performance.now() - start) / 1000).toFixed(1)} s`);

  start = performance.now();
  const result = await verifyStoredChain(db);
  const verifyMs = performance.now() - start;
  if (!result.intact) throw new Error(`chain broken: ${result.reason}`);
  console.log(
    `verify: ${result.checked} events in ${verifyMs.toFixed(0)} ms (${((result.checked / verifyMs) * 1000).toFixed(0)} events/s)`,
  );
} finally {
  await db.$disconnect();
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await admin.end();
}
