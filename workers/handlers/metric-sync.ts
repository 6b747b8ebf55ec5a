import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

// Being written now (issue 4): keep Switchboard's downsampled copy of MLflow metric histories.
export const metricSyncHandlers: Pick<HandlerRegistry<WorkerDeps>, "mlflow.sync-metrics"> = {
  "mlflow.sync-metrics": async () => {
    throw new Error("mlflow.sync-metrics is not implemented yet");
  },
};
