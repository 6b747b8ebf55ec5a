import type { SandboxSystem } from "../systems";
import { registerAdfRoutes } from "./routes";
import { createAdfRunner } from "./runner";
import { createAdfStore } from "./store";

/**
 * Azure Data Factory's ARM REST API (api-version 2018-06-01) under `/subscriptions/…/factories/…`, for
 * one factory running the team's hourly pipeline (factory.ts) on its ScheduleTrigger with speed-scaled
 * activities. A fresh sandbox starts with the pipeline's recent history; its notebook activity submits
 * real runs to the sandbox's Databricks Jobs API.
 */
export const system: SandboxSystem = {
  name: "adf",
  async register(app, context) {
    const store = createAdfStore(context.pool);
    await store.migrate();
    const runner = createAdfRunner(context, store);
    let seeded!: () => void;
    const isSeeded = new Promise<void>((resolve) => (seeded = resolve));
    registerAdfRoutes(app, { store, isSeeded });
    // History links need the final base URL: seeded after listen, in the background.
    app.addHook("onListen", async () => {
      void runner
        .seed()
        .catch((error: unknown) => context.log.error({ err: error }, "seeding Data Factory history failed"))
        .finally(() => {
          seeded();
          runner.start();
        });
    });
    // Ticks call the Jobs API over HTTP: they stop (and seeding ends) before the server closes.
    app.addHook("preClose", async () => {
      await runner.stop();
      await isSeeded;
    });
  },
};
