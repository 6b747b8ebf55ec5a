import { listAlerts } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { alertListQuery } from "@/lib/validation/alerts";

// GET /api/alerts?state=open|all|FIRING|...&namespace=&service= – alerts, firing first.
export const GET = apiRoute(
  { access: "monitoring:read", query: alertListQuery },
  async ({ user, query }) => ({ alerts: await listAlerts(user, query) }),
);

export * from "@/lib/http/other-methods";
