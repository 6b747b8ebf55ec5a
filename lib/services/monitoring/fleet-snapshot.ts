import { getCloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { createRefreshingValue } from "@/lib/domain/monitoring/refreshing-value";
import { logger } from "@/lib/logger";
import { summariseService, type InferenceService, type KServeClient } from "@/lib/clients/kserve";
import type { MetricScheme, PrometheusClient } from "@/lib/clients/prometheus";
import { servedModelOf, servingRevisionsOf } from "@/lib/domain/rollout/serving-map";
import {
  fleetQuery,
  indexRange,
  overviewRange,
  type FleetMetric,
} from "@/lib/domain/monitoring/fleet-metrics";

/**
 * Every InferenceService of a namespace with its readiness and the last hour of p95 latency,
 * request rate and error share: one KServe list and three Prometheus range queries, whatever the
 * number of services. Either source may fail without hiding the other: its error is reported
 * and its values are null ("no data"), never zero.
 */

export type Readiness = "Ready" | "NotReady" | "Unknown";

export interface ServiceMetrics {
  /** Latest values, null when Prometheus has nothing recent (no data, not healthy). */
  p95Ms: number | null;
  requestRate: number | null;
  errorShare: number | null;
  /** One value a minute for the last hour, oldest first; null is a gap. */
  sparklines: {
    p95Ms: Array<number | null>;
    requestRate: Array<number | null>;
    errorShare: Array<number | null>;
  };
}

export interface FleetService {
  name: string;
  namespace: string;
  readiness: Readiness;
  failing: { type: string; reason: string | null; message: string | null } | null;
  transitionStatus: string | null;
  url: string | null;
  model: {
    name: string | null;
    version: string | null;
    format: string | null;
    storageUri: string | null;
    /** The ServingRuntime, which says which engine serves an LLM (vLLM or TGI). */
    runtime: string | null;
  };
  /** Every revision in KServe's traffic block; modelVersion is what it serves, when known. */
  traffic: Array<{ revisionName: string; percent: number; tags: string[]; modelVersion: string | null }>;
  isCanaryInProgress: boolean;
  canaryTrafficPercent: number | null;
  revisions: { latestCreated: string | null; latestReady: string | null; previousRolledout: string | null };
  metrics: ServiceMetrics;
}

export interface FleetSnapshot {
  namespace: string;
  scheme: MetricScheme;
  /** ISO time the data was read: the panels' "updated" time. */
  generatedAt: string;
  services: FleetService[];
  /** Set when a source could not be read; the page says so instead of showing empty as healthy. */
  errors: { kserve: string | null; prometheus: string | null };
}

export interface FleetSnapshotDeps {
  kserve: Pick<KServeClient, "list">;
  prometheus: Pick<PrometheusClient, "queryRange">;
  scheme: MetricScheme;
  namespace: string;
  now?: number;
}

/** A latest value counts only if it is from the last few minutes: an older one is no data. */
const freshPoints = 3;

const latestOf = (values: Array<number | null>) => {
  for (let i = values.length - 1; i >= Math.max(0, values.length - freshPoints); i -= 1)
    if (values[i] !== null) return values[i];
  return null;
};

export const readinessOf = (isReady: boolean, failing: { status: string } | undefined): Readiness =>
  isReady ? "Ready" : failing?.status === "False" ? "NotReady" : "Unknown";

export function describeService(service: InferenceService, metrics: ServiceMetrics): FleetService {
  const summary = summariseService(service);
  const served = servedModelOf(service, [service.metadata.name]);
  const versions = new Map(
    servingRevisionsOf(service, [service.metadata.name]).map((r) => [r.revisionName, r.version]),
  );
  return {
    name: summary.name,
    namespace: summary.namespace,
    readiness: readinessOf(summary.isReady, summary.failing),
    failing: summary.failing
      ? {
          type: summary.failing.type,
          reason: summary.failing.reason ?? null,
          message: summary.failing.message ?? null,
        }
      : null,
    transitionStatus: summary.transitionStatus ?? null,
    url: summary.url ?? null,
    model: {
      name: served?.modelName ?? null,
      version: served?.version ?? null,
      format: summary.model.format ?? null,
      storageUri: summary.model.storageUri ?? null,
      runtime: summary.model.runtime ?? null,
    },
    traffic: summary.traffic.map((t) => ({
      revisionName: t.revisionName,
      percent: t.percent,
      tags: t.tags,
      modelVersion: versions.get(t.revisionName) ?? null,
    })),
    isCanaryInProgress: summary.isCanaryInProgress,
    canaryTrafficPercent: summary.canaryTrafficPercent ?? null,
    revisions: {
      latestCreated: summary.revisions.latestCreated ?? null,
      latestReady: summary.revisions.latestReady ?? null,
      previousRolledout: summary.revisions.previousRolledout ?? null,
    },
    metrics,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function loadFleetSnapshot(deps: FleetSnapshotDeps): Promise<FleetSnapshot> {
  const now = deps.now ?? Date.now();
  const end = Math.floor(now / 1000 / overviewRange.step) * overviewRange.step;
  const grid = {
    start: end - overviewRange.seconds,
    step: overviewRange.step,
    count: overviewRange.seconds / overviewRange.step + 1,
  };
  const metrics: FleetMetric[] = ["p95", "requestRate", "errorShare"];
  const [listed, ...ranges] = await Promise.allSettled([
    deps.kserve.list({ namespace: deps.namespace }),
    ...metrics.map(async (metric) => {
      const query = fleetQuery(metric, {
        namespace: deps.namespace,
        scheme: deps.scheme,
        window: overviewRange.window,
      });
      if (!query) return undefined;
      return indexRange(
        await deps.prometheus.queryRange({
          query,
          start: grid.start * 1000,
          end: end * 1000,
          step: grid.step,
        }),
        deps.scheme,
        grid,
      );
    }),
  ]);
  const failedRange = ranges.find((r) => r.status === "rejected");
  const valuesOf = (index: number, service: string) => {
    const result = ranges[index];
    return (
      (result.status === "fulfilled" ? result.value?.get(service) : undefined) ??
      new Array<number | null>(grid.count).fill(null)
    );
  };
  const services = listed.status === "fulfilled" ? listed.value : [];
  const described = services
    .map((service) => {
      const name = service.metadata.name;
      const [p95Ms, requestRate, errorShare] = [valuesOf(0, name), valuesOf(1, name), valuesOf(2, name)];
      const rate = latestOf(requestRate);
      // A revision that served no 5xx has no 5xx series at all: with traffic, that is 0 %, not no data.
      const errors =
        deps.scheme === "knative"
          ? errorShare.map((value, i) =>
              value === null && requestRate[i] !== null && requestRate[i]! > 0 ? 0 : value,
            )
          : errorShare;
      return describeService(service, {
        p95Ms: latestOf(p95Ms),
        requestRate: rate,
        errorShare: latestOf(errors),
        sparklines: { p95Ms, requestRate, errorShare: errors },
      });
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    namespace: deps.namespace,
    scheme: deps.scheme,
    generatedAt: new Date(now).toISOString(),
    services: described,
    errors: {
      kserve: listed.status === "rejected" ? message(listed.reason) : null,
      prometheus: failedRange?.status === "rejected" ? message(failedRange.reason) : null,
    },
  };
}

const cacheTtlMs = 10_000;

const globalForSnapshot = globalThis as unknown as {
  switchboardFleetSnapshot?: ReturnType<typeof createRefreshingValue<FleetSnapshot>>;
};

/**
 * The namespace's services and their last hour of metrics, shared by every viewer. Served from
 * memory and refreshed in the background after 10 s, so a page never waits on Prometheus once
 * warm; a snapshot older than 2 minutes is not shown. Its generatedAt is every panel's "updated".
 */
export function getFleetSnapshot(): Promise<FleetSnapshot> {
  globalForSnapshot.switchboardFleetSnapshot ??= createRefreshingValue({
    load: () => {
      const config = getConfig();
      const clients = getCloudClients();
      return loadFleetSnapshot({
        kserve: clients.kserve,
        prometheus: clients.prometheus,
        scheme: config.PROMETHEUS_METRIC_SCHEME,
        namespace: config.KSERVE_NAMESPACE,
      });
    },
    refreshAfterMs: cacheTtlMs,
    maxAgeMs: 120_000,
    onRefreshError: (error) =>
      logger.warn({ err: error }, "monitoring snapshot refresh failed; serving the previous one"),
  });
  return globalForSnapshot.switchboardFleetSnapshot.get();
}
