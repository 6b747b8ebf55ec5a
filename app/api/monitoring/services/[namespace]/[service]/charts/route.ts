import { z } from "zod";
import { getServiceCharts } from "@/lib/dal/monitoring";
import { chartRanges, type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import { apiRoute } from "@/lib/http/api-route";
import { serviceParams } from "@/lib/validation/alerts";

const chartsQuery = z.object({
  range: z.enum(Object.keys(chartRanges) as [ChartRange, ...ChartRange[]]).default("1h"),
});

// GET /api/monitoring/services/:namespace/:service/charts?range=1h|6h|24h|7d – latency, rate and errors per revision.
export const GET = apiRoute(
  { access: "monitoring:read", params: serviceParams, query: chartsQuery },
  ({ user, params, query }) => getServiceCharts(user, params.namespace, params.service, query.range),
);

export * from "@/lib/http/other-methods";
