import type { SandboxSystem } from "../systems";
import { registerFeastRoutes } from "./routes";

/**
 * Feast's registry server REST API under `/feast/api/v1`, serving the team's feature repository
 * (registry.ts). Materialization runs on the clock from the sandbox's first start, which is kept in
 * its database so the history (and the stale view) survive restarts.
 */
export const system: SandboxSystem = {
  name: "feast",
  async register(app, context) {
    await context.pool.query(
      `CREATE TABLE IF NOT EXISTS feast_registry_state (
         id integer PRIMARY KEY CHECK (id = 1),
         started_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await context.pool.query(`INSERT INTO feast_registry_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
    const { rows } = await context.pool.query<{ started_at: Date }>(
      `SELECT started_at FROM feast_registry_state WHERE id = 1`,
    );
    const startedAt = rows[0].started_at.getTime();
    registerFeastRoutes(app, { context, startedAt: async () => startedAt });
  },
};
