import { chooseStep, promqlString, type MetricScheme, type PrometheusClient, type RangeSeries } from "@/lib/clients/prometheus";

/**
 * Serving metrics for every service of a namespace in one query per metric, grouped by service
 * (and by revision where the scheme has revisions), instead of one query per service: the
 * overview of 20 services costs the same few queries as one. The per-service builders in
 * lib/clients/prometheus/queries.ts select one service; these select the whole namespace with the
 * same metric names and label mapping. Latency comes back in milliseconds.
 */

export type FleetMetric = "p95" | "requestRate" | "errorShare";

/** Where a series belongs: the service, and its revision when the scheme labels revisions. */
export interface SeriesKey {
  service: string;
  revision?: string;
}

/** Knative names the configuration `<service>-predictor`; KServe's model_name is the service. */
export function seriesKeyOf(metric: Record<string, string>, scheme: MetricScheme): SeriesKey | undefined {
  if (scheme === "kserve") return metric.model_name ? { service: metric.model_name } : undefined;
  const configuration = metric.configuration_name;
  if (!configuration) return undefined;
  const service = configuration.replace(/-predictor(-default)?$/, "");
  return { service, revision: metric.revision_name };
}

function assertWindow(window: string) {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(window)) throw new RangeError(`not a PromQL duration: ${window}`);
  return window;
}

/** PromQL for one metric over a namespace; undefined when the scheme cannot express it (5xx share under "kserve"). */
export function fleetQuery(metric: FleetMetric, options: { namespace: string; scheme: MetricScheme; window: string; byRevision?: boolean; quantile?: number }): string | undefined {
  const window = assertWindow(options.window);
  const ns = promqlString(options.namespace);
  if (options.scheme === "kserve") {
    const selector = `{namespace=${ns}}`;
    if (metric === "p95") return `histogram_quantile(${options.quantile ?? 0.95}, sum by (le, model_name) (rate(request_predict_seconds_bucket${selector}[${window}]))) * 1000`;
    if (metric === "requestRate") return `sum by (model_name) (rate(request_predict_seconds_count${selector}[${window}]))`;
    return undefined;
  }
  const by = options.byRevision ? "configuration_name, revision_name" : "configuration_name";
  const selector = `{namespace_name=${ns}}`;
  if (metric === "p95") return `histogram_quantile(${options.quantile ?? 0.95}, sum by (le, ${by}) (rate(revision_app_request_latencies_bucket${selector}[${window}])))`;
  if (metric === "requestRate") return `sum by (${by}) (rate(revision_app_request_count${selector}[${window}]))`;
  const errors = `sum by (${by}) (rate(revision_app_request_count{namespace_name=${ns}, response_code_class="5xx"}[${window}]))`;
  return `${errors} / sum by (${by}) (rate(revision_app_request_count${selector}[${window}]))`;
}

/** Requests counted over the last `minutes`, per service: nothing (or 0) means no data. */
export function fleetRequestCountQuery(options: { namespace: string; scheme: MetricScheme; minutes: number }): string {
  const minutes = Math.max(1, Math.round(options.minutes));
  const ns = promqlString(options.namespace);
  return options.scheme === "kserve"
    ? `sum by (model_name) (increase(request_predict_seconds_count{namespace=${ns}}[${minutes}m]))`
    : `sum by (configuration_name) (increase(revision_app_request_count{namespace_name=${ns}}[${minutes}m]))`;
}

export const finiteOrNull = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : null);

/** A range of the overview's sparklines: the last hour, one point a minute. */
export const overviewRange = { seconds: 3600, step: 60, window: "1m" } as const;

/** Value per service (or revision) of an instant vector: `service` or `service/revision` keys. */
export function indexInstant(samples: Array<{ metric: Record<string, string>; value: number }>, scheme: MetricScheme): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const sample of samples) {
    const key = seriesKeyOf(sample.metric, scheme);
    if (key) values.set(sampleKey(key), finiteOrNull(sample.value));
  }
  return values;
}

export const sampleKey = (key: SeriesKey) => (key.revision ? `${key.service}/${key.revision}` : key.service);

/** Range series per service, placed on the step grid (null where Prometheus had no sample). */
export function indexRange(series: RangeSeries[], scheme: MetricScheme, grid: { start: number; step: number; count: number }): Map<string, Array<number | null>> {
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
export const isChartRange = (value: unknown): value is ChartRange => typeof value === "string" && Object.hasOwn(chartRanges, value);

/** Step and rate() window of a chart range: the window covers at least one step and 4 scrapes. */
export function chartGrid(range: ChartRange, end: number) {
  const seconds = chartRanges[range];
  const step = chooseStep(seconds, 240);
  const alignedEnd = Math.floor(end / 1000 / step) * step;
  return { start: alignedEnd - seconds, end: alignedEnd, step, window: `${Math.max(60, step)}s` };
}

export type { MetricScheme, PrometheusClient };
