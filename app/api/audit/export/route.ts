import { exportAuditEvents } from "@/lib/dal/audit";
import { auditExportQuery } from "@/lib/validation/audit";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/audit/export?format=csv|json – the filtered audit log as a streamed download.
export const GET = apiRoute({ access: "audit:read", query: auditExportQuery }, async ({ user, query }) => {
  const { format, ...filters } = query;
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
  return new Response(exportAuditEvents(user, filters, format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="switchboard-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});

export * from "@/lib/http/other-methods";
