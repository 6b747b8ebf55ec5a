import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

type TrainingRunJobs = "databricks.submit-run" | "databricks.poll-run" | "databricks.cancel-run" | "maintenance.reconcile-runs";

// Being written now (issue 4): submit with idempotency_token, follow with delayed re-checks, cancel, reconcile.
export const trainingRunHandlers: Pick<HandlerRegistry<WorkerDeps>, TrainingRunJobs> = {
  "databricks.submit-run": async () => {
    throw new Error("databricks.submit-run is not implemented yet");
  },
  "databricks.poll-run": async () => {
    throw new Error("databricks.poll-run is not implemented yet");
  },
  "databricks.cancel-run": async () => {
    throw new Error("databricks.cancel-run is not implemented yet");
  },
  "maintenance.reconcile-runs": async () => {
    throw new Error("maintenance.reconcile-runs is not implemented yet");
  },
};
