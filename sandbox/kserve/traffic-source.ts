import type pg from "pg";
import type { ControllerTiming, Json } from "./controller";
import { KServeStore } from "./store";

/**
 * What the traffic generator (sandbox/prometheus) needs from KServe: which revisions serve which
 * share of each service now, and since when (the traffic history), read from the same tables.
 */

export interface ServedRevision {
  name: string;
  percent: number;
  modelFormat?: string;
  /** The revision a canary is compared against is "default"; the new one "canary" (the logger's endpoint). */
  endpoint: "default" | "canary";
}

export interface ServedService {
  namespace: string;
  name: string;
  modelFormat?: string;
  /** spec.predictor.model.runtime: the ServingRuntime, which says which engine an LLM runs. */
  runtime?: string;
  logger?: { url?: string; mode: "all" | "request" | "response" };
  revisions: ServedRevision[];
}

export interface TrafficSplitAt {
  namespace: string;
  name: string;
  at: number;
  split: Array<{ revisionName: string; percent: number }>;
}

/** Controller pace in the sandbox: seconds in a real cluster, divided by the sandbox speed. */
export function controllerTiming(speed: number): ControllerTiming {
  return { acceptSeconds: 1 / speed, loadSeconds: (format) => (format === "huggingface" ? 60 : 20) / speed };
}

export interface TrafficSource {
  current(): Promise<ServedService[]>;
  history(sinceMs: number): Promise<TrafficSplitAt[]>;
}

export function createTrafficSource(pool: pg.Pool, speed: number): TrafficSource {
  const store = new KServeStore(pool, controllerTiming(speed));
  return {
    async current() {
      const services = await store.list(undefined);
      return services.map((service) => {
        const predictor = (service.spec.predictor ?? {}) as Json;
        const model = (predictor.model ?? {}) as Json;
        const logger = predictor.logger as ServedService["logger"] | undefined;
        const latestRolledout = service.controller.latestRolledoutRevision;
        const formats = new Map(service.controller.revisions.map((r) => [r.name, r.modelFormat]));
        const shares = new Map<string, number>();
        for (const target of service.controller.traffic)
          shares.set(target.revisionName, (shares.get(target.revisionName) ?? 0) + target.percent);
        return {
          namespace: service.namespace,
          name: service.name,
          modelFormat: (model.modelFormat as Json | undefined)?.name as string | undefined,
          runtime: model.runtime as string | undefined,
          logger: logger ? { url: logger.url, mode: logger.mode ?? "all" } : undefined,
          revisions: [...shares].map(([name, percent]) => ({
            name,
            percent,
            modelFormat: formats.get(name),
            endpoint: name === latestRolledout || shares.size === 1 ? "default" : "canary",
          })),
        };
      });
    },
    async history(sinceMs) {
      // The split in force at `since` too, so a backfill knows where it starts.
      const { rows } = await pool.query<{
        namespace: string;
        name: string;
        at: Date;
        split: TrafficSplitAt["split"];
      }>(
        `SELECT namespace, name, at, split FROM kserve_traffic_history h
         WHERE at >= $1 OR id = (SELECT id FROM kserve_traffic_history p WHERE p.uid = h.uid AND p.at < $1 ORDER BY at DESC, id DESC LIMIT 1)
         ORDER BY at, id`,
        [new Date(sinceMs)],
      );
      return rows.map((r) => ({ namespace: r.namespace, name: r.name, at: r.at.getTime(), split: r.split }));
    },
  };
}
