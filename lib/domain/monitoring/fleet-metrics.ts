import type { PrometheusClient, RangeSeries } from "@/lib/clients/prometheus";
import {
  chooseStep,
  promqlString,
  serverErrorMatcher,
  servingMetrics,
  validateWindow,
  type MetricScheme,
} from "@/lib/clients/prometheus/queries";

/**
 * Serving metrics for every service of a namespace in one query per metric, grouped by service
 * (and by revision where the scheme has revisions), instead of one query per service: the
 * overview of 20 services costs the same few queries as one. The per-service builders in
 * lib/clients/prometheus/queries.ts select one service; these select the whole namespace with the
 * same metric and label names (`servingMetrics`). Latency comes back in milliseconds.
 */

export type FleetMetric = "p95" | "requestRate" | "errorShare";

/** Where a series belongs: the service, and its revision when the scheme labels revisions. */
export interface SeriesKey {
  service: string;
  revision?: string;
}

/** Knative names the configuration `<service>-predictor`; KServe's model_name is the service. */
export function seriesKeyOf(metric: Record<string, string>, scheme: MetricScheme): SeriesKey | undefined {
  if (scheme === "kserve") {
    const service = metric[servingMetrics.kserve.serviceLabel];
    return service ? { service } : undefined;
  }
  const configuration = metric[servingMetrics.knative.serviceLabel];
  if (!configuration) return undefined;
  const service = configuration.replace(/-predictor(-default)?$/, "");
  return { service, revision: metric[servingMetrics.knative.revisionLabel] };
}

/** PromQL for one metric over a namespace; undefined when the scheme cannot express it (5xx share under "kserve"). */
export function fleetQuery(
  metric: FleetMetric,
  options: {
    namespace: string;
    scheme: MetricScheme;
    window: string;
    byRevision?: boolean;
    quantile?: number;
  },
): string | undefined {
  const window = validateWindow(options.window);
  const ns = promqlString(options.namespace);
  if (options.scheme === "kserve") {
    const { latencyBucket, requestCount, namespaceLabel, serviceLabel } = servingMetrics.kserve;
    const selector = `{${namespaceLabel}=${ns}}`;
    if (metric === "p95")
      return `histogram_quantile(${options.quantile ?? 0.95}, sum by (le, ${serviceLabel}) (rate(${latencyBucket}${selector}[${window}]))) * 1000`;
    if (metric === "requestRate")
      return `sum by (${serviceLabel}) (rate(${requestCount}${selector}[${window}]))`;
    return undefined;
  }
  const { latencyBucket, requestCount, namespaceLabel, serviceLabel, revisionLabel } = servingMetrics.knative;
  const by = options.byRevision ? `${serviceLabel}, ${revisionLabel}` : serviceLabel;
  const selector = `{${namespaceLabel}=${ns}}`;
  if (metric === "p95")
    return `histogram_quantile(${options.quantile ?? 0.95}, sum by (le, ${by}) (rate(${latencyBucket}${selector}[${window}])))`;
  if (metric === "requestRate") return `sum by (${by}) (rate(${requestCount}${selector}[${window}]))`;
  const errors = `sum by (${by}) (rate(${requestCount}{${namespaceLabel}=${ns}, ${serverErrorMatcher}}[${window}]))`;
  return `${errors} / sum by (${by}) (rate(${requestCount}${selector}[${window}]))`;
}

/** Requests counted over the last `minutes`, per service: nothing (or 0) means no data. */
export function fleetRequestCountQuery(options: {
  namespace: string;
  scheme: MetricScheme;
  minutes: number;
}): string {
  const minutes = Math.max(1, Math.round(options.minutes));
  const { requestCount, namespaceLabel, serviceLabel } = servingMetrics[options.scheme];
  return `sum by (${serviceLabel}) (increase(${requestCount}{${namespaceLabel}=${promqlString(options.namespace)}}[${minutes}m]))`;
}

export const finiteOrNull = (value: number | undefined) =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** A range of the overview's sparklines: the last hour, one point a minute. */
export const overviewRange = { seconds: 3600, step: 60, window: "1m" } as const;

/** Value per service (or revision) of an instant vector: `service` or `service/revision` keys. */
export function indexInstant(
  samples: Array<{ metric: Record<string, string>; value: number }>,
  scheme: MetricScheme,
): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const sample of samples) {
    const key = seriesKeyOf(sample.metric, scheme);
    if (key) values.set(sampleKey(key), finiteOrNull(sample.value));
  }
  return values;
}

export const sampleKey = (key: SeriesKey) => (key.revision ? `${key.service}/${key.revision}` : key.service);

/** Range series per service, placed on the step grid (null where Prometheus had no sample). */
export function indexRange(
  series: RangeSeries[],
  scheme: MetricScheme,
  grid: { start: number; step: number; count: number },
): Map<string, Array<number | null>> {
  const byKey = new Map<string, Array<number | null>>();
  for (const line of series) {
    const key = seriesKeyOf(line.metric, scheme);
    if (!key) continue;
    const values: Array<number | null> = new Array(grid.count).fill(null);
    for (const point of line.points) {
      const index = Math.round((point.t / 1000 - grid.start) / grid.step);
      if (index >= 0 && index < grid.count) values[index] = finiteOrNull(point.value);
    }
    byKey.set(sampleKey(key), values);
  }
  return byKey;
}

/** Chart ranges of the service page. Steps keep each series near 240 points, far inside Prometheus' 11,000. */
export const chartRanges = { "1h": 3600, "6h": 6 * 3600, "24h": 24 * 3600, "7d": 7 * 24 * 3600 } as const;
export type ChartRange = keyof typeof chartRanges;
export const isChartRange = (value: unknown): value is ChartRange =>
  typeof value === "string" && Object.hasOwn(chartRanges, value);

/** Step and rate() window of a chart range: the window covers at least one step and 4 scrapes. */
export function chartGrid(range: ChartRange, end: number) {
  const seconds = chartRanges[range];
  const step = chooseStep(seconds, 240);
  const alignedEnd = Math.floor(end / 1000 / step) * step;
  return { start: alignedEnd - seconds, end: alignedEnd, step, window: `${Math.max(60, step)}s` };
}

export type { MetricScheme, PrometheusClient };
