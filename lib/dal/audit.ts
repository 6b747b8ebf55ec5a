import "server-only";
import { z } from "zod";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";

export const auditEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Events before this sequence number (paging backwards from the newest). */
  before: z.coerce.bigint().positive().optional(),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
});
export type AuditEventsQuery = z.output<typeof auditEventsQuery>;

export async function listAuditEvents(user: CurrentUser, query: AuditEventsQuery) {
  assertCan(user, "audit:read");
  const events = await getDb().auditEvent.findMany({
    where: { seq: query.before ? { lt: query.before } : undefined, entityType: query.entityType, entityId: query.entityId },
    orderBy: { seq: "desc" },
    take: query.limit,
    select: { seq: true, occurredAt: true, actorOid: true, actorName: true, action: true, entityType: true, entityId: true, hash: true, prevHash: true },
  });
  return {
    events: events.map((e) => ({ ...e, seq: e.seq.toString(), occurredAt: e.occurredAt.toISOString() })),
    nextBefore: events.length === query.limit ? events.at(-1)!.seq.toString() : null,
  };
}
