import { featureDefinitionsSchema, slotCount, type FeatureDefinition } from "@/lib/domain/drift/bins";
import {
  detectDrift,
  driftInputFromDefinition,
  windowDriftMethod,
  type DatasetDriftResult,
  type DriftMethod,
} from "@/lib/domain/drift/detect";
import { Prisma, type PrismaClient } from "@/lib/db/client";

/**
 * Drift per monitor window, computed from stored FeatureWindow histograms and cached in
 * DriftWindowResult (one row per window, the per-feature results as JSON). A window's result is
 * stale when the window has gained rows since, so ingest never has to invalidate anything.
 * Plain functions over a Prisma client: the worker and the web DAL both use them.
 */

export interface StoredFeatureResult {
  name: string;
  method: DriftMethod;
  /** p-value or distance; null when the window had no non-missing value of the feature. */
  score: number | null;
  threshold: number;
  isDrifted: boolean;
  isEvaluated: boolean;
  currentCount: number;
}

export interface MonitorWindowCounts {
  windowStart: Date;
  rows: number;
  /** Stored-layout counts per feature name; features without a row count as all-zero. */
  counts: Map<string, number[]>;
}

/** The default look-back of a computation: one day of windows. */
export const DRIFT_LOOKBACK_MS = 24 * 3_600_000;

export async function readMonitorWindows(
  db: PrismaClient,
  monitorId: string,
  range: { from: Date; to: Date },
): Promise<MonitorWindowCounts[]> {
  const rows = await db.featureWindow.findMany({
    where: { monitorId, windowStart: { gte: range.from, lte: range.to } },
    select: { windowStart: true, feature: true, counts: true, total: true },
    orderBy: { windowStart: "asc" },
  });
  const windows = new Map<number, MonitorWindowCounts>();
  for (const row of rows) {
    const key = row.windowStart.getTime();
    let window = windows.get(key);
    if (!window) windows.set(key, (window = { windowStart: row.windowStart, rows: 0, counts: new Map() }));
    window.rows = Math.max(window.rows, row.total);
    window.counts.set(row.feature, row.counts);
  }
  return [...windows.values()];
}

/** Drift of one window against the monitor's reference, each feature by windowDriftMethod (Evidently's rule, sized by the smaller side). */
export function windowDrift(
  features: readonly FeatureDefinition[],
  window: MonitorWindowCounts,
): DatasetDriftResult {
  return detectDrift({
    features: features.map((definition) => {
      const input = driftInputFromDefinition(
        definition,
        window.counts.get(definition.name) ?? new Array<number>(slotCount(definition)).fill(0),
      );
      return { ...input, method: windowDriftMethod(input) };
    }),
  });
}

export function toStoredFeatureResults(result: DatasetDriftResult): StoredFeatureResult[] {
  return result.features.map((feature) => ({
    name: feature.name,
    method: feature.method,
    score: Number.isFinite(feature.score) ? feature.score : null,
    threshold: feature.threshold,
    isDrifted: feature.isDrifted,
    isEvaluated: feature.isEvaluated,
    currentCount: feature.currentCount,
  }));
}

export interface ComputeDriftSummary {
  windows: number;
  computed: number;
  driftedWindows: number;
}

/**
 * monitoring.compute-drift: (re)computes every window of the look-back whose cached result is
 * missing or older than its rows. Idempotent; a retry recomputes nothing it already stored.
 */
export async function computeMonitorDrift(
  db: PrismaClient,
  monitorId: string,
  options: { now?: Date; lookbackMs?: number } = {},
): Promise<ComputeDriftSummary | undefined> {
  const monitor = await db.driftMonitor.findUnique({ where: { id: monitorId }, select: { features: true } });
  if (!monitor) return undefined;
  const features = featureDefinitionsSchema.parse(monitor.features);
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - (options.lookbackMs ?? DRIFT_LOOKBACK_MS));
  const windows = await readMonitorWindows(db, monitorId, { from, to });
  const cached = await db.driftWindowResult.findMany({
    where: { monitorId, windowStart: { gte: from, lte: to } },
    select: { windowStart: true, rows: true },
  });
  const cachedRows = new Map(cached.map((row) => [row.windowStart.getTime(), row.rows]));
  const stale = windows.filter((window) => cachedRows.get(window.windowStart.getTime()) !== window.rows);
  let driftedWindows = 0;
  const values = stale.map((window) => {
    const result = windowDrift(features, window);
    if (result.isDrifted) driftedWindows++;
    return Prisma.sql`(${monitorId}::uuid, (${window.windowStart.toISOString()}::timestamptz AT TIME ZONE 'UTC'), ${window.rows}::int, ${result.driftedCount}::int, ${result.evaluatedCount}::int, ${result.share}::float8, ${result.isDrifted}, ${JSON.stringify(toStoredFeatureResults(result))}::jsonb, now() AT TIME ZONE 'UTC')`;
  });
  for (let start = 0; start < values.length; start += 200) {
    await db.$executeRaw`
      INSERT INTO drift_window_results (monitor_id, window_start, rows, drifted_count, evaluated_count, share, is_drifted, features, computed_at)
      VALUES ${Prisma.join(values.slice(start, start + 200))}
      ON CONFLICT (monitor_id, window_start) DO UPDATE SET rows = EXCLUDED.rows, drifted_count = EXCLUDED.drifted_count,
        evaluated_count = EXCLUDED.evaluated_count, share = EXCLUDED.share, is_drifted = EXCLUDED.is_drifted,
        features = EXCLUDED.features, computed_at = EXCLUDED.computed_at`;
  }
  return { windows: windows.length, computed: stale.length, driftedWindows };
}

/**
 * Dataset drift share of the service's newest computed window with at least one evaluated feature
 * (its current monitor: the newest one), or null when nothing has been computed. For the
 * DRIFT_SHARE alert rule (drift when ≥ 0.5).
 */
export async function latestDatasetDriftShare(
  db: PrismaClient,
  namespace: string,
  service: string,
): Promise<{ share: number; windowStart: string; isDrifted: boolean; monitorId: string } | null> {
  const result = await db.driftWindowResult.findFirst({
    where: { monitor: { namespace, serviceName: service }, evaluatedCount: { gt: 0 } },
    orderBy: [{ monitor: { createdAt: "desc" } }, { windowStart: "desc" }],
    select: { share: true, windowStart: true, isDrifted: true, monitorId: true },
  });
  return (
    result && {
      share: result.share,
      windowStart: result.windowStart.toISOString(),
      isDrifted: result.isDrifted,
      monitorId: result.monitorId,
    }
  );
}
