import { chartPoints, type MlflowClient, type Run } from "@/lib/clients/mlflow";
import type { PrismaClient } from "@/lib/db/client";
import { yieldToForeground } from "@/lib/queue/background";
import { jobIds } from "@/lib/queue/job-ids";
import {
  buildCachedSeries,
  buildPreviews,
  cachedSeriesStats,
  extendCachedSeries,
  parsePgArrayText,
  toPgArrayText,
  type CachedSeries,
  type SeriesPoint,
} from "@/lib/domain/metrics/series-cache";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

/**
 * Keeps Switchboard's downsampled copy of a run's metric histories (metric_series, cached_mlflow_runs)
 * up to date. MLflow's get-history has no step filter, so per metric key:
 * - unchanged since the copy (runs/get's latest step and timestamp): no call at all;
 * - up to `windowSteps` new steps: one get-history-bulk-interval call over [lastStep+1, latest step],
 *   which returns every point because a window of that many steps never needs sampling; merged
 *   into the copy exactly (M4);
 * - otherwise (first copy, big gaps, a point re-logged at an old step, a sampled copy): page
 *   get-history once and rebuild the copy from the whole history;
 * - `sampledFirst` (someone waits for a run never copied): a key without a copy gets a bounded
 *   sample first (one get-history-bulk-interval call, `chartPoints` steps, what MLflow's own UI
 *   reads), marked sampled; the whole history follows in one lower-priority completion job.
 * Safe to run twice and concurrently: a write only lands if the copy is still the one it extended.
 */
export const windowSteps = 2500;
export const historyPageSize = 25_000;
const keyConcurrency = 4;
const terminalStatuses = new Set(["FINISHED", "FAILED", "KILLED"]);

export interface MetricSyncDeps {
  db: PrismaClient;
  mlflow: MlflowClient;
  /** Queues the whole-history read that replaces sampled copies (a background job in the worker). */
  requestCompletion?: (mlflowRunId: string) => Promise<void>;
}

export interface MetricSyncResult {
  mlflowCalls: number;
  keysUnchanged: number;
  keysMerged: number;
  keysRebuilt: number;
  keysSampled: number;
  pointsFetched: number;
  isComplete: boolean;
}

type CachedRow = CachedSeries & {
  key: string;
  lastStep: number;
  lastTimestamp: number;
  isComplete: boolean;
  isSampled: boolean;
  hasPreviews: boolean;
};

