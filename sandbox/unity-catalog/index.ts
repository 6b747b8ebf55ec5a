import type { SandboxSystem } from "../systems";
import { registerCatalogRoutes } from "./catalog-routes";
import { ensureStatementSchema, registerStatementRoutes } from "./statement-routes";

/**
 * Unity Catalog (catalogs, schemas, tables, table lineage) over a static telco estate, and the SQL
 * Statement Execution API answering from the same generators. Only statements are persisted.
 */
export const system: SandboxSystem = {
  name: "unity-catalog",
  async register(app, context) {
    await ensureStatementSchema(context.pool);
    registerCatalogRoutes(app);
    registerStatementRoutes(app, context.pool, () => context.speed);
  },
};
