import { Evaluator, type Labels, type SeriesSource } from "./evaluate";
import { parseDurationSeconds, parsePromQL, PromQLError, typeOf } from "./promql";

/**
 * The /api/v1/query and /api/v1/query_range handlers' logic, following prometheus/web/api/v1/api.go:
 * parameter parsing and its exact error messages, the 11,000-points limit, the JSON envelope with
 * values as strings.
 */

export class BadData extends Error {}

export type QueryResult =
  | { resultType: "matrix"; result: Array<{ metric: Labels; values: Array<[number, string]> }> }
  | { resultType: "vector"; result: Array<{ metric: Labels; value: [number, string] }> }
  | { resultType: "scalar"; result: [number, string] };

const invalidParam = (name: string, message: string) =>
  new BadData(`invalid parameter "${name}": ${message}`);

const floatPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Unix seconds (with fractions) or RFC 3339; milliseconds precision like Prometheus. */
export function parseTime(value: string | undefined, name: string): number {
  const text = value ?? "";
  if (floatPattern.test(text)) return Math.round(Number(text) * 1000) / 1000;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  throw invalidParam(name, `cannot parse "${text}" to a valid timestamp`);
}

/** Seconds as a float, or a Prometheus duration (`15s`, `1m30s`). */
export function parseDuration(value: string | undefined, name: string): number {
  const text = value ?? "";
  if (floatPattern.test(text)) return Number(text);
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined) throw invalidParam(name, `cannot parse "${text}" to a valid duration`);
  return seconds;
}

/** strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  const text = String(value);
  const match = text.match(/^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/);
  if (!match) return text;
  const [, sign, head, tail = "", exponentText] = match;
  const digits = head + tail;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const timestamp = (t: number) => Math.round(t * 1000) / 1000;

function parseQuery(query: string | undefined) {
  try {
    return parsePromQL(query ?? "");
  } catch (error) {
    if (error instanceof PromQLError) throw invalidParam("query", error.message);
    throw error;
  }
}

export function rangeQuery(params: Record<string, string | undefined>, source: SeriesSource): QueryResult {
  const start = parseTime(params.start, "start");
  const end = parseTime(params.end, "end");
  if (end < start) throw invalidParam("end", "end timestamp must not be before start time");
  const step = parseDuration(params.step, "step");
  if (step <= 0)
    throw invalidParam(
      "step",
      "zero or negative query resolution step widths are not accepted. Try a positive integer",
    );
  // Go divides durations as integers: (end - start) / step > 11000 in nanoseconds.
  if (Math.floor(Math.round((end - start) * 1e6) / Math.round(step * 1e6)) > 11000) {
    throw new BadData(
      "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
  }
  if (params.timeout !== undefined) parseDuration(params.timeout, "timeout");
  const expr = parseQuery(params.query);
  const type = typeOf(expr);
  if (type === "matrix")
    throw invalidParam(
      "query",
      `invalid expression type "range vector" for range query, must be Scalar or instant Vector`,
    );
  const steps = Math.floor(Math.round((end - start) * 1e6) / Math.round(step * 1e6));
  const times = Float64Array.from({ length: steps + 1 }, (_, i) => timestamp(start + i * step));
  const value = new Evaluator(source, times).evaluate(expr);
  const result: Array<{ metric: Labels; values: Array<[number, string]> }> = [];
  if (value.type === "scalar")
    result.push({
      metric: {},
      values: Array.from(times, (t, i) => [t, formatValue(value.values[i])] as [number, string]),
    });
  else {
    for (const series of value.series) {
      const values: Array<[number, string]> = [];
      for (let i = 0; i < times.length; i++)
        if (series.present[i]) values.push([times[i], formatValue(series.values[i])]);
      if (values.length) result.push({ metric: series.labels, values });
    }
  }
  return { resultType: "matrix", result: sortByLabels(result) };
}

const sortKey = (metric: Labels) => JSON.stringify(Object.entries(metric).sort());
const sortByLabels = <T extends { metric: Labels }>(items: T[]) =>
  items
    .map((item) => ({ item, key: sortKey(item.metric) }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ item }) => item);

export function instantQuery(
  params: Record<string, string | undefined>,
  source: SeriesSource,
  now: number,
): QueryResult {
  const t = params.time === undefined || params.time === "" ? timestamp(now) : parseTime(params.time, "time");
  if (params.timeout !== undefined) parseDuration(params.timeout, "timeout");
  const expr = parseQuery(params.query);
  if (typeOf(expr) === "matrix")
    throw invalidParam(
      "query",
      "range vector selectors are only supported inside rate() and increase() by the sandbox's PromQL subset",
    );
  const value = new Evaluator(source, Float64Array.of(t)).evaluate(expr);
  if (value.type === "scalar") return { resultType: "scalar", result: [t, formatValue(value.values[0])] };
  const result = [...value.series]
    .filter((s) => s.present[0])
    .map((s) => ({ metric: s.labels, value: [t, formatValue(s.values[0])] as [number, string] }));
  return { resultType: "vector", result: sortByLabels(result) };
}
