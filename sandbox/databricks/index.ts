import type { SandboxSystem } from "../systems";
import { registerJobsRoutes } from "./routes";
import { createJobsSimulator } from "./simulator";
import { createJobsStore } from "./store";

/**
 * Databricks Jobs API 2.1/2.2: runs/submit, runs/get, runs/cancel, runs/get-output, runs/list,
 * jobs create/get/list/run-now. Runs advance in speed-scaled time and a training task really trains
 * (see programs/), logging to the sandbox's MLflow over HTTP.
 *
 * What a task does follows its parameters (spark_python_task.parameters or notebook base_parameters):
 * - `--base_model M` (GPU node type required): simulated LLM fine-tuning, tagged switchboard.simulated=true.
 * - `--experiment E` / `--registered_model_name N`: churn training; also `--learning_rate`, `--epochs`,
 *   `--dataset`, `--rows`, `--seed`, `--user` (mlflow.user), `--switchboard_run_id` (tag switchboard.run_id),
 *   `--feature_service` (tag feast.feature_service).
 * - otherwise a script that takes `--duration_seconds` (default 20) of job time.
 * For tests: `--fail_at_epoch N` fails a training task; new_cluster.custom_tags
 * {"sandbox_fault": "cluster_launch_failure"} makes the cluster fail (INTERNAL_ERROR).
 */
export const system: SandboxSystem = {
  name: "databricks",
  async register(app, context) {
    const store = createJobsStore(context.pool);
    await store.migrate();
    const jobs = createJobsSimulator(context, store);
    registerJobsRoutes(app, { context, store, simulator: jobs });
    // In-flight runs continue once the server answers again (their programs call MLflow over HTTP), and
    // only after listen() has returned, when a caller that chose port 0 has set context.baseUrl.
    app.addHook("onListen", async () => {
      setImmediate(
        () =>
          void jobs
            .resumeActiveRuns()
            .catch((error) => context.log.error({ err: error }, "resuming job runs failed")),
      );
    });
    // preClose runs before any onClose hook (the server's ends the pool), and stops programs before
    // the port closes under their MLflow calls. Per server instance, unlike the shared system.close.
    app.addHook("preClose", () => jobs.stop());
  },
};
