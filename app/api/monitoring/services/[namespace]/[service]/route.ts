import { getServicePage } from "@/lib/dal/monitoring";
import { apiRoute } from "@/lib/http/api-route";
import { serviceParams } from "@/lib/validation/alerts";

// GET /api/monitoring/services/:namespace/:service – status, rollouts, alerts and silences, polled by the service page.
export const GET = apiRoute({ access: "monitoring:read", params: serviceParams }, ({ user, params }) =>
  getServicePage(user, params.namespace, params.service),
);

export * from "@/lib/http/other-methods";
