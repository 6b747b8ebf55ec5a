import { randomUUID } from "node:crypto";
import type pg from "pg";
import {
  emptyController,
  kubernetesTime,
  reconcile,
  type ControllerState,
  type ControllerTiming,
  type Json,
  type ServiceRecord,
  type TrafficChange,
} from "./controller";

/** InferenceServices in the sandbox database, with Kubernetes' optimistic concurrency (resourceVersion). */

export const schemaSql = `
CREATE SEQUENCE IF NOT EXISTS kserve_resource_version_seq;
CREATE TABLE IF NOT EXISTS kserve_inference_services (
  namespace text NOT NULL,
  name text NOT NULL,
  uid uuid NOT NULL,
  resource_version bigint NOT NULL,
  generation int NOT NULL,
  created_at timestamptz NOT NULL,
  spec_changed_at timestamptz NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}',
  annotations jsonb NOT NULL DEFAULT '{}',
  spec jsonb NOT NULL,
  status jsonb NOT NULL DEFAULT '{}',
  controller jsonb NOT NULL,
  next_due_at timestamptz,
  PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS kserve_traffic_history (
  id bigserial PRIMARY KEY,
  namespace text NOT NULL,
  name text NOT NULL,
  uid uuid NOT NULL,
  at timestamptz NOT NULL,
  split jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS kserve_traffic_history_at ON kserve_traffic_history (at);
`;

export interface StoredService extends ServiceRecord {
  uid: string;
  resourceVersion: string;
  createdAt: string;
  labels: Record<string, string>;
}

interface Row {
  namespace: string;
  name: string;
  uid: string;
  resource_version: string;
  generation: number;
  created_at: Date;
  spec_changed_at: Date;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Json;
  status: Json;
  controller: ControllerState;
}

const fromRow = (row: Row): StoredService => ({
  namespace: row.namespace,
  name: row.name,
  uid: row.uid,
  resourceVersion: String(row.resource_version),
  generation: row.generation,
  createdAt: row.created_at.toISOString(),
  specChangedAt: row.spec_changed_at.toISOString(),
  labels: row.labels,
  annotations: row.annotations,
  spec: row.spec,
  status: row.status,
  controller: row.controller,
});

export const apiVersion = "serving.kserve.io/v1beta1";

/** The object as the Kubernetes API returns it. */
export function toManifest(service: StoredService): Json {
  const metadata: Json = {
    name: service.name,
    namespace: service.namespace,
    uid: service.uid,
    resourceVersion: service.resourceVersion,
    generation: service.generation,
    creationTimestamp: kubernetesTime(service.createdAt),
    finalizers: ["inferenceservice.finalizers"],
  };
  if (Object.keys(service.labels).length) metadata.labels = service.labels;
  if (Object.keys(service.annotations).length) metadata.annotations = service.annotations;
  return { apiVersion, kind: "InferenceService", metadata, spec: service.spec, status: service.status };
}

/** A write: new metadata and spec, optionally only if the object is still at `expectedVersion`. */
export interface ServiceChange {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Json;
  expectedVersion?: string;
}

/** Raised when the stored resourceVersion moved on. */
export class VersionConflict extends Error {}

