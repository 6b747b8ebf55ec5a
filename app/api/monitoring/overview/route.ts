import { getMonitoringOverview } from "@/lib/dal/monitoring";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/monitoring/overview – every service's health, polled by the overview page.
export const GET = apiRoute({ access: "monitoring:read" }, ({ user }) => getMonitoringOverview(user));

export * from "@/lib/http/other-methods";
