import "server-only";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/client";
import { featureDefinitionsSchema, type FeatureKind } from "@/lib/domain/drift/bins";
import { distributionOverlay, type DistributionOverlay } from "@/lib/domain/drift/chart-data";
import { DEFAULT_DRIFT_SHARE, DRIFT_METHODS, type DriftMethod } from "@/lib/domain/drift/detect";
import {
  latestDatasetDriftShare as latestShareIn,
  readMonitorWindows,
  toStoredFeatureResults,
  windowDrift,
  type StoredFeatureResult,
} from "@/lib/services/drift/drift-results";
import { AppError } from "@/lib/errors";
import { getCloudClients } from "@/lib/cloud";
import { logger } from "@/lib/logger";
import { servingRevisionsOf, type ServingRevision } from "@/lib/domain/rollout/serving-map";
import {
  driftRanges,
  serviceDriftQuery,
  type DriftRange,
  type ParsedServiceDriftQuery,
  type ServiceDriftQuery,
} from "@/lib/validation/drift";

/**
 * Drift of a served model for the monitoring pages: dataset drift share and per-feature scores over
 * time, one window's per-feature table and a reference-vs-current overlay. Cached window results are
 * used while they match the window's rows; newer windows are computed on read (pure and fast), so
 * the page is current even before monitoring.compute-drift has run.
 */

/** Lines drawn in the per-feature chart: the highest-scoring ones (more would not be legible). */
const MAX_FEATURE_LINES = 8;

export interface DriftPoint {
  x: number;
  y: number | null;
}

export interface FeatureScoreRow extends StoredFeatureResult {
  kind: FeatureKind;
  scoreKind: "p_value" | "distance";
}

/** A revision carrying traffic now, with the drift of the model version it serves. */
export interface DriftRevision {
  revisionName: string;
  percent: number;
  endpoint: "default" | "canary";
  modelVersion: string | null;
  /** Null until the revision's first payload built its version's monitor. */
  monitorId: string | null;
  latest: { windowStart: string; rows: number; share: number; isDrifted: boolean } | null;
  windowCount: number;
  driftedWindowCount: number;
}

export interface ServiceDriftView {
  namespace: string;
  service: string;
  range: DriftRange;
  /** The monitor the window table, feature scores and overlay are drawn from. */
  monitor: {
    id: string;
    modelName: string;
    modelVersion: string;
    windowMinutes: number;
    createdAt: string;
    featureNames: string[];
  } | null;
  /**
   * Every revision KServe sends traffic to, most traffic first (both during a canary). Empty when
   * KServe could not be read; then the newest monitor is shown alone.
   */
  revisions: DriftRevision[];
  driftShareThreshold: number;
  /** Dataset drift share per window (0–1), one line per served model version; x = window start in epoch ms. */
  shareSeries: Array<{ id: string; label: string; points: DriftPoint[] }>;
  /** Per score kind (distances drift upwards, p-values downwards), the top features' scores over time. */
  scoreCharts: Array<{
    scoreKind: "p_value" | "distance";
    threshold: number;
    series: Array<{ id: string; label: string; points: DriftPoint[] }>;
  }>;
  windows: Array<{ start: string; rows: number; share: number; isDrifted: boolean }>;
  selected: {
    windowStart: string;
    rows: number;
    share: number;
    driftedCount: number;
    evaluatedCount: number;
    isDrifted: boolean;
    features: FeatureScoreRow[];
    overlay: (DistributionOverlay & { feature: string; kind: FeatureKind }) | null;
  } | null;
  /** Payload-logger events over the range, all services: accepted and refused by reason. */
  ingest: Array<{ outcome: string; count: number }>;
}

export async function getServiceDrift(
  user: CurrentUser,
  input: ServiceDriftQuery,
  now = new Date(),
): Promise<ServiceDriftView> {
  assertCan(user, "monitoring:read");
  const query = serviceDriftQuery.parse(input);
  // Which revisions carry traffic is KServe's to say; without it the page still shows the newest monitor.
  const serving = await getCloudClients()
    .kserve.get(query.service, query.namespace)
    .then((isvc) => servingRevisionsOf(isvc, [query.service]))
    .catch((error: unknown) => {
      logger.warn({ err: error, service: query.service }, "could not read the service's traffic split");
      return [];
    });
  return readServiceDrift(getDb(), query, now, serving);
}

type MonitorRow = {
  id: string;
  modelName: string;
  modelVersion: string;
  windowMinutes: number;
  createdAt: Date;
  features: unknown;
};

