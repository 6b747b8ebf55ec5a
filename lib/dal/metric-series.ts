import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { parsePgArrayText, previewSizes, reduceCachedSeries, type PreviewSize } from "@/lib/domain/metrics/series-cache";
import { encodeSeries, type EncodedSeries } from "@/lib/domain/metrics/series-codec";

/** "a,b,c" in a URL → ["a", "b", "c"]. */
export const commaList = z.string().max(4000).optional().transform((value) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []));

const runIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
export const maxComparedRuns = 100;
export const maxComparedMetrics = 50;
/** Base64 characters the chart series of one response may take (the rest of the JSON is small). */
const seriesCharBudget = 1_600_000;

export const compareQuery = z.object({
  runs: z.string().max(100 * 65).transform((value, ctx) => {
    const ids = [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))];
    if (ids.length < 1 || ids.length > maxComparedRuns || !ids.every((id) => runIdPattern.test(id))) {
      ctx.addIssue({ code: "custom", message: `runs must list 1 to ${maxComparedRuns} MLflow run ids, separated by commas` });
      return z.NEVER;
    }
    return ids;
  }),
  metrics: commaList.pipe(z.array(z.string().max(250)).max(maxComparedMetrics)),
  x: z.enum(["step", "time"]).default("step"),
});
export type CompareQuery = z.output<typeof compareQuery>;

export interface ComparedRun {
  runId: string;
  runName: string;
  experimentId: string;
  status: string;
  startTime: number | null;
  endTime: number | null;
  params: Record<string, string>;
  metricKeys: string[];
  isComplete: boolean;
  syncedAt: string;
}

export interface MetricSummary {
  last: number | null;
  min: number | null;
  max: number | null;
  lastStep: number;
  totalPoints: number;
}

export interface Comparison {
  /** Runs in the order asked for that are in the cache. */
  runs: ComparedRun[];
  /** Runs not copied yet: a sync has been asked for; poll until this is empty. */
  pending: string[];
  /** Every metric key of the cached runs; `metrics` are the ones with series below. */
  metricKeys: string[];
  metrics: string[];
  x: "step" | "time";
  pointsPerSeries: number;
  /** series[metric][runId] */
  series: Record<string, Record<string, EncodedSeries>>;
  /** stats[runId][metric]: exact final, minimum and maximum over the whole history. */
  stats: Record<string, Record<string, MetricSummary>>;
}

interface SeriesRow {
  mlflow_run_id: string;
  key: string;
  chart: EncodedSeries | null;
  /** Only for rows cached before previews existed (the next sync adds them). */
  steps: string | null;
  timestamps: string | null;
  values: string | null;
  min_value: number | null;
  max_value: number | null;
  last_value: number | null;
  last_step: string;
  total_points: number;
}

/** Largest preview size whose encoded series fit the response budget (about 4 characters a point, 8 with wall time). */
export function previewSizeFor(seriesCount: number, withTimestamps: boolean): PreviewSize {
  const charsPerPoint = withTimestamps ? 8.5 : 4.5;
  const fitting = previewSizes.filter((size) => seriesCount * size * charsPerPoint <= seriesCharBudget);
  return fitting.at(-1) ?? previewSizes[0];
}

/**
 * A run comparison from the cache in two queries. Never asks MLflow, which would read every step of
 * every history (docs/benchmarks.md). Callers authorize (lib/dal/experiments.ts getRunComparison);
 * this module has no server-only import so workers and benchmarks can use it too.
 */
export async function readRunComparison(db: PrismaClient, query: CompareQuery): Promise<Comparison> {
  const cachedRuns = await db.cachedMlflowRun.findMany({
    where: { mlflowRunId: { in: query.runs } },
    select: { mlflowRunId: true, runName: true, experimentId: true, status: true, startTime: true, endTime: true, params: true, metricKeys: true, isComplete: true, syncedAt: true },
  });
  const byId = new Map(cachedRuns.map((r) => [r.mlflowRunId, r]));
  const runs: ComparedRun[] = query.runs.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [{
      runId: r.mlflowRunId, runName: r.runName || r.mlflowRunId.slice(0, 8), experimentId: r.experimentId, status: r.status,
      startTime: r.startTime === null ? null : Number(r.startTime), endTime: r.endTime === null ? null : Number(r.endTime),
      params: r.params as Record<string, string>, metricKeys: r.metricKeys, isComplete: r.isComplete, syncedAt: r.syncedAt.toISOString(),
    }];
  });
  const pending = query.runs.filter((id) => !byId.has(id));

  const metricKeys = [...new Set(runs.flatMap((r) => r.metricKeys))].sort();
  const metrics = query.metrics.length ? query.metrics : metricKeys.slice(0, 20);
  const withTimestamps = query.x === "time";
  const expectedSeries = runs.reduce((n, r) => n + metrics.filter((m) => r.metricKeys.includes(m)).length, 0);
  const size = previewSizeFor(expectedSeries, withTimestamps);
  const rows = runs.length && metrics.length
    ? await db.$queryRaw<SeriesRow[]>`
        SELECT mlflow_run_id, key, previews -> ${String(size)} AS chart,
          CASE WHEN previews IS NULL THEN steps::text END AS steps, CASE WHEN previews IS NULL THEN timestamps::text END AS timestamps,
          CASE WHEN previews IS NULL THEN values::text END AS values,
          min_value, max_value, last_value, last_step::text AS last_step, total_points
        FROM metric_series WHERE mlflow_run_id = ANY(${runs.map((r) => r.runId)}) AND key = ANY(${metrics})`
    : [];

  const series: Comparison["series"] = Object.fromEntries(metrics.map((m) => [m, {}]));
  const stats: Comparison["stats"] = Object.fromEntries(runs.map((r) => [r.runId, {}]));
  for (const row of rows) {
    const chart = row.chart ?? encodeSeries(reduceCachedSeries({ steps: parsePgArrayText(row.steps), timestamps: parsePgArrayText(row.timestamps), values: parsePgArrayText(row.values) }, size), { withTimestamps: true });
    if (!withTimestamps) delete chart.t;
    series[row.key][row.mlflow_run_id] = chart;
    stats[row.mlflow_run_id][row.key] = { last: row.last_value, min: row.min_value, max: row.max_value, lastStep: Number(row.last_step), totalPoints: row.total_points };
  }
  const pointsPerSeries = size;
  return { runs, pending, metricKeys, metrics, x: query.x, pointsPerSeries, series, stats };
}

