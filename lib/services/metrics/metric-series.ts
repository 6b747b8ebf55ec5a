import type { MlflowClient, Run } from "@/lib/clients/mlflow";
import type { PrismaClient } from "@/lib/db/client";
import { jobIds } from "@/lib/queue/job-ids";
import type { JobProducer } from "@/lib/queue/producer";
import {
  parsePgArrayText,
  previewSizes,
  reduceCachedSeries,
  type PreviewSize,
} from "@/lib/domain/metrics/series-cache";
import { encodeSeries, type EncodedSeries } from "@/lib/domain/metrics/series-codec";
import { type CompareQuery } from "@/lib/validation/experiments";

/** Base64 characters the chart series of one response may take (the rest of the JSON is small). */
const seriesCharBudget = 1_600_000;

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
  /** Null while the run is not in the copy yet (its summary came from runs/search). */
  syncedAt: string | null;
}

export interface MetricSummary {
  last: number | null;
  min: number | null;
  max: number | null;
  lastStep: number;
  totalPoints: number;
}

export interface Comparison {
  /** Runs in the order asked for: those in the cache, and (when MLflow was asked) the summaries of those not copied yet. */
  runs: ComparedRun[];
  /** Runs whose charts are not copied yet: a sync has been asked for; poll until this is empty. */
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
  is_sampled: boolean;
}

/** Largest preview size whose encoded series fit the response budget (about 4 characters a point, 8 with wall time). */
export function previewSizeFor(seriesCount: number, withTimestamps: boolean): PreviewSize {
  const charsPerPoint = withTimestamps ? 8.5 : 4.5;
  const fitting = previewSizes.filter((size) => seriesCount * size * charsPerPoint <= seriesCharBudget);
  return fitting.at(-1) ?? previewSizes[0];
}

export interface ComparisonSources {
  /** Summaries (params, latest metrics) of runs not copied yet, from runs/search; without it they are only listed as pending. */
  summarize?: (runIds: string[], knownExperimentIds: string[]) => Promise<Run[]>;
}

/**
 * A run comparison from the cache in two queries. Never reads a metric history from MLflow, which
 * would read every step of every history (docs/benchmarks.md); runs not copied yet get their summary
 * from `sources.summarize`. Callers authorize (lib/dal/experiments.ts getRunComparison); this module
 * has no server-only import so workers and benchmarks can use it too.
 */