/** Each window of one monitor in the range with its drift: cached results while they match the rows, else computed. */
async function monitorResults(db: PrismaClient, monitor: MonitorRow, from: Date, now: Date) {
  const definitions = featureDefinitionsSchema.parse(monitor.features);
  const [windows, cached] = await Promise.all([
    readMonitorWindows(db, monitor.id, { from, to: now }),
    db.driftWindowResult.findMany({
      where: { monitorId: monitor.id, windowStart: { gte: from, lte: now } },
      select: {
        windowStart: true,
        rows: true,
        share: true,
        driftedCount: true,
        evaluatedCount: true,
        isDrifted: true,
        features: true,
      },
    }),
  ]);
  const cachedByStart = new Map(cached.map((row) => [row.windowStart.getTime(), row]));
  const results = windows.map((window) => {
    const hit = cachedByStart.get(window.windowStart.getTime());
    if (hit && hit.rows === window.rows) {
      return {
        window,
        share: hit.share,
        driftedCount: hit.driftedCount,
        evaluatedCount: hit.evaluatedCount,
        isDrifted: hit.isDrifted,
        features: hit.features as unknown as StoredFeatureResult[],
      };
    }
    const computed = windowDrift(definitions, window);
    return {
      window,
      share: computed.share,
      driftedCount: computed.driftedCount,
      evaluatedCount: computed.evaluatedCount,
      isDrifted: computed.isDrifted,
      features: toStoredFeatureResults(computed),
    };
  });
  return { definitions, results };
}

/** getServiceDrift without the session: for tests and the worker-side callers. */
export async function readServiceDrift(
  db: PrismaClient,
  query: ParsedServiceDriftQuery,
  now: Date,
  serving: ServingRevision[] = [],
): Promise<ServiceDriftView> {
  const { namespace, service, range } = query;
  const from = new Date(now.getTime() - driftRanges[range]);
  const ingest = await db.ingestCounter.groupBy({
    by: ["outcome"],
    where: { hourStart: { gte: new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000) } },
    _sum: { count: true },
  });
  const monitors = await db.driftMonitor.findMany({
    where: { namespace, serviceName: service },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      modelName: true,
      modelVersion: true,
      windowMinutes: true,
      createdAt: true,
      features: true,
    },
    take: 100,
  });
  const monitorOf = (version: string | undefined) =>
    version === undefined ? undefined : monitors.find((monitor) => monitor.modelVersion === version);
  const servedMonitors = [
    ...new Set(serving.map((revision) => monitorOf(revision.version)).filter((m) => m !== undefined)),
  ];
  const monitor =
    monitorOf(query.version) ??
    servedMonitors.find((m) => m.modelVersion === serving[0]?.version) ??
    servedMonitors[0] ??
    monitors[0];
  const base = {
    namespace,
    service,
    range,
    driftShareThreshold: DEFAULT_DRIFT_SHARE,
    ingest: ingest
      .map((row) => ({ outcome: row.outcome, count: row._sum.count ?? 0 }))
      .sort((a, b) => b.count - a.count),
  };
  const shown = servedMonitors.length ? [...servedMonitors] : monitor ? [monitor] : [];
  if (monitor && !shown.includes(monitor)) shown.push(monitor);
  const resultsByMonitor = new Map(
    await Promise.all(shown.map(async (m) => [m.id, await monitorResults(db, m, from, now)] as const)),
  );
  const revisions: DriftRevision[] = serving.map((revision) => {
    const served = monitorOf(revision.version);
    const results = served ? resultsByMonitor.get(served.id)!.results : [];
    const last = results.at(-1);
    return {
      revisionName: revision.revisionName,
      percent: revision.percent,
      endpoint: revision.endpoint,
      modelVersion: revision.version ?? null,
      monitorId: served?.id ?? null,
      latest: last
        ? {
            windowStart: last.window.windowStart.toISOString(),
            rows: last.window.rows,
            share: last.share,
            isDrifted: last.isDrifted,
          }
        : null,
      windowCount: results.length,
      driftedWindowCount: results.filter((result) => result.isDrifted).length,
    };
  });
  if (!monitor)
    return {
      ...base,
      monitor: null,
      revisions,
      shareSeries: [],
      scoreCharts: [],
      windows: [],
      selected: null,
    };
  const { definitions, results } = resultsByMonitor.get(monitor.id)!;
  const definitionByName = new Map(definitions.map((definition) => [definition.name, definition]));
  const percentOf = (version: string) =>
    serving.filter((r) => r.version === version).reduce((sum, r) => sum + r.percent, 0);
  const shareSeries = shown.map((m) => ({
    id: m.modelVersion,
    label: serving.length
      ? `v${m.modelVersion} · ${percentOf(m.modelVersion)} % of traffic`
      : `v${m.modelVersion}`,
    points: resultsByMonitor.get(m.id)!.results.map((result) => ({
      x: result.window.windowStart.getTime(),
      y: result.evaluatedCount > 0 ? result.share : null,
    })),
  }));
  const selectedResult =
    (query.window &&
      results.find(
        (result) => result.window.windowStart.toISOString() === new Date(query.window!).toISOString(),
      )) ||
    results.at(-1);
  let selected: ServiceDriftView["selected"] = null;
  if (selectedResult) {
    const features = selectedResult.features.map((feature) => ({
      ...feature,
      kind: definitionByName.get(feature.name)?.kind ?? "numeric",
      scoreKind: DRIFT_METHODS[feature.method].scoreKind,
    }));
    const overlayFeature =
      (query.feature && definitionByName.has(query.feature) ? query.feature : undefined) ??
      mostDrifted(features)?.name ??
      definitions[0]?.name;
    const definition = overlayFeature ? definitionByName.get(overlayFeature) : undefined;
    const counts =
      definition &&
      (selectedResult.window.counts.get(definition.name) ??
        new Array<number>(definition.reference.length).fill(0));
    selected = {
      windowStart: selectedResult.window.windowStart.toISOString(),
      rows: selectedResult.window.rows,
      share: selectedResult.share,
      driftedCount: selectedResult.driftedCount,
      evaluatedCount: selectedResult.evaluatedCount,
      isDrifted: selectedResult.isDrifted,
      features,
      overlay:
        definition && counts
          ? { feature: definition.name, kind: definition.kind, ...distributionOverlay(definition, counts) }
          : null,
    };
  }

  return {
    ...base,
    monitor: {
      id: monitor.id,
      modelName: monitor.modelName,
      modelVersion: monitor.modelVersion,
      windowMinutes: monitor.windowMinutes,
      createdAt: monitor.createdAt.toISOString(),
      featureNames: definitions.map((definition) => definition.name),
    },
    revisions,
    shareSeries,
    scoreCharts: scoreCharts(
      results.map((result) => ({ x: result.window.windowStart.getTime(), features: result.features })),
    ),
    windows: results
      .map((result) => ({
        start: result.window.windowStart.toISOString(),
        rows: result.window.rows,
        share: result.share,
        isDrifted: result.isDrifted,
      }))
      .reverse(),
    selected,
  };
}

