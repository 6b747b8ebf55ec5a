import {
  computeAuditHash,
  createChainVerifier,
  GENESIS_PREV_HASH,
  toStoredJson,
  type ChainedAuditEvent,
  type ChainVerification,
  type JsonValue,
} from "@/lib/domain/audit/chain";
import { Prisma, type PrismaClient } from "./client";

export interface AuditEventInput {
  actor: { oid: string; name: string };
  /** `<entity>.<verb>`, e.g. `promotion.requested`, `promotion.approved`, `deployment.rolled-back`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export type AuditTransaction = Prisma.TransactionClient;

/** Serializes appenders across every process: held until the appending transaction ends. */
export const AUDIT_CHAIN_LOCK_ID = 4_242_000_501n;

/**
 * Appends one event to the hash chain inside the caller's transaction, so it commits (or rolls
 * back) with the change it records. Appends are serialized by a transaction-scoped advisory lock,
 * held until commit: append late in a transaction to keep that window short. Use it with READ
 * COMMITTED (Prisma's default) so the tail read after the lock sees the last committed event; the
 * unique prev_hash index turns any fork that slips through into an error instead of a split chain.
 */
export async function appendAuditEvent(tx: AuditTransaction, input: AuditEventInput): Promise<{ seq: bigint; hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_ID}::bigint)`;
  // A statement of its own after the lock: a statement's snapshot predates any wait inside it.
  const [{ seq, tail }] = await tx.$queryRaw<{ seq: bigint; tail: string | null }[]>`
    SELECT nextval(pg_get_serial_sequence('audit_events', 'seq')) AS seq, (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS tail`;
  const event = {
    seq: BigInt(seq),
    // Millisecond precision: what timestamp(3) stores, so the hash recomputes from the row.
    occurredAt: new Date(),
    actorOid: input.actor.oid,
    actorName: input.actor.name,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: toStoredJson(input.before),
    after: toStoredJson(input.after),
    prevHash: tail ?? GENESIS_PREV_HASH,
  };
  const hash = computeAuditHash(event);
  await tx.auditEvent.create({
    data: { ...event, before: jsonColumn(event.before), after: jsonColumn(event.after), hash },
    select: { seq: true },
  });
  return { seq: event.seq, hash };
}

/** For callers with nothing else to commit: one transaction holding just the audit event. */
export function recordAuditEvent(db: PrismaClient, input: AuditEventInput) {
  return db.$transaction((tx) => appendAuditEvent(tx, input));
}

const jsonColumn = (value: JsonValue | null) => (value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue));

const chainSelect = {
  seq: true,
  occurredAt: true,
  actorOid: true,
  actorName: true,
  action: true,
  entityType: true,
  entityId: true,
  before: true,
  after: true,
  prevHash: true,
  hash: true,
} as const;

/** Every stored event in seq order, read a page at a time. */
export async function* readAuditChain(db: PrismaClient, { pageSize = 2000 }: { pageSize?: number } = {}): AsyncGenerator<ChainedAuditEvent> {
  let after: bigint | undefined;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: after === undefined ? undefined : { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: pageSize,
      select: chainSelect,
    });
    for (const row of page) yield { ...row, before: row.before as JsonValue | null, after: row.after as JsonValue | null };
    if (page.length < pageSize) return;
    after = page.at(-1)!.seq;
  }
}

/** Recomputes every hash and link from the genesis; stops at the first broken link. */
export async function verifyStoredChain(db: PrismaClient, options?: { pageSize?: number }): Promise<ChainVerification> {
  const verifier = createChainVerifier();
  for await (const event of readAuditChain(db, options)) if (!verifier.add(event)) break;
  return verifier.result();
}
