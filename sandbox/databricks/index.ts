import type { SandboxSystem } from "../systems";
import { registerJobsRoutes } from "./routes";
import { createJobsSimulator } from "./simulator";
import { createJobsStore } from "./store";

/**
 * Databricks Jobs API 2.1/2.2: runs/submit, runs/get, runs/cancel, runs/get-output, runs/list,
 * jobs create/get/list/run-now. Runs advance in speed-scaled time and a training task really trains
 * (see programs/), logging to the sandbox's MLflow over HTTP.
 */
export const system: SandboxSystem = {
  name: "databricks",
  async register(app, context) {
    const store = createJobsStore(context.pool);
    await store.migrate();
    const jobs = createJobsSimulator(context, store);
    registerJobsRoutes(app, { context, store, simulator: jobs });
    // In-flight runs continue once the server answers again (their programs call MLflow over HTTP).
    app.addHook("onListen", async () => {
      await jobs.resumeActiveRuns();
    });
    // Before the server stops taking requests, so no program is left retrying against a closed port.
    app.addHook("preClose", async () => jobs.beginShutdown());
    // Per server instance (not system.close, which is shared by every sandbox in the process); a plugin's
    // onClose runs before the root's, so runs stop writing before the pool ends.
    app.register(async (scope) => scope.addHook("onClose", () => jobs.stop()));
  },
};
