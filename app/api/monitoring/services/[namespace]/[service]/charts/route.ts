import { getServiceCharts } from "@/lib/dal/monitoring";
import { apiRoute } from "@/lib/http/api-route";
import { serviceParams } from "@/lib/validation/alerts";
import { serviceChartsQuery } from "@/lib/validation/monitoring";

// GET /api/monitoring/services/:namespace/:service/charts?range=1h|6h|24h|7d – latency, rate and errors per revision.
export const GET = apiRoute(
  { access: "monitoring:read", params: serviceParams, query: serviceChartsQuery },
  ({ user, params, query }) => getServiceCharts(user, params.namespace, params.service, query.range),
);

export * from "@/lib/http/other-methods";
