import { z } from "zod";
import { chartRanges, type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";

export const serviceChartsQuery = z.object({
  range: z.enum(Object.keys(chartRanges) as [ChartRange, ...ChartRange[]]).default("1h"),
});
