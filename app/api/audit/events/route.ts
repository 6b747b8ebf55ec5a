import { listAuditEvents } from "@/lib/dal/audit";
import { auditEventsQuery } from "@/lib/validation/audit";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/audit/events – the audit trail, newest first (ModelRiskOfficer, Admin).
export const GET = apiRoute({ access: "audit:read", query: auditEventsQuery }, ({ user, query }) =>
  listAuditEvents(user, query),
);

export * from "@/lib/http/other-methods";
