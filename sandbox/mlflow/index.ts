import type { SandboxSystem } from "../systems";
import { registerRegistryRoutes } from "./registry";
import { ensureMlflowSchema } from "./schema";
import { isEstateEmpty, seedMlflow } from "./seed";
import { registerExperimentRoutes } from "./experiments";
import { registerRunRoutes } from "./runs";
import { registerUnityCatalogModelRoutes } from "./unity-catalog-models";

export { seedMlflow } from "./seed";

/** How long a new model version stays PENDING_REGISTRATION at speed 1 (Databricks copies artifacts meanwhile). */
const registrationMs = 3000;

/**
 * Open-source MLflow's tracking and model registry REST API (`/api/2.0/mlflow/...` and the UI's
 * `/ajax-api/2.0/mlflow/...`), plus the Unity Catalog model registry subset, persisted in PostgreSQL.
 */
export const system: SandboxSystem = {
  name: "mlflow",
  async register(app, context) {
    await ensureMlflowSchema(context.pool);
    registerExperimentRoutes(app, context.pool);
    registerRunRoutes(app, context.pool);
    registerRegistryRoutes(app, context.pool, () => Math.round(registrationMs / context.speed));
    registerUnityCatalogModelRoutes(app, context.pool);
    if (await isEstateEmpty(context.pool)) await seedMlflow(context.pool);
  },
};