export class KServeStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly timing: ControllerTiming,
    private readonly onDue: (namespace: string, name: string, at: Date) => void = () => {},
  ) {}

  async migrate() {
    await this.pool.query(schemaSql);
  }

  async get(namespace: string, name: string): Promise<StoredService | undefined> {
    await this.reconcileDue(namespace, name);
    const { rows } = await this.pool.query<Row>(
      "SELECT * FROM kserve_inference_services WHERE namespace = $1 AND name = $2",
      [namespace, name],
    );
    return rows[0] && fromRow(rows[0]);
  }

  /** Ordered by namespace then name, like etcd keys; `after` continues after that key. */
  async list(
    namespace: string | undefined,
    after?: { namespace: string; name: string },
  ): Promise<StoredService[]> {
    await this.reconcileDue();
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM kserve_inference_services
       WHERE ($1::text IS NULL OR namespace = $1) AND ($2::text IS NULL OR (namespace, name) > ($2, $3))
       ORDER BY namespace, name`,
      [namespace ?? null, after?.namespace ?? null, after?.name ?? null],
    );
    return rows.map(fromRow);
  }

  async currentResourceVersion(): Promise<string> {
    const { rows } = await this.pool.query<{ v: string }>(
      "SELECT COALESCE((SELECT last_value FROM kserve_resource_version_seq), 1) AS v",
    );
    return String(rows[0].v);
  }

  /** Inserts a new service; returns undefined when the name is taken. */
  async create(
    input: {
      namespace: string;
      name: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
      spec: Json;
    },
    at = new Date(),
  ): Promise<StoredService | undefined> {
    const record: ServiceRecord = {
      namespace: input.namespace,
      name: input.name,
      generation: 1,
      annotations: input.annotations,
      spec: input.spec,
      specChangedAt: at.toISOString(),
      controller: emptyController(),
      status: {},
    };
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO kserve_inference_services (namespace, name, uid, resource_version, generation, created_at, spec_changed_at, labels, annotations, spec, status, controller, next_due_at)
       VALUES ($1, $2, $3, nextval('kserve_resource_version_seq'), 1, $4, $4, $5, $6, $7, '{}', $8, $9)
       ON CONFLICT (namespace, name) DO NOTHING RETURNING *`,
      [
        input.namespace,
        input.name,
        randomUUID(),
        at,
        input.labels,
        input.annotations,
        input.spec,
        record.controller,
        this.dueOf(record),
      ],
    );
    if (!rows[0]) return undefined;
    this.onDue(input.namespace, input.name, new Date(this.dueOf(record)));
    return fromRow(rows[0]);
  }

  /**
   * Writes new labels, annotations and spec if `expectedVersion` is still current (or not given).
   * A spec change bumps the generation and restarts the controller's work; metadata changes do not.
   */
  async update(
    namespace: string,
    name: string,
    change: (current: StoredService) => ServiceChange,
  ): Promise<StoredService | undefined> {
    await this.reconcileDue(namespace, name);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<Row>(
        "SELECT * FROM kserve_inference_services WHERE namespace = $1 AND name = $2 FOR UPDATE",
        [namespace, name],
      );
      if (!rows[0]) {
        await client.query("ROLLBACK");
        return undefined;
      }
      const current = fromRow(rows[0]);
      const next = change(current);
      if (next.expectedVersion !== undefined && next.expectedVersion !== current.resourceVersion)
        throw new VersionConflict();
      const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
      const record: ServiceRecord = {
        ...current,
        annotations: next.annotations,
        spec: next.spec,
        generation: current.generation + (specChanged ? 1 : 0),
        specChangedAt: specChanged ? new Date().toISOString() : current.specChangedAt,
      };
      const unchanged =
        !specChanged &&
        JSON.stringify(next.labels) === JSON.stringify(current.labels) &&
        JSON.stringify(next.annotations) === JSON.stringify(current.annotations);
      if (unchanged) {
        await client.query("ROLLBACK");
        return current;
      }
      const updated = await client.query<Row>(
        `UPDATE kserve_inference_services SET resource_version = nextval('kserve_resource_version_seq'), generation = $3, spec_changed_at = $4,
           labels = $5, annotations = $6, spec = $7, next_due_at = $8
         WHERE namespace = $1 AND name = $2 RETURNING *`,
        [
          namespace,
          name,
          record.generation,
          record.specChangedAt,
          next.labels,
          next.annotations,
          next.spec,
          this.dueOf(record),
        ],
      );
      await client.query("COMMIT");
      const due = this.dueOf(record);
      if (due) this.onDue(namespace, name, new Date(due));
      return fromRow(updated.rows[0]);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Deletes the service; its traffic stops, which the history records. */
  async delete(namespace: string, name: string): Promise<StoredService | undefined> {
    const { rows } = await this.pool.query<Row>(
      "DELETE FROM kserve_inference_services WHERE namespace = $1 AND name = $2 RETURNING *",
      [namespace, name],
    );
    if (!rows[0]) return undefined;
    await insertTrafficChanges(this.pool, rows[0], [{ at: new Date().toISOString(), split: [] }]);
    return fromRow(rows[0]);
  }

  /** Runs the controller for services whose next event is due (all, or one). */
  async reconcileDue(namespace?: string, name?: string, now = new Date()): Promise<void> {
    const { rows } = await this.pool.query<{ namespace: string; name: string }>(
      `SELECT namespace, name FROM kserve_inference_services
       WHERE next_due_at <= $1 AND ($2::text IS NULL OR (namespace = $2 AND name = $3))`,
      [now, namespace ?? null, name ?? null],
    );
    for (const row of rows) await this.reconcileOne(row.namespace, row.name, now);
  }

  /** Services with pending controller work, so timers can be scheduled after a restart. */
  async pendingWork(): Promise<Array<{ namespace: string; name: string; at: Date }>> {
    const { rows } = await this.pool.query<{ namespace: string; name: string; next_due_at: Date }>(
      "SELECT namespace, name, next_due_at FROM kserve_inference_services WHERE next_due_at IS NOT NULL",
    );
    return rows.map((r) => ({ namespace: r.namespace, name: r.name, at: r.next_due_at }));
  }

  private async reconcileOne(namespace: string, name: string, now: Date) {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<Row>(
        "SELECT * FROM kserve_inference_services WHERE namespace = $1 AND name = $2 FOR UPDATE",
        [namespace, name],
      );
      const current = rows[0] && fromRow(rows[0]);
      if (!current) return void (await client.query("ROLLBACK"));
      const { record, trafficChanges, nextDueAt } = reconcile(current, now, this.timing);
      await client.query(
        `UPDATE kserve_inference_services SET resource_version = nextval('kserve_resource_version_seq'), status = $3, controller = $4, next_due_at = $5
         WHERE namespace = $1 AND name = $2`,
        [namespace, name, record.status, record.controller, nextDueAt ?? null],
      );
      await insertTrafficChanges(client, current, trafficChanges);
      await client.query("COMMIT");
      if (nextDueAt) this.onDue(namespace, name, new Date(nextDueAt));
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private dueOf(record: ServiceRecord): string {
    return new Date(Date.parse(record.specChangedAt) + this.timing.acceptSeconds * 1000).toISOString();
  }
}

export async function insertTrafficChanges(
  client: pg.Pool | pg.PoolClient,
  service: { namespace: string; name: string; uid: string },
  changes: TrafficChange[],
) {
  for (const change of changes) {
    await client.query(
      "INSERT INTO kserve_traffic_history (namespace, name, uid, at, split) VALUES ($1, $2, $3, $4, $5)",
      [service.namespace, service.name, service.uid, change.at, JSON.stringify(change.split)],
    );
  }
}
