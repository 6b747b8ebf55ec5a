import "server-only";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { createTtlCache } from "@/lib/cache/ttl-cache";
import { getCloudClients } from "@/lib/cloud";
import { throwCloudError } from "@/lib/cloud-errors";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import {
  listActiveSilences,
  listAlerts,
  listRulesForService,
  type AlertDto,
  type AlertRuleDto,
  type SilenceDto,
} from "@/lib/dal/alerts";
import { listDeploymentsForService, type DeploymentDto } from "@/lib/dal/deployments";
import { latestDriftShares } from "@/lib/services/monitoring/drift-shares";
import { type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import {
  describeService,
  getFleetSnapshot,
  type FleetService,
  type FleetSnapshot,
} from "@/lib/services/monitoring/fleet-snapshot";
import { loadLlmCharts, type LlmCharts } from "@/lib/services/monitoring/llm-charts";
import { loadServiceCharts, type ServiceCharts } from "@/lib/services/monitoring/service-charts";
import { serviceHref } from "@/lib/navigation";
import { servingRevisionsOf } from "@/lib/domain/rollout/serving-map";
import { llmRuntimeOf } from "@/lib/domain/monitoring/llm-serving";
import { summariseService } from "@/lib/clients/kserve";

/**
 * The on-call views: every service with its health, and one service in depth. Cloud reads are
 * shared per process for a few seconds (every viewer polls the same numbers, so twenty open
 * dashboards cost one set of queries); Switchboard's own rows (alerts, drift) are read fresh.
 */

const cacheTtlMs = 10_000;
const chartCache = createTtlCache<ServiceCharts>({ ttlMs: cacheTtlMs, maxEntries: 200 });
const llmChartCache = createTtlCache<LlmCharts>({ ttlMs: cacheTtlMs, maxEntries: 100 });

export interface AlertCounts {
  firing: number;
  pending: number;
  acknowledged: number;
}

export type OverviewService = FleetService & {
  alerts: AlertCounts;
  drift: { share: number; windowStart: string } | null;
  href: string;
};

export interface MonitoringOverview extends Omit<FleetSnapshot, "services"> {
  services: OverviewService[];
}

const noAlerts: AlertCounts = { firing: 0, pending: 0, acknowledged: 0 };

async function openAlertCounts(namespace: string): Promise<Map<string, AlertCounts>> {
  const rows = await getDb().alert.findMany({
    where: { state: { in: ["PENDING", "FIRING", "ACKNOWLEDGED"] }, rule: { namespace } },
    select: { state: true, rule: { select: { serviceName: true } } },
  });
  const counts = new Map<string, AlertCounts>();
  for (const row of rows) {
    const entry = counts.get(row.rule.serviceName) ?? { ...noAlerts };
    if (row.state === "FIRING") entry.firing += 1;
    else if (row.state === "PENDING") entry.pending += 1;
    else entry.acknowledged += 1;
    counts.set(row.rule.serviceName, entry);
  }
  return counts;
}

export async function getMonitoringOverview(user: CurrentUser): Promise<MonitoringOverview> {
  assertCan(user, "monitoring:read");
  const snapshot = await getFleetSnapshot();
  const [alerts, drift] = await Promise.all([
    openAlertCounts(snapshot.namespace),
    latestDriftShares(getDb(), snapshot.namespace),
  ]);
  return {
    ...snapshot,
    services: snapshot.services.map((service) => ({
      ...service,
      alerts: alerts.get(service.name) ?? noAlerts,
      drift: drift.get(service.name) ?? null,
      href: serviceHref(service.namespace, service.name),
    })),
  };
}

export interface ServiceDetail {
  service: FleetService;
  conditions: Array<{
    type: string;
    status: string;
    reason: string | null;
    message: string | null;
    lastTransitionTime: string | null;
  }>;
  drift: { share: number; windowStart: string } | null;
  deployments: DeploymentDto[];
  /** The approval behind the version now served, when Switchboard rolled it out. */
  approvalId: string | null;
  canRollback: boolean;
  canAcknowledge: boolean;
  readAt: string;
}

/** One service as KServe reports it now (not cached: the rollback button acts on it). */
export async function getServiceDetail(
  user: CurrentUser,
  namespace: string,
  name: string,
): Promise<ServiceDetail> {
  assertCan(user, "monitoring:read");
  const snapshot = await getFleetSnapshot().catch(() => undefined);
  let isvc;
  try {
    isvc = await getCloudClients().kserve.get(name, namespace);
  } catch (error) {
    throwCloudError(error, `the InferenceService ${name}`, {
      notFound: () =>
        new AppError("NOT_FOUND", `There is no InferenceService ${name} in namespace ${namespace}.`),
    });
  }
  const cached = snapshot?.services.find((s) => s.name === name && s.namespace === namespace);
  const service = describeService(
    isvc,
    cached?.metrics ?? {
      p95Ms: null,
      requestRate: null,
      errorShare: null,
      sparklines: { p95Ms: [], requestRate: [], errorShare: [] },
    },
  );
  const [deployments, drift] = await Promise.all([
    listDeploymentsForService(user, namespace, name, 10),
    latestDriftShares(getDb(), namespace),
  ]);
  const approvalId =
    deployments.find(
      (d) =>
        d.promotionRequestId &&
        d.action !== "ROLLBACK" &&
        (!service.model.version || d.modelVersion === service.model.version),
    )?.promotionRequestId ?? null;
  return {
    service,
    conditions: (isvc.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastTransitionTime: c.lastTransitionTime ?? null,
    })),
    drift: drift.get(name) ?? null,
    deployments,
    approvalId,
    canRollback: can(user, "deployments:rollback"),
    canAcknowledge: can(user, "alerts:acknowledge"),
    readAt: new Date().toISOString(),
  };
}

