import { z } from "zod";
import { getLlmCharts } from "@/lib/dal/monitoring";
import { chartRanges, type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import { apiRoute } from "@/lib/http/api-route";
import { serviceParams } from "@/lib/validation/alerts";

const chartsQuery = z.object({
  range: z.enum(Object.keys(chartRanges) as [ChartRange, ...ChartRange[]]).default("1h"),
});

// GET /api/monitoring/services/:namespace/:service/llm-charts?range=1h|6h|24h|7d – TTFT, tokens/s, queue, batch, GPU.
export const GET = apiRoute(
  { access: "monitoring:read", params: serviceParams, query: chartsQuery },
  ({ user, params, query }) => getLlmCharts(user, params.namespace, params.service, query.range),
);

export * from "@/lib/http/other-methods";
