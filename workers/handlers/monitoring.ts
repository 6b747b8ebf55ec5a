import { computeMonitorDrift } from "@/lib/ingest/drift-results";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

type MonitoringJobs = "monitoring.evaluate-alerts" | "monitoring.compute-drift";

// Being written now (issue 6): alert rules and drift windows.
export const monitoringHandlers: Pick<HandlerRegistry<WorkerDeps>, MonitoringJobs> = {
  "monitoring.evaluate-alerts": async () => {
    throw new Error("monitoring.evaluate-alerts is not implemented yet");
  },
  // Recomputes the day's windows whose cached result is older than their counts (lib/ingest/drift-results.ts).
  "monitoring.compute-drift": async ({ monitorId }, { deps, log }) => {
    const summary = await computeMonitorDrift(deps.db, monitorId);
    if (!summary) log.info({ monitorId }, "drift monitor no longer exists; nothing to compute");
    else log.debug({ monitorId, ...summary }, "drift computed");
  },
};
