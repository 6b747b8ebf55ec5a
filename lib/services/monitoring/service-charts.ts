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
import type { ServingRevision } from "@/lib/domain/rollout/serving-map";

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
  /**
   * Every revision KServe sends traffic to now (both during a canary), with the version it serves and
   * whether Prometheus had latency for it in the range, so a revision without lines is named, not missing.
   */
  revisions: Array<ServingRevision & { hasLatency: boolean }>;
}

const quantiles = [
  { label: "p50", value: 0.5 },
  { label: "p95", value: 0.95 },
  { label: "p99", value: 0.99 },
] as const;

export async function loadServiceCharts(
  prometheus: Pick<PrometheusClient, "queryRange">,
  input: {
    namespace: string;
    service: string;
    scheme: MetricScheme;
    range: ChartRange;
    now?: number;
    serving?: ServingRevision[];
  },
): Promise<ServiceCharts> {
  const serving = new Map((input.serving ?? []).map((revision) => [revision.revisionName, revision]));
  const describe = (name: string) => {
    const revision = serving.get(name);
    if (!revision) return name;
    return `${name} (${revision.version ? `v${revision.version}, ` : ""}${revision.percent} %)`;
  };
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
          label: prefix ? `${prefix.trim()} ${describe(name)}` : describe(name),
          points: values.map((y, i) => ({
            x: (grid.start + i * grid.step) * 1000,
            y: y === null || !Number.isFinite(y) ? null : y * scale,
          })),
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
  const latencyMs = latencies.flatMap((series, i) => lines(series, `${quantiles[i].label} `, 1000));
  return {
    range: input.range,
    stepSeconds: grid.step,
    generatedAt: new Date(input.now ?? Date.now()).toISOString(),
    latencyMs,
    requestRate: lines(rates, ""),
    errorShare: errors && lines(errors, ""),
    revisions: [...serving.values()].map((revision) => ({
      ...revision,
      hasLatency: latencyMs.some(
        (line) => line.id.endsWith(` ${revision.revisionName}`) && line.points.some((p) => p.y !== null),
      ),
    })),
  };
}
