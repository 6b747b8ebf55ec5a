import { z } from "zod";

const day = z.iso.date();

/** Filters shared by the page, the JSON list and the exports. */
export const auditFilters = z.object({
  /** Part of the actor's name, or their exact Entra object id. */
  actor: z.string().trim().max(100).optional(),
  action: z.string().trim().max(80).optional(),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  /** Inclusive UTC days, YYYY-MM-DD. */
  from: day.optional(),
  to: day.optional(),
});

export type AuditFilters = z.output<typeof auditFilters>;

export const auditEventsQuery = auditFilters.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Events before this sequence number (paging backwards from the newest). */
  before: z.coerce
    .bigint()
    .positive()
    .max(2n ** 63n - 1n, "beyond the last event")
    .optional(),
});

export type AuditEventsQuery = z.output<typeof auditEventsQuery>;

export const auditExportQuery = auditFilters.extend({ format: z.enum(["csv", "json"]).default("csv") });
