import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKServeClient, summariseService } from "@/lib/clients/kserve";
import { createPrometheusClient } from "@/lib/clients/prometheus";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { fleetQuery, indexInstant } from "@/lib/domain/monitoring/fleet-metrics";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { alertingWindow, evaluateAlerts, type EvaluateAlertsDeps } from "./evaluate-alerts";

/** The scheduled evaluation against the sandbox's KServe and Prometheus and a real PostgreSQL. */

const serverUrl = (process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres").replace(/\/[^/]*$/, "");
const databaseName = `alerts_test_${randomBytes(5).toString("hex")}`;
const databaseUrl = `${serverUrl}/${databaseName}`;
const namespace = "models";

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe("evaluateAlerts", () => {
  let sandbox: RunningSandbox;
  let db: PrismaClient;
  let deps: EvaluateAlertsDeps;

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    await applyMigrations({ databaseUrl, migrationsDir: fileURLToPath(new URL("../../../prisma/migrations", import.meta.url)), createDatabase: true });
    db = createPrismaClient(databaseUrl);
    const getToken = async () => sandbox.token;
    deps = {
      db,
      kserve: createKServeClient({ apiUrl: sandbox.url, getToken, namespace }),
      prometheus: createPrometheusClient({ baseUrl: sandbox.url, getToken }),
      scheme: "knative",
      namespace,
    };
  }, 120_000);

  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  });

  it("seeds default rules once per service, sized to a slow service's normal latency, and leaves healthy services quiet", async () => {
    const first = await evaluateAlerts(deps);
    expect(first.skipped).toBe(false);
    expect(first.rules).toBe(20);
    const rules = await db.alertRule.findMany({ where: { kind: "LATENCY_P95" }, select: { serviceName: true, threshold: true } });
    const thresholds = Object.fromEntries(rules.map((r) => [r.serviceName, r.threshold]));
    expect(thresholds["churn-classifier"]).toBe(500);
    // The LLM's normal p95 is well above 500 ms: its rule starts from twice that.
    expect(thresholds["support-assistant-llm"]).toBeGreaterThan(1000);
    await evaluateAlerts(deps);
    expect(await db.alertRule.count()).toBe(20);
    expect(await db.alert.count({ where: { state: { in: ["PENDING", "FIRING"] } } })).toBe(0);
    expect(first.queries).toBeLessThanOrEqual(5);
  }, 60_000);

  it("fires on the slow canary revision, once, even when two workers evaluate together, and resolves", async () => {
    const service = summariseService(await deps.kserve.list({ namespace }).then((all) => all.find((s) => s.metadata.name === "network-anomaly")!));
    const canary = service.revisions.latestReady!;
    expect(service.isCanaryInProgress).toBe(true);
    await db.alertRule.update({ where: { namespace_serviceName_kind: { namespace, serviceName: "network-anomaly", kind: "LATENCY_P95" } }, data: { forMinutes: 0 } });

    const response = await fetch(`${sandbox.url}/__sandbox/traffic/revisions/${canary}`, { method: "PUT", headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" }, body: JSON.stringify({ extraLatencyMs: 1500 }) });
    expect(response.ok).toBe(true);
    const query = fleetQuery("p95", { namespace, scheme: "knative", window: alertingWindow, byRevision: true })!;
    await waitFor(async () => {
      await fetch(`${sandbox.url}/__sandbox/traffic/advance`, { method: "POST", headers: { authorization: `Bearer ${sandbox.token}` } });
      const p95 = indexInstant(await deps.prometheus.query({ query }), "knative").get(`network-anomaly/${canary}`);
      return p95 !== undefined && p95 !== null && p95 > 500 ? p95 : undefined;
    }, 60_000);

    const results = await Promise.all([evaluateAlerts(deps), evaluateAlerts(deps)]);
    expect(results.filter((r) => !r.skipped).length).toBeGreaterThanOrEqual(1);
    await evaluateAlerts(deps);
    const alerts = await db.alert.findMany({ where: { rule: { serviceName: "network-anomaly", kind: "LATENCY_P95" } }, select: { state: true, revisionName: true, modelVersion: true, value: true, summary: true, firedAt: true } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: "FIRING", revisionName: canary, modelVersion: "6" });
    expect(alerts[0].value).toBeGreaterThan(500);
    expect(alerts[0].summary).toContain(canary);
    // Only the slow revision's service alerts.
    expect(await db.alert.count({ where: { state: "FIRING" } })).toBe(1);

    await db.alertRule.update({ where: { namespace_serviceName_kind: { namespace, serviceName: "network-anomaly", kind: "LATENCY_P95" } }, data: { threshold: 60_000 } });
    const resolved = await evaluateAlerts(deps);
    expect(resolved.resolved).toBe(1);
    expect(await db.alert.findFirst({ where: { rule: { serviceName: "network-anomaly" } }, select: { state: true, resolvedAt: true } })).toMatchObject({ state: "RESOLVED" });
  }, 120_000);

  it("opens nothing for a silenced service", async () => {
    await db.user.upsert({ where: { entraObjectId: "oid-omar" }, create: { entraObjectId: "oid-omar", name: "Omar", roles: ["OnCall"] }, update: {}, select: { id: true } });
    const omar = await db.user.findUniqueOrThrow({ where: { entraObjectId: "oid-omar" }, select: { id: true } });
    await db.alertRule.update({ where: { namespace_serviceName_kind: { namespace, serviceName: "network-anomaly", kind: "LATENCY_P95" } }, data: { threshold: 1 } });
    await db.alertSilence.create({ data: { namespace, serviceName: "network-anomaly", startsAt: new Date(Date.now() - 1000), endsAt: new Date(Date.now() + 60_000), reason: "maintenance", createdById: omar.id } });
    const summary = await evaluateAlerts(deps);
    expect(summary.opened).toBe(0);
    expect(await db.alert.count({ where: { state: { in: ["PENDING", "FIRING"] } } })).toBe(0);
  }, 60_000);
});
