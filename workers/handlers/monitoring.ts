import { computeMonitorDrift } from "@/lib/services/drift/drift-results";
import { evaluateAlerts } from "@/lib/services/alerts/evaluate-alerts";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { jobIds } from "@/lib/queue/job-ids";

type MonitoringJobs = "monitoring.evaluate-alerts" | "monitoring.compute-drift";

/**
 * The pass's new notifications, and any older one still undelivered (its enqueue lost to a crash or
 * Redis outage): the job id is the row's, so a job that exists, even a failed one, is not added again.
 */
async function enqueueAlertNotifications(deps: WorkerDeps, created: string[]): Promise<number> {
  const now = Date.now();
  const overdue = await deps.db.alertNotification.findMany({
    where: {
      completedAt: null,
      createdAt: { lt: new Date(now - 60_000), gt: new Date(now - 24 * 3600_000) },
    },
    orderBy: { createdAt: "asc" },
    take: 100,
    select: { id: true },
  });
  const ids = [...new Set([...created, ...overdue.map((row) => row.id)])];
  for (const id of ids)
    await deps.producer.enqueue(
      "webhook.notify-alert",
      { notificationId: id },
      { jobId: jobIds.notifyAlert(id) },
    );
  return ids.length;
}

// Being written now (issue 6): alert rules and drift windows.
export const monitoringHandlers: Pick<HandlerRegistry<WorkerDeps>, MonitoringJobs> = {
  // Every enabled rule of the serving namespace in one pass; a concurrent pass on another worker skips.
  "monitoring.evaluate-alerts": async (_payload, { deps, log }) => {
    const summary = await evaluateAlerts({
      db: deps.db,
      kserve: deps.clients.kserve,
      prometheus: deps.clients.prometheus,
      scheme: deps.config.PROMETHEUS_METRIC_SCHEME,
      namespace: deps.config.KSERVE_NAMESPACE,
    });
    if (summary.skipped) log.debug("another worker is evaluating alerts; skipped");
    else if (summary.opened || summary.fired || summary.resolved) log.info(summary, "alerts evaluated");
    const enqueued = await enqueueAlertNotifications(deps, summary.notificationIds);
    if (enqueued > summary.notificationIds.length)
      log.warn(
        { requeued: enqueued - summary.notificationIds.length },
        "re-enqueued alert notifications whose jobs were missing",
      );
  },
  // Recomputes the day's windows whose cached result is older than their counts (lib/services/drift/drift-results.ts).
  "monitoring.compute-drift": async ({ monitorId }, { deps, log }) => {
    const summary = await computeMonitorDrift(deps.db, monitorId);
    if (!summary) log.info({ monitorId }, "drift monitor no longer exists; nothing to compute");
    else log.debug({ monitorId, ...summary }, "drift computed");
  },
};
