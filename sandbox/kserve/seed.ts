import { randomUUID } from "node:crypto";
import type pg from "pg";
import {
  emptyController,
  reconcile,
  type ControllerTiming,
  type Json,
  type ServiceRecord,
  type TrafficChange,
} from "./controller";
import { insertTrafficChanges } from "./store";

/**
 * A realistic estate for an empty sandbox: six telco models in namespace `models`, with history
 * replayed through the controller at past times (so revisions, rollout fields and the traffic
 * history that the Prometheus emulator backfills from all agree). One is mid-canary, one rolled
 * back, one blocked by a model that fails to load.
 */

interface Step {
  hoursAgo: number;
  version: string;
  canary?: number;
}

interface SeedService {
  name: string;
  format: string;
  runtime: string;
  team: string;
  minReplicas: number;
  maxReplicas: number;
  tagRouting?: boolean;
  steps: Step[];
}

const estate: SeedService[] = [
  {
    name: "churn-classifier",
    format: "sklearn",
    runtime: "kserve-sklearnserver",
    team: "customer-analytics",
    minReplicas: 1,
    maxReplicas: 4,
    steps: [
      { hoursAgo: 21 * 24, version: "1" },
      { hoursAgo: 4 * 24, version: "2", canary: 20 },
      { hoursAgo: 4 * 24 - 6, version: "2" },
    ],
  },
  {
    name: "network-anomaly",
    format: "xgboost",
    runtime: "kserve-xgbserver",
    team: "network-ops",
    minReplicas: 2,
    maxReplicas: 8,
    tagRouting: true,
    steps: [
      { hoursAgo: 12 * 24, version: "4" },
      { hoursAgo: 3 * 24, version: "5" },
      { hoursAgo: 2, version: "6", canary: 10 },
    ],
  },
  {
    name: "support-assistant-llm",
    format: "huggingface",
    runtime: "kserve-huggingfaceserver",
    team: "customer-care",
    minReplicas: 1,
    maxReplicas: 2,
    steps: [{ hoursAgo: 10 * 24, version: "1" }],
  },
  {
    // Served by Hugging Face's text-generation-inference through a cluster-defined ServingRuntime
    // (KServe ships none for TGI), so it exports TGI's metric names, not vLLM's.
    name: "ticket-summariser-llm",
    format: "huggingface",
    runtime: "huggingface-tgi",
    team: "customer-care",
    minReplicas: 1,
    maxReplicas: 2,
    steps: [{ hoursAgo: 8 * 24, version: "3" }],
  },
  {
    name: "sim-swap-fraud",
    format: "lightgbm",
    runtime: "kserve-lgbserver",
    team: "fraud",
    minReplicas: 1,
    maxReplicas: 3,
    steps: [
      { hoursAgo: 9 * 24, version: "7" },
      { hoursAgo: 24, version: "broken-8" },
    ],
  },
  {
    name: "capacity-forecast",
    format: "pytorch",
    runtime: "kserve-torchserve",
    team: "network-planning",
    minReplicas: 1,
    maxReplicas: 2,
    steps: [
      { hoursAgo: 6 * 24, version: "2" },
      { hoursAgo: 2 * 24, version: "3", canary: 25 },
      { hoursAgo: 2 * 24 - 3, version: "3", canary: 0 },
    ],
  },
];

/** Real clusters take tens of seconds; history is replayed at that pace, not the sandbox's speed. */
const historicalTiming: ControllerTiming = {
  acceptSeconds: 2,
  loadSeconds: (format) => (format === "huggingface" ? 180 : 60),
};

function specFor(service: SeedService, step: Step, loggerUrl: string): Json {
  const predictor: Json = {
    minReplicas: service.minReplicas,
    maxReplicas: service.maxReplicas,
    model: {
      modelFormat: { name: service.format },
      runtime: service.runtime,
      protocolVersion: "v1",
      storageUri: `https://switchboardmodels.blob.core.windows.net/models/${service.name}/${step.version}`,
    },
    logger: { mode: "all", url: loggerUrl },
  };
  if (step.canary !== undefined) predictor.canaryTrafficPercent = step.canary;
  return { predictor };
}

export async function seedEstate(pool: pg.Pool, loggerUrl: string, now = new Date()): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Two sandboxes sharing a database must not both seed.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('kserve_seed'))");
    const { rows } = await client.query("SELECT 1 FROM kserve_inference_services LIMIT 1");
    if (rows.length) return void (await client.query("ROLLBACK"));
    for (const service of estate) {
      const at = (step: Step) => new Date(now.getTime() - step.hoursAgo * 3_600_000);
      const created = at(service.steps[0]);
      let record: ServiceRecord = {
        namespace: "models",
        name: service.name,
        generation: 1,
        annotations: service.tagRouting ? { "serving.kserve.io/enable-tag-routing": "true" } : {},
        spec: specFor(service, service.steps[0], loggerUrl),
        specChangedAt: created.toISOString(),
        controller: emptyController(),
        status: {},
      };
      const changes: TrafficChange[] = [];
      service.steps.forEach((step, index) => {
        if (index > 0)
          record = {
            ...record,
            generation: record.generation + 1,
            spec: specFor(service, step, loggerUrl),
            specChangedAt: at(step).toISOString(),
          };
        const next = service.steps[index + 1];
        const result = reconcile(record, next ? at(next) : now, historicalTiming);
        record = result.record;
        changes.push(...result.trafficChanges);
      });
      const uid = randomUUID();
      await client.query(
        `INSERT INTO kserve_inference_services (namespace, name, uid, resource_version, generation, created_at, spec_changed_at, labels, annotations, spec, status, controller, next_due_at)
         VALUES ($1, $2, $3, nextval('kserve_resource_version_seq'), $4, $5, $6, $7, $8, $9, $10, $11, NULL)`,
        [
          record.namespace,
          record.name,
          uid,
          record.generation,
          created,
          record.specChangedAt,
          { team: service.team, "app.kubernetes.io/part-of": "switchboard" },
          record.annotations,
          record.spec,
          record.status,
          record.controller,
        ],
      );
      await insertTrafficChanges(client, { namespace: record.namespace, name: record.name, uid }, changes);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
