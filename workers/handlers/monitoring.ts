import { computeMonitorDrift } from "@/lib/ingest/drift-results";
import { evaluateAlerts } from "@/lib/domain/alerts/evaluate-alerts";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

type MonitoringJobs = "monitoring.evaluate-alerts" | "monitoring.compute-drift";

// Being written now (issue 6): alert rules and drift windows.
export const monitoringHandlers: Pick<HandlerRegistry<WorkerDeps>, MonitoringJobs> = {
  // Every enabled rule of the serving namespace in one pass; a concurrent pass on another worker skips.
  "monitoring.evaluate-alerts": async (_payload, { deps, log }) => {
    const summary = await evaluateAlerts({ db: deps.db, kserve: deps.clients.kserve, prometheus: deps.clients.prometheus, scheme: deps.config.PROMETHEUS_METRIC_SCHEME, namespace: deps.config.KSERVE_NAMESPACE });
    if (summary.skipped) log.debug("another worker is evaluating alerts; skipped");
    else if (summary.opened || summary.fired || summary.resolved) log.info(summary, "alerts evaluated");
  },
  // Recomputes the day's windows whose cached result is older than their counts (lib/ingest/drift-results.ts).
  "monitoring.compute-drift": async ({ monitorId }, { deps, log }) => {
    const summary = await computeMonitorDrift(deps.db, monitorId);
    if (!summary) log.info({ monitorId }, "drift monitor no longer exists; nothing to compute");
    else log.debug({ monitorId, ...summary }, "drift computed");
  },
};