export async function getServiceCharts(
  user: CurrentUser,
  namespace: string,
  name: string,
  range: ChartRange,
): Promise<ServiceCharts> {
  assertCan(user, "monitoring:read");
  const config = getConfig();
  try {
    return await chartCache.getOrLoad(`${namespace}/${name}/${range}`, async () => {
      // Which revisions carry traffic (both during a canary) labels the lines; without KServe they keep their names.
      const serving = await getCloudClients()
        .kserve.get(name, namespace)
        .then((isvc) => servingRevisionsOf(isvc, [name]))
        .catch(() => []);
      return loadServiceCharts(getCloudClients().prometheus, {
        namespace,
        service: name,
        scheme: config.PROMETHEUS_METRIC_SCHEME,
        range,
        serving,
      });
    });
  } catch (error) {
    throw new AppError(
      "UNAVAILABLE",
      "Prometheus could not be reached; the charts show no data until it answers.",
      { cause: error, retryable: true },
    );
  }
}

/** An LLM service's engine and GPU charts (vLLM or TGI, and DCGM series, docs/decisions/019). */
export async function getLlmCharts(
  user: CurrentUser,
  namespace: string,
  name: string,
  range: ChartRange,
): Promise<LlmCharts> {
  assertCan(user, "monitoring:read");
  try {
    return await llmChartCache.getOrLoad(`${namespace}/${name}/${range}`, async () => {
      // The runtime picks the metric names; the revisions carrying traffic split the lines during a canary.
      const isvc = await getCloudClients()
        .kserve.get(name, namespace)
        .catch(() => null);
      return loadLlmCharts(getCloudClients().prometheus, {
        namespace,
        service: name,
        range,
        runtime: (isvc && llmRuntimeOf(summariseService(isvc).model)) ?? undefined,
        serving: isvc ? servingRevisionsOf(isvc, [name]) : [],
      });
    });
  } catch (error) {
    throw new AppError(
      "UNAVAILABLE",
      "Prometheus could not be reached; the charts show no data until it answers.",
      { cause: error, retryable: true },
    );
  }
}

export type ServicePage = ServiceDetail & {
  alerts: AlertDto[];
  silences: SilenceDto[];
  rules: AlertRuleDto[];
};

/** Everything the service page polls: status, rollouts, the service's latest alerts, its rules and silences. */
export async function getServicePage(
  user: CurrentUser,
  namespace: string,
  name: string,
): Promise<ServicePage> {
  const [detail, alerts, silences, rules] = await Promise.all([
    getServiceDetail(user, namespace, name),
    listAlerts(user, { state: "all", namespace, service: name, limit: 20 }),
    listActiveSilences(user, namespace, name),
    listRulesForService(user, namespace, name),
  ]);
  return { ...detail, alerts, silences, rules };
}
