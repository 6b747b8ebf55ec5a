import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

type MonitoringJobs = "monitoring.evaluate-alerts" | "monitoring.compute-drift";

// Being written now (issue 6): alert rules and drift windows.
export const monitoringHandlers: Pick<HandlerRegistry<WorkerDeps>, MonitoringJobs> = {
  "monitoring.evaluate-alerts": async () => {
    throw new Error("monitoring.evaluate-alerts is not implemented yet");
  },
  "monitoring.compute-drift": async () => {
    throw new Error("monitoring.compute-drift is not implemented yet");
  },
};