export async function readRunComparison(
  db: PrismaClient,
  query: CompareQuery,
  sources: ComparisonSources = {},
): Promise<Comparison> {
  const cachedRuns = await db.cachedMlflowRun.findMany({
    where: { mlflowRunId: { in: query.runs } },
    select: {
      mlflowRunId: true,
      runName: true,
      experimentId: true,
      status: true,
      startTime: true,
      endTime: true,
      params: true,
      metricKeys: true,
      isComplete: true,
      syncedAt: true,
    },
  });
  const copied = new Map(
    cachedRuns.map((r): [string, ComparedRun] => [
      r.mlflowRunId,
      {
        runId: r.mlflowRunId,
        runName: r.runName || r.mlflowRunId.slice(0, 8),
        experimentId: r.experimentId,
        status: r.status,
        startTime: r.startTime === null ? null : Number(r.startTime),
        endTime: r.endTime === null ? null : Number(r.endTime),
        params: r.params as Record<string, string>,
        metricKeys: r.metricKeys,
        isComplete: r.isComplete,
        syncedAt: r.syncedAt.toISOString(),
      },
    ]),
  );
  const pending = query.runs.filter((id) => !copied.has(id));
  const summaries = new Map(
    (pending.length && sources.summarize
      ? await sources.summarize(pending, [
          ...new Set([...cachedRuns.map((r) => r.experimentId), ...(await recentlyViewedExperiments(db))]),
        ])
      : []
    ).map((run) => [run.info.runId, run]),
  );
  const runs = query.runs.flatMap((id) => {
    const run = copied.get(id) ?? (summaries.has(id) ? summaryRun(summaries.get(id)!) : undefined);
    return run ? [run] : [];
  });
  const copiedIds = runs.filter((r) => copied.has(r.runId)).map((r) => r.runId);

  const metricKeys = [...new Set(runs.flatMap((r) => r.metricKeys))].sort();
  const metrics = query.metrics.length ? query.metrics : metricKeys.slice(0, 20);
  const withTimestamps = query.x === "time";
  const expectedSeries = runs.reduce((n, r) => n + metrics.filter((m) => r.metricKeys.includes(m)).length, 0);
  const size = previewSizeFor(expectedSeries, withTimestamps);
  const rows =
    copiedIds.length && metrics.length
      ? await db.$queryRaw<SeriesRow[]>`
        SELECT mlflow_run_id, key, previews -> ${String(size)} AS chart,
          CASE WHEN previews IS NULL THEN steps::text END AS steps, CASE WHEN previews IS NULL THEN timestamps::text END AS timestamps,
          CASE WHEN previews IS NULL THEN values::text END AS values,
          min_value, max_value, last_value, last_step::text AS last_step, total_points, is_sampled
        FROM metric_series WHERE mlflow_run_id = ANY(${copiedIds}) AND key = ANY(${metrics})`
      : [];

  const series: Comparison["series"] = Object.fromEntries(metrics.map((m) => [m, {}]));
  const stats: Comparison["stats"] = Object.fromEntries(
    runs.map((r) => [r.runId, summaries.has(r.runId) ? latestStats(summaries.get(r.runId)!) : {}]),
  );
  for (const row of rows) {
    const chart =
      row.chart ??
      encodeSeries(
        reduceCachedSeries(
          {
            steps: parsePgArrayText(row.steps),
            timestamps: parsePgArrayText(row.timestamps),
            values: parsePgArrayText(row.values),
          },
          size,
        ),
        { withTimestamps: true },
      );
    if (!withTimestamps) delete chart.t;
    series[row.key][row.mlflow_run_id] = chart;
    // A sampled first copy's extremes are the sample's, not the run's: left out until the whole history is copied.
    const [min, max] = row.is_sampled ? [null, null] : [row.min_value, row.max_value];
    stats[row.mlflow_run_id][row.key] = {
      last: row.last_value,
      min,
      max,
      lastStep: Number(row.last_step),
      totalPoints: row.total_points,
    };
  }
  return { runs, pending, metricKeys, metrics, x: query.x, pointsPerSeries: size, series, stats };
}

const summaryRun = (run: Run): ComparedRun => ({
  runId: run.info.runId,
  runName: run.info.runName || run.info.runId.slice(0, 8),
  experimentId: run.info.experimentId,
  status: run.info.status,
  startTime: run.info.startTime ?? null,
  endTime: run.info.endTime ?? null,
  params: run.params,
  metricKeys: Object.keys(run.metrics).sort(),
  isComplete: false,
  syncedAt: null,
});

const latestStats = (run: Run): Record<string, MetricSummary> =>
  Object.fromEntries(
    Object.values(run.metrics).map((m) => [
      m.key,
      { last: m.value, min: null, max: null, lastStep: m.step, totalPoints: 0 },
    ]),
  );

/**
 * Params and latest metrics of runs not in the copy, by runs/search with `run_id IN (...)` over the
 * experiments known so far (runs/search needs experiment ids: those of copied runs and the ones opened
 * last); a run outside them is read with runs/get, which also names its experiment for the rest.
 * Usually one call.
 */