export async function syncRunMetrics(
  deps: MetricSyncDeps,
  mlflowRunId: string,
  options: { isFinal: boolean; sampledFirst?: boolean },
): Promise<MetricSyncResult> {
  const result: MetricSyncResult = {
    mlflowCalls: 1,
    keysUnchanged: 0,
    keysMerged: 0,
    keysRebuilt: 0,
    keysSampled: 0,
    pointsFetched: 0,
    isComplete: false,
  };
  const run = await deps.mlflow.getRun(mlflowRunId);
  // isFinal comes from whoever saw the training end; the MLflow status may lag or never be set by a crashed script.
  const isComplete = options.isFinal || terminalStatuses.has(run.info.status);
  const cached = await readCachedSeries(deps.db, mlflowRunId);

  await forEachLimited(Object.values(run.metrics), keyConcurrency, async (latest) => {
    const current = cached.get(latest.key);
    if (current?.isSampled && options.sampledFirst) {
      // A second first look (a viewer asked again as the first landed) leaves the whole history to the completion job.
      result.keysSampled++;
      return;
    }
    if (
      current &&
      !current.isSampled &&
      latest.step <= current.lastStep &&
      latest.timestamp <= current.lastTimestamp
    ) {
      result.keysUnchanged++;
      // A copy made before previews existed gets them from its own points, without asking MLflow.
      if (!current.hasPreviews)
        await writeSeries(
          deps.db,
          mlflowRunId,
          latest.key,
          current,
          isComplete || current.isComplete,
          current,
        );
      else if (isComplete && !current.isComplete)
        await deps.db.metricSeries.updateMany({
          where: { mlflowRunId, key: latest.key },
          data: { isComplete: true },
        });
      return;
    }
    let next: CachedSeries;
    if (!current && options.sampledFirst) {
      const points = await deps.mlflow.getMetricHistoryBulkInterval({
        runIds: [mlflowRunId],
        metricKey: latest.key,
        maxResults: chartPoints,
      });
      result.mlflowCalls++;
      result.pointsFetched += points.length;
      // Fewer distinct steps than asked for: MLflow sampled nothing, so this is the whole history.
      const isSampled = new Set(points.map((p) => p.step)).size >= chartPoints;
      if (isSampled) result.keysSampled++;
      else result.keysRebuilt++;
      await writeSeries(
        deps.db,
        mlflowRunId,
        latest.key,
        buildCachedSeries(points),
        isComplete && !isSampled,
        current,
        isSampled,
      );
      return;
    }
    if (
      current &&
      !current.isSampled &&
      latest.step > current.lastStep &&
      latest.step - current.lastStep <= windowSteps
    ) {
      const points = await deps.mlflow.getMetricHistoryBulkInterval({
        runIds: [mlflowRunId],
        metricKey: latest.key,
        startStep: current.lastStep + 1,
        endStep: latest.step,
        maxResults: windowSteps,
      });
      result.mlflowCalls++;
      result.pointsFetched += points.length;
      result.keysMerged++;
      next = extendCachedSeries(
        current,
        points.filter((p) => p.step > current.lastStep),
      );
    } else {
      const points = await readWholeHistory(deps.mlflow, mlflowRunId, latest.key, () => result.mlflowCalls++);
      result.pointsFetched += points.length;
      result.keysRebuilt++;
      next = buildCachedSeries(points);
    }
    await writeSeries(deps.db, mlflowRunId, latest.key, next, isComplete, current);
  });

  result.isComplete = isComplete && result.keysSampled === 0;
  await writeRun(deps.db, run, result.isComplete);
  if (result.keysSampled) await deps.requestCompletion?.(mlflowRunId);
  return result;
}

async function readWholeHistory(
  mlflow: MlflowClient,
  runId: string,
  key: string,
  countCall: () => void,
): Promise<SeriesPoint[]> {
  const points: SeriesPoint[] = [];
  let pageToken: string | undefined;
  do {
    const page = await mlflow.getMetricHistory(runId, key, { maxResults: historyPageSize, pageToken });
    countCall();
    for (const metric of page.items)
      points.push({ step: metric.step, timestamp: metric.timestamp, value: metric.value });
    pageToken = page.nextPageToken;
  } while (pageToken);
  return points;
}

async function readCachedSeries(db: PrismaClient, mlflowRunId: string): Promise<Map<string, CachedRow>> {
  const rows = await db.$queryRaw<
    Array<{
      key: string;
      steps: string;
      timestamps: string;
      values: string;
      total_points: number;
      bucket_exponent: number;
      last_step: string;
      last_timestamp: string;
      is_complete: boolean;
      is_sampled: boolean;
      has_previews: boolean;
    }>
  >`
    SELECT key, steps::text, timestamps::text, values::text, total_points, bucket_exponent, last_step::text, last_timestamp::text, is_complete, is_sampled, previews IS NOT NULL AS has_previews
    FROM metric_series WHERE mlflow_run_id = ${mlflowRunId}`;
  return new Map(
    rows.map((row) => [
      row.key,
      {
        key: row.key,
        steps: parsePgArrayText(row.steps),
        timestamps: parsePgArrayText(row.timestamps),
        values: parsePgArrayText(row.values),
        totalPoints: row.total_points,
        bucketExponent: row.bucket_exponent,
        lastStep: Number(row.last_step),
        lastTimestamp: Number(row.last_timestamp),
        isComplete: row.is_complete,
        isSampled: row.is_sampled,
        hasPreviews: row.has_previews,
      },
    ]),
  );
}

