import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKServeClient, summariseService } from "@/lib/clients/kserve";
import { createPrometheusClient } from "@/lib/clients/prometheus";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { fleetQuery, indexInstant } from "@/lib/domain/monitoring/fleet-metrics";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { alertingWindow, evaluateAlerts, seedDefaultRules, type EvaluateAlertsDeps } from "./evaluate-alerts";

/** The scheduled evaluation against the sandbox's KServe and Prometheus and a real PostgreSQL. */

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
  let database: TestDatabase;
  let db: PrismaClient;
  let deps: EvaluateAlertsDeps;

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    database = await createTestDatabase("alerts_test");
    db = createPrismaClient(database.url);
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
    await database?.drop();
  });

  it("seeds default rules once per service, sized to a slow service's normal latency, and leaves healthy services quiet", async () => {
    const first = await evaluateAlerts(deps);
    expect(first.skipped).toBe(false);
    // Four defaults per service, the vLLM-served LLM's time-to-first-token and queue-size rules, and
    // the TGI-served one's queue-size rule (TGI exports no time to first token).
    expect(first.seeded).toBe(27);
    expect(first.rules).toBe(27);
    expect(await db.alertRuleSeed.count({ where: { namespace } })).toBe(6);
    const rules = await db.alertRule.findMany({
      where: { kind: "LATENCY_P95" },
      select: { serviceName: true, threshold: true },
    });
    const thresholds = Object.fromEntries(rules.map((r) => [r.serviceName, r.threshold]));
    expect(thresholds["churn-classifier"]).toBe(500);
    // The LLM's normal p95 is well above 500 ms: its rule starts from twice that.
    expect(thresholds["support-assistant-llm"]).toBeGreaterThan(1000);
    expect((await evaluateAlerts(deps)).seeded).toBe(0);
    expect(await db.alertRule.count()).toBe(27);
    expect(
      await db.alertRule.findMany({
        where: { kind: { in: ["LLM_TTFT_P95", "LLM_QUEUE_SIZE"] } },
        select: { serviceName: true, kind: true, threshold: true, forMinutes: true },
        orderBy: [{ kind: "asc" }, { serviceName: "asc" }],
      }),
    ).toEqual([
      { serviceName: "support-assistant-llm", kind: "LLM_TTFT_P95", threshold: 2000, forMinutes: 5 },
      { serviceName: "support-assistant-llm", kind: "LLM_QUEUE_SIZE", threshold: 10, forMinutes: 5 },
      { serviceName: "ticket-summariser-llm", kind: "LLM_QUEUE_SIZE", threshold: 10, forMinutes: 5 },
    ]);
    expect(await db.alert.count({ where: { state: { in: ["PENDING", "FIRING"] } } })).toBe(0);
    expect(first.queries).toBeLessThanOrEqual(8);
  }, 60_000);

  it("fires on the slow canary revision, once, even when two workers evaluate together, and resolves", async () => {
    const service = summariseService(
      await deps.kserve
        .list({ namespace })
        .then((all) => all.find((s) => s.metadata.name === "network-anomaly")!),
    );
    const canary = service.revisions.latestReady!;
    expect(service.isCanaryInProgress).toBe(true);
    await db.alertRule.update({
      where: {
        namespace_serviceName_kind: { namespace, serviceName: "network-anomaly", kind: "LATENCY_P95" },
      },
      data: { forMinutes: 0 },
    });

    const response = await fetch(`${sandbox.url}/__sandbox/traffic/revisions/${canary}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" },
      body: JSON.stringify({ extraLatencyMs: 1500 }),
    });
    expect(response.ok).toBe(true);
    const query = fleetQuery("p95", {
      namespace,
      scheme: "knative",
      window: alertingWindow,
      byRevision: true,
    })!;
    await waitFor(async () => {
      await fetch(`${sandbox.url}/__sandbox/traffic/advance`, {
        method: "POST",
        headers: { authorization: `Bearer ${sandbox.token}` },
      });
      const p95 = indexInstant(await deps.prometheus.query({ query }), "knative").get(
        `network-anomaly/${canary}`,
      );
      return p95 !== undefined && p95 !== null && p95 > 500 ? p95 : undefined;
    }, 60_000);

    const results = await Promise.all([evaluateAlerts(deps), evaluateAlerts(deps)]);
    expect(results.filter((r) => !r.skipped).length).toBeGreaterThanOrEqual(1);
    results.push(await evaluateAlerts(deps));
    const alerts = await db.alert.findMany({
      where: { rule: { serviceName: "network-anomaly", kind: "LATENCY_P95" } },
      select: {
        id: true,
        state: true,
        revisionName: true,
        modelVersion: true,
        value: true,
        summary: true,
        firedAt: true,
      },
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: "FIRING", revisionName: canary, modelVersion: "6" });
    expect(alerts[0].value).toBeGreaterThan(500);
    expect(alerts[0].summary).toContain(canary);
    // Only the slow revision's service alerts.
    expect(await db.alert.count({ where: { state: "FIRING" } })).toBe(1);
    // One notification row for the firing, however many passes ran; its id went to the caller once.
    const firing = await db.alertNotification.findMany({ select: { id: true, alertId: true, event: true } });
    expect(firing).toEqual([{ id: expect.any(String), alertId: alerts[0].id, event: "FIRING" }]);
    expect(results.flatMap((r) => r.notificationIds)).toEqual([firing[0].id]);

    await db.alertRule.update({
      where: {
        namespace_serviceName_kind: { namespace, serviceName: "network-anomaly", kind: "LATENCY_P95" },
      },
      data: { threshold: 60_000 },
    });
    const resolved = await evaluateAlerts(deps);
    expect(resolved.resolved).toBe(1);
    const resolution = await db.alertNotification.findUniqueOrThrow({
      where: { alertId_event: { alertId: alerts[0].id, event: "RESOLVED" } },
      select: { id: true },
    });
    expect(resolved.notificationIds).toEqual([resolution.id]);
    expect((await evaluateAlerts(deps)).notificationIds).toEqual([]);
    expect(
      await db.alert.findFirst({
        where: { rule: { serviceName: "network-anomaly" } },
        select: { state: true, resolvedAt: true },
      }),
    ).toMatchObject({ state: "RESOLVED" });
  }, 120_000);

  it("neither opens alerts nor notifies for a silenced service, and keeps a resolution under a silence quiet", async () => {
    await db.user.upsert({
      where: { entraObjectId: "oid-omar" },
      create: { entraObjectId: "oid-omar", name: "Omar", roles: ["OnCall"] },
      update: {},
      select: { id: true },
    });
    const omar = await db.user.findUniqueOrThrow({
      where: { entraObjectId: "oid-omar" },
      select: { id: true },
    });
    const rule = {
      namespace_serviceName_kind: { namespace, serviceName: "network-anomaly", kind: "LATENCY_P95" as const },
    };
    await db.alertRule.update({ where: rule, data: { threshold: 1 } });
    const fired = await evaluateAlerts(deps);
    expect(fired.fired).toBe(1);
    expect(fired.notificationIds).toHaveLength(1);

    await db.alertSilence.create({
      data: {
        namespace,
        serviceName: "network-anomaly",
        startsAt: new Date(Date.now() - 1000),
        endsAt: new Date(Date.now() + 60_000),
        reason: "maintenance",
        createdById: omar.id,
      },
    });
    await db.alertRule.update({ where: rule, data: { threshold: 60_000 } });
    const quietResolve = await evaluateAlerts(deps);
    expect(quietResolve.resolved).toBe(1);
    expect(quietResolve.notificationIds).toEqual([]);

    await db.alertRule.update({ where: rule, data: { threshold: 1 } });
    const summary = await evaluateAlerts(deps);
    expect(summary.opened).toBe(0);
    expect(summary.notificationIds).toEqual([]);
    expect(await db.alert.count({ where: { state: { in: ["PENDING", "FIRING"] } } })).toBe(0);
    expect(
      await db.alertNotification.count({
        where: {
          event: "RESOLVED",
          alert: { firedAt: { not: null }, rule: { serviceName: "network-anomaly" } },
        },
      }),
    ).toBe(1);
  }, 60_000);

  it("does not re-create a service's defaults once people deleted its rules, even from a pass that read it as unseeded", async () => {
    await db.alertRule.deleteMany({ where: { namespace, serviceName: "churn-classifier" } });
    const next = await evaluateAlerts(deps);
    expect(next.seeded).toBe(0);
    expect(await db.alertRule.count({ where: { namespace, serviceName: "churn-classifier" } })).toBe(0);
    // A pass that found the service unseeded just before another seeded it must not seed it again.
    expect(await seedDefaultRules(db, namespace, ["churn-classifier"])).toBe(0);
    expect(await db.alertRule.count({ where: { namespace, serviceName: "churn-classifier" } })).toBe(0);
  }, 60_000);

  it("gives a new service its defaults exactly once when two workers evaluate together", async () => {
    const newcomer = "churn-classifier-v2";
    const withNewcomer: EvaluateAlertsDeps = {
      ...deps,
      kserve: {
        list: async (options) => {
          const services = await deps.kserve.list(options);
          const template = services.find((s) => s.metadata.name === "churn-classifier")!;
          return [...services, { ...template, metadata: { ...template.metadata, name: newcomer } }];
        },
      },
    };
    const passes = await Promise.all([evaluateAlerts(withNewcomer), evaluateAlerts(withNewcomer)]);
    expect(passes.map((p) => p.seeded).sort()).toEqual([0, 4]);
    const rules = await db.alertRule.findMany({
      where: { namespace, serviceName: newcomer },
      select: { kind: true, threshold: true },
    });
    expect(rules.map((r) => r.kind).sort()).toEqual(["DRIFT_SHARE", "ERROR_RATE", "LATENCY_P95", "NO_DATA"]);
    expect(rules.find((r) => r.kind === "LATENCY_P95")?.threshold).toBe(500);
    expect(await db.alertRuleSeed.count({ where: { namespace, serviceName: newcomer } })).toBe(1);
    expect((await evaluateAlerts(withNewcomer)).seeded).toBe(0);
  }, 60_000);

  it("seeds a new service with the defaults an admin set, kind by kind, the rest from the code", async () => {
    await db.alertRuleDefault.create({
      data: { kind: "ERROR_RATE", threshold: 0.02, forMinutes: 3, updatedByName: "Ada Walsh" },
    });
    try {
      expect(await seedDefaultRules(db, namespace, ["admin-defaults-svc"])).toBe(4);
      const rules = await db.alertRule.findMany({
        where: { namespace, serviceName: "admin-defaults-svc" },
        select: { kind: true, threshold: true, forMinutes: true },
      });
      expect(rules.find((r) => r.kind === "ERROR_RATE")).toEqual({
        kind: "ERROR_RATE",
        threshold: 0.02,
        forMinutes: 3,
      });
      expect(rules.find((r) => r.kind === "LATENCY_P95")).toMatchObject({ threshold: 500, forMinutes: 5 });
    } finally {
      await db.alertRuleDefault.deleteMany({});
    }
  });

  it("marks a service someone gave rules before its first pass as seeded, without adding the other defaults", async () => {
    await db.alertRuleSeed.delete({
      where: { namespace_serviceName: { namespace, serviceName: "churn-classifier" } },
    });
    await db.alertRule.create({
      data: { namespace, serviceName: "churn-classifier", kind: "ERROR_RATE", threshold: 0.2 },
    });
    expect((await evaluateAlerts(deps)).seeded).toBe(0);
    expect(
      await db.alertRule.findMany({
        where: { namespace, serviceName: "churn-classifier" },
        select: { kind: true },
      }),
    ).toEqual([{ kind: "ERROR_RATE" }]);
    expect(await db.alertRuleSeed.count({ where: { namespace, serviceName: "churn-classifier" } })).toBe(1);
  }, 60_000);

  it("fires the LLM queue and time-to-first-token rules when the engine's queue backs up (vLLM and TGI), and resolves", async () => {
    const serviceName = "support-assistant-llm";
    const tgiService = "ticket-summariser-llm";
    const services = await deps.kserve.list({ namespace });
    const latestOf = (name: string) =>
      summariseService(services.find((s) => s.metadata.name === name)!).revisions.latestReady!;
    const [revision, tgiRevision] = [latestOf(serviceName), latestOf(tgiService)];
    await db.alertRule.updateMany({
      where: {
        namespace,
        serviceName: { in: [serviceName, tgiService] },
        kind: { in: ["LLM_TTFT_P95", "LLM_QUEUE_SIZE"] },
      },
      data: { forMinutes: 0 },
    });
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    for (const backedUp of [revision, tgiRevision])
      expect((await admin("PUT", `/__sandbox/traffic/revisions/${backedUp}`, { queueBacklog: 60 })).ok).toBe(
        true,
      );
    const firing = await waitFor(async () => {
      await admin("POST", "/__sandbox/traffic/advance");
      await evaluateAlerts(deps);
      const alerts = await db.alert.findMany({
        where: {
          state: "FIRING",
          rule: {
            serviceName: { in: [serviceName, tgiService] },
            kind: { in: ["LLM_TTFT_P95", "LLM_QUEUE_SIZE"] },
          },
        },
        select: { summary: true, value: true, rule: { select: { kind: true, serviceName: true } } },
      });
      return alerts.length === 3 ? alerts : undefined;
    }, 90_000);
    const byKind = Object.fromEntries(firing.map((a) => [`${a.rule.serviceName} ${a.rule.kind}`, a]));
    expect(byKind[`${serviceName} LLM_QUEUE_SIZE`].value).toBeGreaterThan(10);
    expect(byKind[`${serviceName} LLM_QUEUE_SIZE`].summary).toMatch(/^LLM queue \d+ requests waiting > 10$/);
    expect(byKind[`${serviceName} LLM_TTFT_P95`].value).toBeGreaterThan(2000);
    // TGI's queue is read from tgi_queue_size, by the predictor pods.
    expect(byKind[`${tgiService} LLM_QUEUE_SIZE`].value).toBeGreaterThan(10);

    for (const backedUp of [revision, tgiRevision])
      await admin("DELETE", `/__sandbox/traffic/revisions/${backedUp}`);
    await waitFor(async () => {
      await admin("POST", "/__sandbox/traffic/advance");
      await evaluateAlerts(deps);
      const open = await db.alert.count({
        where: {
          state: { in: ["PENDING", "FIRING"] },
          rule: { serviceName: { in: [serviceName, tgiService] }, kind: "LLM_QUEUE_SIZE" },
        },
      });
      return open === 0 ? true : undefined;
    }, 90_000);
  }, 200_000);
});
