import "server-only";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { checkpointAuditChain, verifyAuditTrail } from "@/lib/audit/checkpoints";
import { getCloudClients } from "@/lib/cloud";
import { getDb, type Prisma, type PrismaClient } from "@/lib/db/client";
import { type AuditFilters, type AuditEventsQuery } from "@/lib/validation/audit";

const blank = (value: string | undefined) => (value ? value : undefined);

function whereOf(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const actor = blank(filters.actor);
  const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000);
  return {
    ...(actor ? { OR: [{ actorOid: actor }, { actorName: { contains: actor, mode: "insensitive" } }] } : {}),
    action: blank(filters.action) ? { startsWith: filters.action } : undefined,
    entityType: blank(filters.entityType),
    entityId: blank(filters.entityId),
    occurredAt:
      filters.from || filters.to
        ? {
            gte: filters.from ? new Date(`${filters.from}T00:00:00.000Z`) : undefined,
            lt: filters.to ? nextDay(filters.to) : undefined,
          }
        : undefined,
  };
}

const listSelect = {
  seq: true,
  occurredAt: true,
  actorOid: true,
  actorName: true,
  action: true,
  entityType: true,
  entityId: true,
  before: true,
  after: true,
  hash: true,
  prevHash: true,
} as const;
type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof listSelect }>;
const toDto = (e: AuditRow) => ({ ...e, seq: e.seq.toString(), occurredAt: e.occurredAt.toISOString() });
export type AuditEventDto = ReturnType<typeof toDto>;

export async function listAuditEvents(user: CurrentUser, query: AuditEventsQuery) {
  assertCan(user, "audit:read");
  const where = whereOf(query);
  const events = await getDb().auditEvent.findMany({
    where: { ...where, seq: query.before ? { lt: query.before } : undefined },
    orderBy: { seq: "desc" },
    take: query.limit,
    select: listSelect,
  });
  return {
    events: events.map(toDto),
    nextBefore: events.length === query.limit ? events.at(-1)!.seq.toString() : null,
  };
}

/** The distinct actions recorded, for the filter's choices. */
export async function listAuditActions(user: CurrentUser): Promise<string[]> {
  assertCan(user, "audit:read");
  const rows = await getDb().auditEvent.findMany({
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return rows.map((r) => r.action);
}

/** The whole chain, against the checkpoints in the write-once store and with the triggers' state. */
export async function verifyAuditChain(user: CurrentUser) {
  assertCan(user, "audit:read");
  const startedAt = Date.now();
  const { verification, latestCheckpoint } = await verifyAuditTrail(
    getDb(),
    getCloudClients().auditCheckpoints,
  );
  return {
    ...verification,
    latestCheckpoint,
    verifiedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt,
  };
}

/** Checkpoints the chain head now, besides the worker's schedule (e.g. right before an export for an auditor). */
export async function checkpointAuditChainNow(user: CurrentUser) {
  assertCan(user, "audit:read");
  return checkpointAuditChain(getDb(), getCloudClients().auditCheckpoints);
}

const csvColumns = [
  "seq",
  "occurredAt",
  "actorOid",
  "actorName",
  "action",
  "entityType",
  "entityId",
  "before",
  "after",
  "prevHash",
  "hash",
] as const;

/** RFC 4180 quoting, and a leading ' for cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Streams every matching event, oldest first, a page at a time: a long log never sits in memory,
 * and a client that disconnects stops the reads.
 */
export function exportAuditEvents(
  user: CurrentUser,
  filters: AuditFilters,
  format: "csv" | "json",
  db: PrismaClient = getDb(),
  pageSize = 1000,
): ReadableStream<Uint8Array> {
  assertCan(user, "audit:read");
  const encoder = new TextEncoder();
  const where = whereOf(filters);
  let after: bigint | undefined;
  let started = false;
  let done = false;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(format === "csv" ? `${csvColumns.join(",")}\r\n` : "["));
      }
      if (done) return;
      const page = await db.auditEvent.findMany({
        where: { ...where, seq: after === undefined ? undefined : { gt: after } },
        orderBy: { seq: "asc" },
        take: pageSize,
        select: listSelect,
      });
      const chunk = page
        .map((row) => {
          const dto = toDto(row);
          if (format === "csv") return `${csvColumns.map((c) => csvCell(dto[c])).join(",")}\r\n`;
          const item = `${first ? "" : ","}\n${JSON.stringify(dto)}`;
          first = false;
          return item;
        })
        .join("");
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (page.length < pageSize) {
        done = true;
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
        return;
      }
      after = page.at(-1)!.seq;
    },
  });
}