async function writeSeries(
  db: PrismaClient,
  mlflowRunId: string,
  key: string,
  series: CachedSeries,
  isComplete: boolean,
  previous: CachedRow | undefined,
  isSampled = false,
) {
  const stats = cachedSeriesStats(series);
  const steps = toPgArrayText(series.steps);
  const timestamps = toPgArrayText(series.timestamps);
  const values = toPgArrayText(series.values);
  const previews = JSON.stringify(buildPreviews(series));
  const [minValue, maxValue, lastValue] = [stats.minValue, stats.maxValue, stats.lastValue].map((value) =>
    value === null ? null : String(value),
  );
  if (!previous) {
    await db.$executeRaw`
      INSERT INTO metric_series (mlflow_run_id, key, last_step, last_timestamp, total_points, steps, timestamps, values, min_value, max_value, last_value, is_complete, bucket_exponent, previews, is_sampled, updated_at)
      VALUES (${mlflowRunId}, ${key}, ${String(stats.lastStep)}::bigint, ${String(stats.lastTimestamp)}::bigint, ${series.totalPoints}, ${steps}::text::bigint[], ${timestamps}::text::bigint[],
        ${values}::text::float8[], ${minValue}::float8, ${maxValue}::float8, ${lastValue}::float8, ${isComplete}, ${series.bucketExponent}, ${previews}::text::jsonb, ${isSampled}, now())
      ON CONFLICT DO NOTHING`;
    return;
  }
  // Another sync that moved the copy on meanwhile wins; its copy is as correct as ours.
  await db.$executeRaw`
    UPDATE metric_series SET last_step = ${String(stats.lastStep)}::bigint, last_timestamp = ${String(stats.lastTimestamp)}::bigint, total_points = ${series.totalPoints},
      steps = ${steps}::text::bigint[], timestamps = ${timestamps}::text::bigint[], values = ${values}::text::float8[],
      min_value = ${minValue}::float8, max_value = ${maxValue}::float8, last_value = ${lastValue}::float8, is_complete = ${isComplete}, bucket_exponent = ${series.bucketExponent}, previews = ${previews}::text::jsonb, is_sampled = ${isSampled}, updated_at = now()
    WHERE mlflow_run_id = ${mlflowRunId} AND key = ${key} AND last_step = ${String(previous.lastStep)}::bigint AND total_points = ${previous.totalPoints}`;
}

