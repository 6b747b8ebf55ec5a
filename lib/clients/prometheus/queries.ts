/**
 * PromQL for serving dashboards, for both metric naming schemes a KServe cluster may expose
 * (which one is configured per cluster):
 * - "knative": the queue-proxy's revision_app_request_latencies (milliseconds) and
 *   revision_app_request_count, labelled namespace_name, configuration_name, revision_name,
 *   response_code_class; per-revision and with error classes.
 * - "kserve": the model server's request_predict_seconds (seconds), labelled model_name and, from
 *   the scrape, namespace and pod; no status code, and revisions only through the pod name.
 * Every latency query returns seconds, whatever the scheme.
 */

export type MetricScheme = "knative" | "kserve";

/**
 * Metric and label names of each scheme: every serving query, per service here and per namespace in
 * lib/domain/monitoring/fleet-metrics.ts, is built from these.
 */
export const servingMetrics = {
  knative: {
    latencyBucket: "revision_app_request_latencies_bucket",
    requestCount: "revision_app_request_count",
    namespaceLabel: "namespace_name",
    /** `<service>-predictor`: Knative's configuration, not the InferenceService name. */
    serviceLabel: "configuration_name",
    revisionLabel: "revision_name",
  },
  kserve: {
    latencyBucket: "request_predict_seconds_bucket",
    requestCount: "request_predict_seconds_count",
    namespaceLabel: "namespace",
    serviceLabel: "model_name",
  },
} as const;

/** The 5xx matcher; only the Knative metrics carry a status class. */
export const serverErrorMatcher = `response_code_class="5xx"`;

export interface ServingSelector {
  namespace: string;
  /** The InferenceService name. */
  service: string;
  /** Restrict to these revisions (e.g. the canary and its baseline). */
  revisions?: string[];
}

export interface QueryShape {
  scheme: MetricScheme;
  /** rate() window, e.g. "5m"; keep it at least 4× the scrape interval. */
  window?: string;
  /** One series per revision (knative) rather than one for the service. */
  byRevision?: boolean;
}

/** A PromQL double-quoted string. */
export const promqlString = (value: string) =>
  `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function matchers(selector: ServingSelector, scheme: MetricScheme, extra: string[] = []): string {
  const names = servingMetrics[scheme];
  const service = scheme === "knative" ? `${selector.service}-predictor` : selector.service;
  const parts = [
    `${names.namespaceLabel}=${promqlString(selector.namespace)}`,
    `${names.serviceLabel}=${promqlString(service)}`,
  ];
  if (selector.revisions?.length) {
    parts.push(
      scheme === "knative"
        ? `${servingMetrics.knative.revisionLabel}=~${promqlString(selector.revisions.map(escapeRegex).join("|"))}`
        : `pod=~${promqlString(`(${selector.revisions.map(escapeRegex).join("|")})-.*`)}`,
    );
  }
  return `{${[...parts, ...extra].join(", ")}}`;
}

/** A PromQL duration such as "5m" or "1h30m", or a RangeError. */
export function validateWindow(window: string) {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(window)) throw new RangeError(`not a PromQL duration: ${window}`);
  return window;
}

const groupLabel = (shape: QueryShape) =>
  shape.byRevision && shape.scheme === "knative"
    ? servingMetrics.knative.revisionLabel
    : servingMetrics[shape.scheme].serviceLabel;

/** Latency quantile in seconds, e.g. quantile 0.95 for p95. */
export function latencyQuantileQuery(selector: ServingSelector, quantile: number, shape: QueryShape): string {
  if (!(quantile >= 0 && quantile <= 1))
    throw new RangeError(`quantile must be within 0 and 1, got ${quantile}`);
  const window = validateWindow(shape.window ?? "5m");
  const by = groupLabel(shape);
  if (shape.scheme === "knative") {
    return `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${servingMetrics.knative.latencyBucket}${matchers(selector, "knative")}[${window}]))) / 1000`;
  }
  return `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${servingMetrics.kserve.latencyBucket}${matchers(selector, "kserve")}[${window}])))`;
}

/** Requests per second. */
export function requestRateQuery(selector: ServingSelector, shape: QueryShape): string {
  const window = validateWindow(shape.window ?? "5m");
  const by = groupLabel(shape);
  return `sum by (${by}) (rate(${servingMetrics[shape.scheme].requestCount}${matchers(selector, shape.scheme)}[${window}]))`;
}

/**
 * Share of requests answered 5xx (0–1). Only the Knative metrics carry the status class; for the
 * KServe scheme there is no such query, so this returns undefined.
 */
export function errorShareQuery(selector: ServingSelector, shape: QueryShape): string | undefined {
  if (shape.scheme !== "knative") return undefined;
  const window = validateWindow(shape.window ?? "5m");
  const by = groupLabel(shape);
  const count = servingMetrics.knative.requestCount;
  const errors = `sum by (${by}) (rate(${count}${matchers(selector, "knative", [serverErrorMatcher])}[${window}]))`;
  const all = `sum by (${by}) (rate(${count}${matchers(selector, "knative")}[${window}]))`;
  return `${errors} / ${all}`;
}

/** Prometheus refuses a range query with more points per series than this (400 bad_data). */
export const maxPointsPerSeries = 11_000;

/** Steps a chart can ask for: multiples of the 15 s scrape interval that read well on an axis. */
const niceSteps = [
  15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
];

/**
 * The smallest readable step that keeps a range within `maxPoints` points (and always well inside
 * Prometheus' 11,000-point limit). Pure.
 */
export function chooseStep(rangeSeconds: number, maxPoints = 300, minStepSeconds = 15): number {
  const budget = Math.max(1, Math.min(maxPoints, maxPointsPerSeries / 2));
  const needed = Math.max(minStepSeconds, rangeSeconds / budget);
  return niceSteps.find((step) => step >= needed) ?? Math.ceil(needed / 86400) * 86400;
}