/** Drifted features first, then by how far past (or close to) their threshold they are. */
function mostDrifted(features: FeatureScoreRow[]): FeatureScoreRow | undefined {
  return [...features].filter((feature) => feature.isEvaluated).sort((a, b) => severity(b) - severity(a))[0];
}

function severity(feature: Pick<FeatureScoreRow, "score" | "threshold" | "scoreKind">): number {
  if (feature.score === null) return -Infinity;
  return feature.scoreKind === "distance"
    ? feature.score / feature.threshold
    : feature.threshold / Math.max(feature.score, 1e-300);
}

function scoreCharts(
  points: Array<{ x: number; features: StoredFeatureResult[] }>,
): ServiceDriftView["scoreCharts"] {
  const byKind = new Map<
    "p_value" | "distance",
    Map<string, { threshold: number; points: DriftPoint[]; worst: number }>
  >();
  for (const { x, features } of points) {
    for (const feature of features) {
      const scoreKind = DRIFT_METHODS[feature.method as DriftMethod].scoreKind;
      let lines = byKind.get(scoreKind);
      if (!lines) byKind.set(scoreKind, (lines = new Map()));
      let line = lines.get(feature.name);
      if (!line)
        lines.set(feature.name, (line = { threshold: feature.threshold, points: [], worst: -Infinity }));
      line.points.push({ x, y: feature.score });
      if (feature.score !== null)
        line.worst = Math.max(
          line.worst,
          severity({ score: feature.score, threshold: feature.threshold, scoreKind }),
        );
    }
  }
  return [...byKind].map(([scoreKind, lines]) => {
    const top = [...lines].sort((a, b) => b[1].worst - a[1].worst).slice(0, MAX_FEATURE_LINES);
    return {
      scoreKind,
      threshold: top[0]?.[1].threshold ?? (scoreKind === "distance" ? 0.1 : 0.05),
      series: top.map(([name, line]) => ({ id: name, label: name, points: line.points })),
    };
  });
}

/** Every monitored service with its newest window's drift, for /monitoring/drift. */
export async function listDriftMonitors(user: CurrentUser): Promise<
  Array<{
    namespace: string;
    service: string;
    modelVersion: string;
    featureCount: number;
    latest: { windowStart: string; share: number; isDrifted: boolean } | null;
  }>
> {
  assertCan(user, "monitoring:read");
  const db = getDb();
  const monitors = await db.driftMonitor.findMany({
    orderBy: [{ namespace: "asc" }, { serviceName: "asc" }, { createdAt: "desc" }],
    distinct: ["namespace", "serviceName"],
    select: { namespace: true, serviceName: true, modelVersion: true, features: true },
    take: 500,
  });
  return Promise.all(
    monitors.map(async (monitor) => {
      const latest = await latestShareIn(db, monitor.namespace, monitor.serviceName);
      return {
        namespace: monitor.namespace,
        service: monitor.serviceName,
        modelVersion: monitor.modelVersion,
        featureCount: Array.isArray(monitor.features) ? monitor.features.length : 0,
        latest: latest && {
          windowStart: latest.windowStart,
          share: latest.share,
          isDrifted: latest.isDrifted,
        },
      };
    }),
  );
}

/**
 * The newest computed dataset drift share of a service (null before any window was computed), for
 * the DRIFT_SHARE alert rule. No session: alert evaluation runs without a person. Workers, which
 * cannot import this server-only module, call lib/services/drift/drift-results.ts latestDatasetDriftShare(db, ...).
 */
export async function latestDatasetDriftShare(
  namespace: string,
  service: string,
): Promise<{ share: number; windowStart: string; isDrifted: boolean; monitorId: string } | null> {
  if (!namespace || !service) throw new AppError("BAD_REQUEST", "namespace and service are required");
  return latestShareIn(getDb(), namespace, service);
}
