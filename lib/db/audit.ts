import {
  computeAuditHash,
  createChainVerifier,
  GENESIS_PREV_HASH,
  toStoredJson,
  type ChainedAuditEvent,
  type ChainVerification,
  type JsonValue,
} from "@/lib/domain/audit/chain";
import { createCheckpointMatcher, type CheckpointRef } from "@/lib/domain/audit/checkpoints";
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
export async function appendAuditEvent(
  tx: AuditTransaction,
  input: AuditEventInput,
): Promise<{ seq: bigint; hash: string }> {
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

const jsonColumn = (value: JsonValue | null) =>
  value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);

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

/** Every stored event (after `after`, if given) in seq order, read a page at a time. */
export async function* readAuditChain(
  db: PrismaClient,
  { pageSize = 2000, after }: { pageSize?: number; after?: bigint } = {},
): AsyncGenerator<ChainedAuditEvent> {
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: after === undefined ? undefined : { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: pageSize,
      select: chainSelect,
    });
    for (const row of page)
      yield { ...row, before: row.before as JsonValue | null, after: row.after as JsonValue | null };
    if (page.length < pageSize) return;
    after = page.at(-1)!.seq;
  }
}

/** Recomputes every hash and link from the genesis; stops at the first broken link. */
export function verifyStoredChain(
  db: PrismaClient,
  options?: { pageSize?: number },
): Promise<ChainVerification> {
  return verifyChainSince(db, null, options);
}

export type TrailVerification = (
  | Extract<ChainVerification, { intact: true }>
  | { intact: false; checked: number; firstBrokenSeq: string | null; reason: string }
) & { checkpoints: number; checkpointsMatched: number };

/**
 * The chain from the genesis, checked against the checkpoints kept outside the database (see
 * lib/domain/audit/checkpoints.ts), and the append-only triggers: a trail that verifies but
 * whose triggers are off is not protected.
 */
export async function verifyTrail(
  db: PrismaClient,
  checkpoints: CheckpointRef[],
  options?: { pageSize?: number },
): Promise<TrailVerification> {
  const verifier = createChainVerifier();
  const matcher = createCheckpointMatcher(checkpoints);
  let lastSeq: bigint | null = null;
  for await (const event of readAuditChain(db, options)) {
    if (!verifier.add(event)) break;
    lastSeq = event.seq;
    if (!matcher.see(event)) break;
  }
  const chain = verifier.result();
  const extra = { checkpoints: checkpoints.length, checkpointsMatched: matcher.matched() };
  if (!chain.intact) return { ...chain, ...extra };
  const mismatch = matcher.finish(lastSeq);
  if (mismatch)
    return {
      intact: false,
      checked: chain.checked,
      firstBrokenSeq: mismatch.seq,
      reason: mismatch.reason,
      ...extra,
    };
  if (!(await appendOnlyTriggersEnabled(db))) {
    return {
      intact: false,
      checked: chain.checked,
      firstBrokenSeq: null,
      reason:
        "The append-only triggers on audit_events are disabled or missing: the trail can be changed until the owner restores them.",
      ...extra,
    };
  }
  return { ...chain, ...extra };
}

/** Both append-only triggers exist and fire in normal operation ('O') or always ('A'). */
export async function appendOnlyTriggersEnabled(db: PrismaClient): Promise<boolean> {
  const [{ enabled }] = await db.$queryRaw<{ enabled: number }[]>`
    SELECT count(*)::int AS enabled FROM pg_trigger
     WHERE tgrelid = 'audit_events'::regclass AND tgname IN ('audit_events_no_update_or_delete', 'audit_events_no_truncate') AND tgenabled IN ('O', 'A')`;
  return enabled === 2;
}

/** The newest event: what a checkpoint records. */
export async function readChainHead(db: PrismaClient) {
  return db.auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true, occurredAt: true },
  });
}

/**
 * Checks the events after a trusted point (a checkpoint: its seq and hash) up to the head, so a
 * new checkpoint never vouches for a rewritten trail. Cost grows with the events since, not the trail.
 */
export async function verifyChainSince(
  db: PrismaClient,
  from: { seq: bigint; hash: string } | null,
  options?: { pageSize?: number },
): Promise<ChainVerification> {
  const verifier = createChainVerifier(from?.hash ?? GENESIS_PREV_HASH);
  for await (const event of readAuditChain(db, { ...options, after: from?.seq }))
    if (!verifier.add(event)) break;
  return verifier.result();
}
