import { z } from "zod";
import { createHttpClient, type TransportOptions } from "../http";

import { maxPointsPerSeries } from "./queries";

export * from "./queries";
export * from "./llm-queries";

/**
 * Typed client for the Prometheus HTTP API (/api/v1/query, /api/v1/query_range). Values arrive as
 * strings ("NaN", "+Inf" included) and become numbers; a step with no sample stays a gap.
 */

export interface PrometheusClientOptions extends TransportOptions {
  baseUrl: string;
}

const sampleValue = z.string().transform((text, ctx) => {
  const value = text === "+Inf" ? Infinity : text === "-Inf" ? -Infinity : Number(text);
  if (Number.isNaN(value) && text !== "NaN")
    ctx.addIssue({ code: "custom", message: `not a sample value: ${text}` });
  return value;
});
const sample = z.tuple([z.number(), sampleValue]);
const labels = z.record(z.string(), z.string());

const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ status: z.literal("success"), data, warnings: z.array(z.string()).optional() });

const matrixSchema = envelope(
  z.object({
    resultType: z.literal("matrix"),
    result: z.array(z.object({ metric: labels, values: z.array(sample) })),
  }),
);
const instantSchema = envelope(
  z.discriminatedUnion("resultType", [
    z.object({
      resultType: z.literal("vector"),
      result: z.array(z.object({ metric: labels, value: sample })),
    }),
    z.object({ resultType: z.literal("scalar"), result: sample }),
    z.object({
      resultType: z.literal("matrix"),
      result: z.array(z.object({ metric: labels, values: z.array(sample) })),
    }),
  ]),
);

export interface Point {
  /** Unix milliseconds. */
  t: number;
  value: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  points: Point[];
}

export interface InstantSample {
  metric: Record<string, string>;
  t: number;
  value: number;
}

export interface RangeQuery {
  query: string;
  start: Date | number;
  end: Date | number;
  /** Seconds between points; see chooseStep(). */
  step: number;
}

const toSeconds = (time: Date | number) => (typeof time === "number" ? time / 1000 : time.getTime() / 1000);

/** Reads Prometheus' `{status: "error", errorType, error}` body. */
export function parsePrometheusError(
  _status: number,
  body: unknown,
): { errorCode?: string; message?: string } {
  if (!body || typeof body !== "object") return {};
  const b = body as { errorType?: unknown; error?: unknown };
  return {
    errorCode: typeof b.errorType === "string" ? b.errorType : undefined,
    message: typeof b.error === "string" ? b.error : undefined,
  };
}

/**
 * Places a series on the query's step grid: one value per step, `null` where Prometheus had no
 * sample (a gap, not a zero). NaN stays NaN. Pure.
 */
export function alignToSteps(
  series: RangeSeries,
  range: { start: Date | number; end: Date | number; step: number },
): Array<number | null> {
  const start = toSeconds(range.start);
  const count = Math.floor((toSeconds(range.end) - start) / range.step + 1e-9) + 1;
  const values: Array<number | null> = new Array(Math.max(0, count)).fill(null);
  for (const point of series.points) {
    const index = Math.round((point.t / 1000 - start) / range.step);
    if (index >= 0 && index < values.length) values[index] = point.value;
  }
  return values;
}

export function createPrometheusClient(options: PrometheusClientOptions) {
  const http = createHttpClient({
    service: "Prometheus",
    baseUrl: options.baseUrl,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs ?? 30_000,
    retryBudgetMs: options.retryBudgetMs ?? 60_000,
    maxAttempts: options.maxAttempts,
    parseError: parsePrometheusError,
    fetch: options.fetch,
    sleep: options.sleep,
  });

  return {
    /** POST form-encoded (long queries fit), which is a read: safe to retry. */
    async queryRange(range: RangeQuery): Promise<RangeSeries[]> {
      const start = toSeconds(range.start);
      const end = toSeconds(range.end);
      if ((end - start) / range.step > maxPointsPerSeries) {
        throw new RangeError(
          `${Math.floor((end - start) / range.step)} points per series exceed Prometheus' ${maxPointsPerSeries}; use chooseStep()`,
        );
      }
      const body = await http.request("POST", "/api/v1/query_range", {
        form: { query: range.query, start: String(start), end: String(end), step: String(range.step) },
        schema: matrixSchema,
        idempotent: true,
      });
      return body.data.result.map((series) => ({
        metric: series.metric,
        points: series.values.map(([t, value]) => ({ t: Math.round(t * 1000), value })),
      }));
    },

    /** The values a label takes, e.g. the revisions that reported metrics, optionally among series matching selectors. */
    async labelValues(label: string, filter: { match?: string[] } = {}): Promise<string[]> {
      const body = await http.request("GET", `/api/v1/label/${encodeURIComponent(label)}/values`, {
        query: { "match[]": filter.match },
        schema: envelope(z.array(z.string())),
      });
      return body.data;
    },

    /** An instant query; a scalar result comes back as one sample without labels. */
    async query(instant: { query: string; time?: Date | number }): Promise<InstantSample[]> {
      const form: Record<string, string> = { query: instant.query };
      if (instant.time !== undefined) form.time = String(toSeconds(instant.time));
      const body = await http.request("POST", "/api/v1/query", {
        form,
        schema: instantSchema,
        idempotent: true,
      });
      const data = body.data;
      if (data.resultType === "scalar")
        return [{ metric: {}, t: Math.round(data.result[0] * 1000), value: data.result[1] }];
      if (data.resultType === "vector")
        return data.result.map((s) => ({
          metric: s.metric,
          t: Math.round(s.value[0] * 1000),
          value: s.value[1],
        }));
      throw new RangeError("the query returned a range vector; use queryRange()");
    },
  };
}

export type PrometheusClient = ReturnType<typeof createPrometheusClient>;
