import {
  alignToSteps,
  errorShareQuery,
  latencyQuantileQuery,
  requestRateQuery,
  type MetricScheme,
  type PrometheusClient,
  type RangeSeries,
} from "@/lib/clients/prometheus";
import { chartGrid, type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";

/**
 * The service page's charts: p50/p95/p99 latency, request rate and error share over a range, one
 * line per revision (so a canary and its baseline are side by side), from the client's per-service
 * query builders. Five range queries, each series on the step grid with gaps left as null.
 */

export interface ChartLine {
  id: string;
  label: string;
  points: Array<{ x: number; y: number | null }>;
}

export interface ServiceCharts {
  range: ChartRange;
  stepSeconds: number;
  generatedAt: string;
  latencyMs: ChartLine[];
  requestRate: ChartLine[];
  /** Null when the metric scheme has no status codes (KServe's model-server histograms). */
  errorShare: ChartLine[] | null;
}

const quantiles = [
  { label: "p50", value: 0.5 },
  { label: "p95", value: 0.95 },
  { label: "p99", value: 0.99 },
] as const;

export async function loadServiceCharts(
  prometheus: Pick<PrometheusClient, "queryRange">,
  input: { namespace: string; service: string; scheme: MetricScheme; range: ChartRange; now?: number },
): Promise<ServiceCharts> {
  const grid = chartGrid(input.range, input.now ?? Date.now());
  const selector = { namespace: input.namespace, service: input.service };
  const shape = { scheme: input.scheme, window: grid.window, byRevision: true };
  const range = (query: string) =>
    prometheus.queryRange({ query, start: grid.start * 1000, end: grid.end * 1000, step: grid.step });
  const errorQuery = errorShareQuery(selector, shape);
  const [latencies, rates, errors] = await Promise.all([
    Promise.all(quantiles.map((q) => range(latencyQuantileQuery(selector, q.value, shape)))),
    range(requestRateQuery(selector, shape)),
    errorQuery ? range(errorQuery) : Promise.resolve(null),
  ]);
  const lines = (series: RangeSeries[], prefix: string, scale = 1): ChartLine[] =>
    series
      .map((s) => {
        const name = s.metric.revision_name ?? s.metric.model_name ?? input.service;
        const values = alignToSteps(s, { start: grid.start * 1000, end: grid.end * 1000, step: grid.step });
        return {
          id: `${prefix}${name}`,
          label: prefix ? `${prefix.trim()} ${name}` : name,
          points: values.map((y, i) => ({
            x: (grid.start + i * grid.step) * 1000,
            y: y === null || !Number.isFinite(y) ? null : y * scale,
          })),
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
  return {
    range: input.range,
    stepSeconds: grid.step,
    generatedAt: new Date(input.now ?? Date.now()).toISOString(),
    latencyMs: latencies.flatMap((series, i) => lines(series, `${quantiles[i].label} `, 1000)),
    requestRate: lines(rates, ""),
    errorShare: errors && lines(errors, ""),
  };
}
