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
    // History is written after listen (its links need the final base URL) and in the background, so
    // sandboxes that never call Airflow do not wait for it; Airflow's own requests wait until it is there.
    let seeded!: () => void;
    const isSeeded = new Promise<void>((resolve) => (seeded = resolve));
    registerAirflowRoutes(app, { context, store, isSeeded });
    app.addHook("onListen", async () => {
      void scheduler
        .seed()
        .catch((error: unknown) => context.log.error({ err: error }, "seeding Airflow history failed"))
        .finally(() => {
          seeded();
          scheduler.start();
        });
    });
    // Ticks call the Jobs API over HTTP: they stop (and seeding ends) before the server closes.
    app.addHook("preClose", async () => {
      await scheduler.stop();
      await isSeeded;
    });
  },
};
