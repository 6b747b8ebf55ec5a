import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { parsePgArrayText, reduceCachedSeries } from "@/lib/domain/metrics/series-cache";
import { encodeSeries, type EncodedSeries } from "@/lib/domain/metrics/series-codec";

/** "a,b,c" in a URL → ["a", "b", "c"]. */
export const commaList = z.string().max(4000).optional().transform((value) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []));

const runIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
export const maxComparedRuns = 100;
export const maxComparedMetrics = 50;
/** Base64 characters the chart series of one response may take (the rest of the JSON is small). */
const seriesCharBudget = 1_500_000;

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
  steps: string;
  timestamps: string | null;
  values: string;
  min_value: number | null;
  max_value: number | null;
  last_value: number | null;
  last_step: string;
  total_points: number;
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
  // float4 is plenty for 16-bit chart codes and halves the text PostgreSQL sends; stats stay float8.
  const rows = runs.length && metrics.length
    ? await db.$queryRaw<SeriesRow[]>`
        SELECT mlflow_run_id, key, steps::text AS steps,
          CASE WHEN ${withTimestamps} THEN timestamps::text END AS timestamps, values::float4[]::text AS values,
          min_value, max_value, last_value, last_step::text AS last_step, total_points
        FROM metric_series WHERE mlflow_run_id = ANY(${runs.map((r) => r.runId)}) AND key = ANY(${metrics})`
    : [];

  const charsPerPoint = withTimestamps ? 8 : 4;
  const pointsPerSeries = Math.max(16, Math.min(500, Math.floor(seriesCharBudget / (Math.max(rows.length, 1) * charsPerPoint) / 4) * 4));
  const series: Comparison["series"] = Object.fromEntries(metrics.map((m) => [m, {}]));
  const stats: Comparison["stats"] = Object.fromEntries(runs.map((r) => [r.runId, {}]));
  for (const row of rows) {
    const steps = parsePgArrayText(row.steps);
    const values = parsePgArrayText(row.values);
    const timestamps = row.timestamps ? parsePgArrayText(row.timestamps) : steps;
    const reduced = reduceCachedSeries({ steps, timestamps, values }, pointsPerSeries);
    series[row.key][row.mlflow_run_id] = encodeSeries(reduced, { withTimestamps });
    stats[row.mlflow_run_id][row.key] = { last: row.last_value, min: row.min_value, max: row.max_value, lastStep: Number(row.last_step), totalPoints: row.total_points };
  }
  return { runs, pending, metricKeys, metrics, x: query.x, pointsPerSeries, series, stats };
}

