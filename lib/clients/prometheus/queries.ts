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
export const promqlString = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function matchers(selector: ServingSelector, scheme: MetricScheme, extra: string[] = []): string {
  const parts =
    scheme === "knative"
      ? [`namespace_name=${promqlString(selector.namespace)}`, `configuration_name=${promqlString(`${selector.service}-predictor`)}`]
      : [`namespace=${promqlString(selector.namespace)}`, `model_name=${promqlString(selector.service)}`];
  if (selector.revisions?.length) {
    parts.push(
      scheme === "knative"
        ? `revision_name=~${promqlString(selector.revisions.map(escapeRegex).join("|"))}`
        : `pod=~${promqlString(`(${selector.revisions.map(escapeRegex).join("|")})-.*`)}`,
    );
  }
  return `{${[...parts, ...extra].join(", ")}}`;
}

function validateWindow(window: string) {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(window)) throw new RangeError(`not a PromQL duration: ${window}`);
  return window;
}

const groupLabel = (shape: QueryShape) => (shape.byRevision && shape.scheme === "knative" ? "revision_name" : shape.scheme === "knative" ? "configuration_name" : "model_name");

/** Latency quantile in seconds, e.g. quantile 0.95 for p95. */
export function latencyQuantileQuery(selector: ServingSelector, quantile: number, shape: QueryShape): string {
  if (!(quantile >= 0 && quantile <= 1)) throw new RangeError(`quantile must be within 0 and 1, got ${quantile}`);
  const window = validateWindow(shape.window ?? "5m");
  const by = groupLabel(shape);
  if (shape.scheme === "knative") {
    return `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(revision_app_request_latencies_bucket${matchers(selector, "knative")}[${window}]))) / 1000`;
  }
  return `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(request_predict_seconds_bucket${matchers(selector, "kserve")}[${window}])))`;
}

/** Requests per second. */
export function requestRateQuery(selector: ServingSelector, shape: QueryShape): string {
  const window = validateWindow(shape.window ?? "5m");
  const by = groupLabel(shape);
  const metric = shape.scheme === "knative" ? "revision_app_request_count" : "request_predict_seconds_count";
  return `sum by (${by}) (rate(${metric}${matchers(selector, shape.scheme)}[${window}]))`;
}

/**
 * Share of requests answered 5xx (0–1). Only the Knative metrics carry the status class; for the
 * KServe scheme there is no such query, so this returns undefined.
 */
export function errorShareQuery(selector: ServingSelector, shape: QueryShape): string | undefined {
  if (shape.scheme !== "knative") return undefined;
  const window = validateWindow(shape.window ?? "5m");
  const by = groupLabel(shape);
  const errors = `sum by (${by}) (rate(revision_app_request_count${matchers(selector, "knative", [`response_code_class="5xx"`])}[${window}]))`;
  const all = `sum by (${by}) (rate(revision_app_request_count${matchers(selector, "knative")}[${window}]))`;
  return `${errors} / ${all}`;
}