async function writeRun(db: PrismaClient, run: Run, isComplete: boolean) {
  const data = {
    experimentId: run.info.experimentId,
    runName: run.info.runName,
    status: run.info.status,
    startTime: run.info.startTime === undefined ? null : BigInt(run.info.startTime),
    endTime: run.info.endTime === undefined ? null : BigInt(run.info.endTime),
    params: run.params,
    metricKeys: Object.keys(run.metrics).sort(),
    isComplete,
    syncedAt: new Date(),
  };
  await db.cachedMlflowRun.upsert({
    where: { mlflowRunId: run.info.runId },
    create: { mlflowRunId: run.info.runId, ...data },
    update: data,
  });
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/** Runs per runs/search page of one watched experiment; the rest follow on the next pass a minute later. */
export const watchedPageSize = 200;

export interface WatchedSyncResult {
  experiments: number;
  mlflowCalls: number;
  syncsQueued: number;
}

/**
 * Copies ahead of time the runs of the experiments people use, so comparing a run that ended a
 * minute or two ago needs no MLflow call. Watched: opened or compared within `watchDays`, launched
 * into from Switchboard, or pinned. Per experiment and pass, two runs/search calls: runs that ended
 * since the experiment's watermark (end_time ascending, so a pass never re-lists what an earlier one
 * saw) and runs still going. Each run not completely copied gets a background sync (single flight,
 * after every job someone waits for).
 */
export async function syncWatchedExperiments(
  deps: {
    db: PrismaClient;
    mlflow: Pick<MlflowClient, "searchRuns">;
    requestSync: (mlflowRunId: string, isFinal: boolean) => Promise<void>;
  },
  options: { watchDays: number; now?: number },
): Promise<WatchedSyncResult> {
  const now = options.now ?? Date.now();
  const since = new Date(now - options.watchDays * 86_400_000);
  // Experiments launched into count as viewed when the run was launched.
  await deps.db.$executeRaw`
    INSERT INTO watched_experiments (experiment_id, last_viewed_at)
    SELECT experiment_id, max(created_at) FROM training_runs WHERE experiment_id IS NOT NULL AND created_at > ${since} GROUP BY experiment_id
    ON CONFLICT (experiment_id) DO UPDATE SET last_viewed_at = GREATEST(watched_experiments.last_viewed_at, EXCLUDED.last_viewed_at)`;
  const watched = await deps.db.watchedExperiment.findMany({
    where: { OR: [{ isPinned: true }, { lastViewedAt: { gt: since } }] },
    orderBy: { checkedAt: { sort: "asc", nulls: "first" } },
    select: { experimentId: true, finishedAfter: true },
  });
  const result: WatchedSyncResult = { experiments: watched.length, mlflowCalls: 0, syncsQueued: 0 };
  for (const experiment of watched) {
    const watermark = experiment.finishedAfter === null ? since.getTime() : Number(experiment.finishedAfter);
    const ended = await deps.mlflow.searchRuns({
      experimentIds: [experiment.experimentId],
      filter: `attributes.end_time > ${watermark}`,
      orderBy: ["attributes.end_time ASC"],
      maxResults: watchedPageSize,
    });
    const live = await deps.mlflow.searchRuns({
      experimentIds: [experiment.experimentId],
      filter: "attributes.status = 'RUNNING'",
      maxResults: watchedPageSize,
    });
    result.mlflowCalls += 2;
    const finished = ended.items.filter((run) => terminalStatuses.has(run.info.status));
    const complete = new Set(
      (
        await deps.db.cachedMlflowRun.findMany({
          where: { mlflowRunId: { in: finished.map((r) => r.info.runId) }, isComplete: true },
          select: { mlflowRunId: true },
        })
      ).map((r) => r.mlflowRunId),
    );
    for (const run of finished) {
      if (complete.has(run.info.runId)) continue;
      await deps.requestSync(run.info.runId, true);
      result.syncsQueued++;
    }
    for (const run of live.items) {
      await deps.requestSync(run.info.runId, false);
      result.syncsQueued++;
    }
    const lastEnd = Math.max(watermark, ...ended.items.map((r) => r.info.endTime ?? 0));
    await deps.db.watchedExperiment.update({
      where: { experimentId: experiment.experimentId },
      data: { finishedAfter: BigInt(lastEnd), checkedAt: new Date(now) },
    });
  }
  return result;
}

export const metricSyncHandlers: Pick<
  HandlerRegistry<WorkerDeps>,
  "mlflow.sync-metrics" | "mlflow.sync-watched"
> = {
  "mlflow.sync-watched": async (_payload, { deps, log }) => {
    const requestSync = (mlflowRunId: string, isFinal: boolean) =>
      deps.producer.enqueue(
        "mlflow.sync-metrics",
        { mlflowRunId, isFinal },
        { deduplicationId: jobIds.syncMetricsInFlight(mlflowRunId), priority: 20 },
      );
    const result = await syncWatchedExperiments(
      { db: deps.db, mlflow: deps.clients.mlflow, requestSync },
      { watchDays: deps.config.MLFLOW_SYNC_WATCH_DAYS },
    );
    if (result.syncsQueued) log.info(result, "queued metric copies of watched experiments");
  },
  "mlflow.sync-metrics": async ({ mlflowRunId, isFinal, sampledFirst }, { deps, job, token, log }) => {
    // Completions and watched copies carry a priority, first looks none: a whole-history read waits
    // until no first look waits or runs, so it never slows the charts someone is looking for.
    await yieldToForeground(deps.producer.queue("mlflow"), job, token);
    const requestCompletion = (id: string) =>
      deps.producer.enqueue(
        "mlflow.sync-metrics",
        { mlflowRunId: id, isFinal, sampledFirst: false },
        { deduplicationId: jobIds.completeMetricsInFlight(id), priority: 10 },
      );
    const result = await syncRunMetrics(
      { db: deps.db, mlflow: deps.clients.mlflow, requestCompletion },
      mlflowRunId,
      { isFinal, sampledFirst },
    );
    log.info({ mlflowRunId, ...result }, "synced metric histories");
  },
};
