import type { SandboxSystem } from "../systems";
import { dagDefinitions } from "./dags";
import { registerAirflowRoutes } from "./routes";
import { createAirflowScheduler } from "./scheduler";
import { createAirflowStore } from "./store";

/**
 * Apache Airflow 2's stable REST API v1 under `/airflow/api/v1`, running the team's DAGs (see
 * dags.ts) on their schedules with speed-scaled task durations. A fresh sandbox starts with each
 * DAG's recent history; its Databricks task submits real runs to the sandbox's Jobs API.
 */
export const system: SandboxSystem = {
  name: "airflow",
  async register(app, context) {
    const store = createAirflowStore(context.pool);
    await store.migrate();
    await store.registerDags(dagDefinitions);
    const scheduler = createAirflowScheduler(context, store);
    await scheduler.seed();
    registerAirflowRoutes(app, { context, store });
    // Ticks call the Jobs API over HTTP, so they start once the server listens and stop before it closes.
    app.addHook("onListen", async () => scheduler.start());
    app.addHook("preClose", () => scheduler.stop());
  },
};