export async function searchRunSummaries(
  mlflow: Pick<MlflowClient, "searchRuns" | "getRun">,
  runIds: string[],
  knownExperimentIds: string[],
): Promise<Run[]> {
  const found = new Map<string, Run>();
  const searched = new Set<string>();
  const probed = new Set<string>();
  const experiments = new Set(knownExperimentIds);
  for (;;) {
    const missing = runIds.filter((id) => !found.has(id));
    if (!missing.length) break;
    const toSearch = [...experiments].filter((e) => !searched.has(e));
    if (toSearch.length) {
      toSearch.forEach((e) => searched.add(e));
      // Run ids match runIdPattern (letters, digits, - and _), so quoting them is safe.
      const filter = `attributes.run_id IN (${missing.map((id) => `'${id}'`).join(", ")})`;
      const page = await mlflow.searchRuns({
        experimentIds: toSearch,
        filter,
        maxResults: missing.length + 1,
      });
      for (const run of page.items) found.set(run.info.runId, run);
      continue;
    }
    const probe = missing.find((id) => !probed.has(id));
    if (!probe) break;
    probed.add(probe);
    const run = await mlflow.getRun(probe).catch(() => null);
    if (!run) continue;
    found.set(probe, run);
    experiments.add(run.info.experimentId);
  }
  return runIds.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/**
 * Asks the worker to copy these runs' metrics. Single flight: while a run's sync waits or runs, asking
 * again is a no-op, so however many people open the page each history is read once. `sampledFirst`:
 * someone is waiting for a run never copied, so its first read is a bounded sample (lib/queue/jobs.ts).
 */
export async function requestMetricSyncs(
  producer: JobProducer,
  runIds: string[],
  options: { sampledFirst: boolean },
): Promise<void> {
  await Promise.all(
    runIds.map((id) =>
      producer.enqueue(
        "mlflow.sync-metrics",
        { mlflowRunId: id, isFinal: false, sampledFirst: options.sampledFirst },
        { deduplicationId: jobIds.syncMetricsInFlight(id) },
      ),
    ),
  );
}

export interface MetricChart {
  key: string;
  points: { step: number; value: number }[];
  lastValue: number | null;
}

/**
 * The run page's charts, from the copy only. A run not copied yet has no series and `isCopying`: the
 * caller asks the worker for a first look (a bounded sample, then the whole history) and the page
 * polls. Never a history read in the web process: real MLflow's get-history ignores max_results and
 * page_token (a 150,000-point metric is ~20 MB and ~12 s) and even bulk-interval reads every step.
 */
export async function readRunMetricCharts(
  db: PrismaClient,
  mlflowRunId: string,
  pickKeys: (keys: string[]) => string[],
): Promise<{ series: MetricChart[]; isCopying: boolean }> {
  const [run, cached] = await Promise.all([
    db.cachedMlflowRun.findUnique({ where: { mlflowRunId }, select: { mlflowRunId: true } }),
    db.metricSeries.findMany({
      where: { mlflowRunId },
      select: { key: true, steps: true, values: true, lastValue: true },
    }),
  ]);
  const byKey = new Map(cached.map((s) => [s.key, s]));
  const series = pickKeys([...byKey.keys()]).map((key) => {
    const s = byKey.get(key)!;
    return {
      key,
      points: s.steps.map((step, i) => ({ step: Number(step), value: s.values[i] })),
      lastValue: s.lastValue,
    };
  });
  return { series, isCopying: !run };
}

/** How many of the experiments opened last are searched for runs not copied yet, before asking runs/get. */
export const recentExperimentsSearched = 20;

/**
 * The experiments people opened last: a comparison is usually made from an experiment's page, which
 * records the view, so its runs are found by one runs/search without a runs/get to learn the experiment.
 */
async function recentlyViewedExperiments(db: PrismaClient): Promise<string[]> {
  const rows = await db.watchedExperiment.findMany({
    where: { lastViewedAt: { not: null } },
    orderBy: { lastViewedAt: "desc" },
    take: recentExperimentsSearched,
    select: { experimentId: true },
  });
  return rows.map((r) => r.experimentId);
}

/** Marks experiments as opened now, so the worker copies their runs ahead of time for the next `MLFLOW_SYNC_WATCH_DAYS`. */
export async function recordExperimentViews(
  db: PrismaClient,
  experimentIds: string[],
  at = new Date(),
): Promise<void> {
  const ids = [...new Set(experimentIds)];
  if (!ids.length) return;
  await db.$executeRaw`
    INSERT INTO watched_experiments (experiment_id, last_viewed_at) SELECT unnest(${ids}::text[]), (${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    ON CONFLICT (experiment_id) DO UPDATE SET last_viewed_at = GREATEST(watched_experiments.last_viewed_at, EXCLUDED.last_viewed_at)`;
}
