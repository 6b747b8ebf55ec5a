import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import type * as AlertsDal from "./alerts";

/** Rule changes through the DAL against a real PostgreSQL: who may make them, and the audit trail they leave. */

const person = (roles: CurrentUser["roles"]): CurrentUser => ({
  id: randomUUID(),
  oid: randomUUID(),
  name: roles.join(" "),
  email: null,
  roles,
});
const [onCall, admin, riskOfficer, dataScientist] = [
  person(["OnCall"]),
  person(["Admin"]),
  person(["ModelRiskOfficer"]),
  person(["DataScientist"]),
];
const namespace = "alerts-dal-test";
const serviceName = "fraud-scorer";

describe("alert rules DAL", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let dal: typeof AlertsDal;
  /** A KServe that refuses every call (403 is not retried), so the page's "could not read KServe" path is quick. */
  const refusingKServe = createServer((_request, response) =>
    response
      .writeHead(403, { "content-type": "application/json" })
      .end('{"kind":"Status","code":403,"reason":"Forbidden"}'),
  );

  beforeAll(async () => {
    database = await createTestDatabase("alerts_dal_test");
    refusingKServe.listen(0, "127.0.0.1");
    await once(refusingKServe, "listening");
    // getDb() and the cloud clients read the configuration on first use.
    process.env.DATABASE_URL = database.url;
    process.env.SANDBOX_URL = `http://127.0.0.1:${(refusingKServe.address() as AddressInfo).port}`;
    dal = await import("./alerts");
    db = createPrismaClient(database.url);
  });

  afterAll(async () => {
    refusingKServe.close();
    await db?.$disconnect();
    const { getDb } = await import("@/lib/db/client");
    await getDb().$disconnect();
    await database?.drop();
  });

  const auditOf = (entityId: string) =>
    db.auditEvent.findMany({
      where: { entityType: "AlertRule", entityId },
      orderBy: { seq: "asc" },
      select: { action: true, actorName: true, before: true, after: true },
    });

  it("lets on-call and admins create and change a rule, each change audited with what it was", async () => {
    const created = await dal.saveAlertRule(onCall, {
      namespace,
      serviceName,
      kind: "ERROR_RATE",
      threshold: 0.05,
      forMinutes: 5,
      isEnabled: true,
    });
    expect(created).toMatchObject({
      namespace,
      serviceName,
      kind: "ERROR_RATE",
      threshold: 0.05,
      forMinutes: 5,
      isEnabled: true,
      description: "error rate > 5.0 % for 5 min",
    });
    const changed = await dal.saveAlertRule(admin, {
      namespace,
      serviceName,
      kind: "ERROR_RATE",
      threshold: 0.1,
      forMinutes: 0,
      isEnabled: false,
    });
    expect(changed.id).toBe(created.id);
    expect(await auditOf(created.id)).toEqual([
      {
        action: "alert-rule.saved",
        actorName: "OnCall",
        before: null,
        after: {
          namespace,
          serviceName,
          kind: "ERROR_RATE",
          threshold: 0.05,
          forMinutes: 5,
          isEnabled: true,
        },
      },
      {
        action: "alert-rule.saved",
        actorName: "Admin",
        before: { threshold: 0.05, forMinutes: 5, isEnabled: true },
        after: {
          namespace,
          serviceName,
          kind: "ERROR_RATE",
          threshold: 0.1,
          forMinutes: 0,
          isEnabled: false,
        },
      },
    ]);
  });

  it("refuses risk officers and data scientists, writing nothing", async () => {
    for (const user of [riskOfficer, dataScientist]) {
      await expect(
        dal.saveAlertRule(user, { namespace, serviceName, kind: "NO_DATA", threshold: 10, forMinutes: 0 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await db.alertRule.count({ where: { kind: "NO_DATA" } })).toBe(0);
  });

  it("lists a service's rules for anyone who reads monitoring, saying who may change them and that KServe was not reachable", async () => {
    const page = await dal.listAlertRules(riskOfficer, { namespace, serviceName });
    expect(page.canConfigure).toBe(false);
    expect(page.fleetError).toMatch(/KServe could not be read/);
    expect(page.services).toEqual([
      {
        namespace,
        serviceName,
        href: `/monitoring/${namespace}/${serviceName}`,
        isServed: false,
        // Not read from KServe, so not known to be an LLM: the LLM kinds are not offered.
        availableKinds: ["LATENCY_P95", "ERROR_RATE", "DRIFT_SHARE", "NO_DATA"],
        rules: [expect.objectContaining({ kind: "ERROR_RATE", isEnabled: false })],
      },
    ]);
    expect((await dal.listAlertRules(onCall, { namespace })).canConfigure).toBe(true);
    await expect(dal.listAlertRules(dataScientist)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("deletes a rule with its alerts, audits what it was, and reads a second delete or a bad id as not found", async () => {
    const rule = await dal.saveAlertRule(onCall, {
      namespace,
      serviceName,
      kind: "LATENCY_P95",
      threshold: 500,
      forMinutes: 5,
    });
    await db.alert.create({
      data: {
        ruleId: rule.id,
        state: "RESOLVED",
        summary: "p95 latency 900 ms > 500 ms",
        resolvedAt: new Date(),
      },
    });
    await expect(dal.deleteAlertRule(dataScientist, rule.id)).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(await dal.deleteAlertRule(onCall, rule.id)).toEqual({ id: rule.id });
    expect(await db.alert.count({ where: { ruleId: rule.id } })).toBe(0);
    expect((await auditOf(rule.id)).at(-1)).toEqual({
      action: "alert-rule.deleted",
      actorName: "OnCall",
      before: {
        namespace,
        serviceName,
        kind: "LATENCY_P95",
        threshold: 500,
        forMinutes: 5,
        isEnabled: true,
        alerts: 1,
      },
      after: null,
    });
    await expect(dal.deleteAlertRule(onCall, rule.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(dal.deleteAlertRule(onCall, "not-a-rule-id")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("ends a silence early, once: the header count sees its firing alerts again and the audit says who", async () => {
    await db.user.create({
      data: { id: onCall.id, entraObjectId: onCall.oid, name: "OnCall", roles: ["OnCall"] },
    });
    const rule = await dal.saveAlertRule(onCall, {
      namespace,
      serviceName: "silenced-svc",
      kind: "ERROR_RATE",
      threshold: 0.05,
      forMinutes: 0,
    });
    await db.alert.create({
      data: { ruleId: rule.id, state: "FIRING", summary: "error rate 9 % > 5 %", firedAt: new Date() },
    });
    const before = await dal.countFiringAlerts(onCall);
    const silence = await dal.createSilence(onCall, {
      namespace,
      serviceName: "silenced-svc",
      durationMinutes: 60,
      reason: "deploying a fix",
    });
    expect(await dal.countFiringAlerts(onCall)).toBe(before - 1);

    await expect(dal.endSilence(riskOfficer, silence.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const ended = await dal.endSilence(onCall, silence.id);
    expect(Date.parse(ended.endsAt)).toBeLessThanOrEqual(Date.now());
    expect(await dal.listActiveSilences(onCall, namespace, "silenced-svc")).toEqual([]);
    expect(await dal.countFiringAlerts(onCall)).toBe(before);
    await expect(dal.endSilence(onCall, silence.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(dal.endSilence(onCall, "not-a-silence")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const audit = await db.auditEvent.findMany({
      where: { entityType: "AlertSilence", entityId: silence.id },
      orderBy: { seq: "asc" },
      select: { action: true, actorName: true },
    });
    expect(audit).toEqual([
      { action: "alert.silence-created", actorName: "OnCall" },
      { action: "alert.silence-ended", actorName: "OnCall" },
    ]);
  });
});
