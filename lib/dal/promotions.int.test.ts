import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createKServeClient } from "@/lib/clients/kserve";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { createPrometheusClient } from "@/lib/clients/prometheus";
import { createSqlClient } from "@/lib/clients/sql";
import { createUnityCatalogClient } from "@/lib/clients/unity-catalog";
import { verifyStoredChain } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { upsertSignedInUser } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { demoPeople } from "@/sandbox/oidc/people";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createPromotionService, type PromotionDeps } from "./promotions";
import { jobIds } from "@/lib/queue/job-ids";

const model = "churn-classifier";
const checklist = ["model-card-reviewed", "fairness-check-done"] as const;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("promotion requests and decisions against the sandbox and PostgreSQL", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  let secondDb: PrismaClient;
  const people: Record<string, CurrentUser> = {};
  const jobs: Array<{ name: string; payload: unknown; jobId: string }> = [];
  let deps: Omit<PromotionDeps, "db">;
  const service = (client: PrismaClient = db) => createPromotionService({ ...deps, db: client });
  const mlflow = () => createMlflowClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token, sleep: async () => undefined });

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    database = await createTestDatabase("promotions_test");
    db = createPrismaClient(database.url);
    secondDb = createPrismaClient(database.url);
    for (const person of demoPeople) {
      const { id } = await upsertSignedInUser(db, person);
      people[person.login] = { id, oid: person.oid, name: person.name, email: person.email, roles: person.roles };
    }
    const getToken = async () => sandbox.token;
    deps = {
      clients: {
        mlflow: mlflow(),
        unityCatalog: createUnityCatalogClient({ baseUrl: sandbox.url, getToken }),
        sql: createSqlClient({ baseUrl: sandbox.url, getToken, warehouseId: "sandbox-warehouse", pollIntervalMs: 50 }),
        kserve: createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" }),
        prometheus: createPrometheusClient({ baseUrl: sandbox.url, getToken }),
      },
      enqueue: async (name, payload, { jobId }) => void jobs.push({ name, payload, jobId }),
      isWebhookEnabled: true,
    };
  });

  afterAll(async () => {
    await db?.$disconnect();
    await secondDb?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  async function registryVersions() {
    const production = (await mlflow().getLatestVersions(model, ["Production"]))[0];
    const staging = (await mlflow().getLatestVersions(model, ["Staging"]))[0];
    return { production: production.version, staging: staging.version, stagingRun: staging.runId! };
  }

  it("captures evidence and gate numbers, refuses self-approval whatever the roles, and needs two officers for Production", async () => {
    const { production, staging } = await registryVersions();
    await db.modelPolicy.create({ data: { modelName: model, primaryMetric: "auc", minimum: 0.5, maxRegression: 0.5, requiredChecklist: [...checklist, "rollback-plan-agreed"], productionApprovals: 2 } });
    const created = await service().requestPromotion(people.alex, { modelName: model, version: staging, target: { kind: "stage", name: "Production" }, justification: "Better AUC on the Q3 holdout", checklist: [...checklist] });
    expect(created).toMatchObject({ status: "OPEN", requiredApprovals: 2, gatesPassed: false });

    const detail = await service().getPromotion(people.riley, created.id);
    expect(detail.evidence.incumbent?.version).toBe(production);
    expect(detail.evidence.candidate.metrics.auc).toBeGreaterThan(0);
    expect(detail.evidence.dataset.fullName).toBe("main.retention.churn_training_2026q3");
    expect(detail.evidence.liveHealth.status).toBe("known");
    expect(detail.evidence.liveHealth.serviceName).toBe("churn-classifier");
    const minimum = detail.gates.find((g) => g.id === "minimum")!;
    expect(minimum).toMatchObject({ passed: true, actual: detail.evidence.candidate.metrics.auc, threshold: 0.5 });
    const regression = detail.gates.find((g) => g.id === "regression")!;
    expect(regression.threshold).toBeCloseTo(detail.evidence.incumbent!.metrics.auc - 0.5, 10);
    expect(detail.gates.find((g) => g.id === "checklist:rollback-plan-agreed")).toMatchObject({ passed: false });

    const officers = await db.notification.findMany({ where: { title: { contains: "Promotion to review" } }, select: { userId: true } });
    expect(officers.map((n) => n.userId).sort()).toEqual([people.riley.id, people.morgan.id].sort());

    const own = await refusal(service().decide(people.alex, created.id, { decision: "APPROVE", comment: "looks fine" }));
    expect(own).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("four-eyes") });
    expect((await service().getPromotion(people.alex, created.id)).permissions).toMatchObject({ canDecide: false, decideBlockedReason: expect.stringContaining("four-eyes") });

    expect(await service().decide(people.riley, created.id, { decision: "APPROVE", comment: "Evidence is sound" })).toMatchObject({ status: "OPEN", approvals: 1 });
    expect(await refusal(service().decide(people.riley, created.id, { decision: "APPROVE", comment: "again" }))).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already approved") });
    expect(jobs.some((j) => j.name === "mlflow.apply-promotion")).toBe(false);
    expect(await service().decide(people.morgan, created.id, { decision: "APPROVE", comment: "Second pair of eyes agrees" })).toMatchObject({ status: "APPROVED", approvals: 2 });
    expect(jobs.filter((j) => j.name === "mlflow.apply-promotion")).toEqual([{ name: "mlflow.apply-promotion", payload: { requestId: created.id }, jobId: jobIds.applyPromotion(created.id) }]);

    const actions = (await db.auditEvent.findMany({ where: { entityId: created.id }, orderBy: { seq: "asc" } })).map((e) => `${e.actorName}: ${e.action}`);
    expect(actions).toEqual(["Alex Kim: promotion.requested", "Alex Kim: promotion.gates-evaluated", "Riley Chen: promotion.approved", "Morgan Lee: promotion.approved"]);
    expect(await db.notification.count({ where: { userId: people.alex.id } })).toBe(2);
    expect(jobs.filter((j) => j.name === "webhook.notify")).toHaveLength(3);
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true });
  });

  it("lets exactly one of two officers deciding at the same moment win, and tells the other who did", async () => {
    const { staging } = await registryVersions();
    for (const [index, decisions] of (
      [
        ["APPROVE", "APPROVE"],
        ["APPROVE", "REJECT"],
        ["REJECT", "APPROVE"],
      ] as const
    ).entries()) {
      const alias = `race-${index}`;
      const { id } = await service().requestPromotion(people.dana, { modelName: model, version: staging, target: { kind: "alias", name: alias }, justification: "Shadow traffic target for the race test", checklist: [...checklist] });
      const outcomes = await Promise.allSettled([
        service(db).decide(people.riley, id, { decision: decisions[0], comment: "Riley decides" }),
        service(secondDb).decide(people.morgan, id, { decision: decisions[1], comment: "Morgan decides" }),
      ]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toMatchObject({ code: "CONFLICT", status: 409 });
      expect(lost[0].reason.message).toMatch(/^(Riley Chen|Morgan Lee) (approved|rejected) this request \d+ seconds? ago; your decision was not recorded\.$/);
      expect(await db.promotionDecision.count({ where: { requestId: id } })).toBe(1);
      expect(await db.auditEvent.count({ where: { entityId: id, action: { in: ["promotion.approved", "promotion.rejected"] } } })).toBe(1);
    }
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true });
  });

  it("makes an open request stale when a new version is registered, blocks its approval, and reopens it on refresh", async () => {
    const { production, stagingRun } = await registryVersions();
    const { id } = await service().requestPromotion(people.dana, { modelName: model, version: production, target: { kind: "alias", name: "fallback" }, justification: "Keep a known-good fallback alias", checklist: [...checklist] });
    const newVersion = await mlflow().createModelVersion({ name: model, source: `runs:/${stagingRun}/model`, runId: stagingRun });

    const queue = await service().listPromotions(people.riley, { scope: "queue", limit: 50 });
    expect(queue.find((r) => r.id === id)).toMatchObject({ status: "STALE", staleReason: expect.stringContaining(`version ${newVersion.version} was registered`) });
    expect(await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "ok" }))).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("stale") });
    expect(await refusal(service().refresh(people.sam, id, {}))).toMatchObject({ code: "FORBIDDEN" });

    expect(await service().refresh(people.dana, id, {})).toMatchObject({ status: "OPEN" });
    expect((await service().getPromotion(people.riley, id)).evidence.latestVersion).toBe(newVersion.version);
    expect(await service().decide(people.riley, id, { decision: "APPROVE", comment: "Fresh evidence is fine" })).toMatchObject({ status: "APPROVED" });
  });

  it("makes an open request stale when the incumbent changes", async () => {
    const { production, staging } = await registryVersions();
    const { id } = await service().requestPromotion(people.dana, { modelName: model, version: staging, target: { kind: "alias", name: "champion" }, justification: "Promote the staging model to champion", checklist: [...checklist] });
    const previous = (await service().getPromotion(people.dana, id)).incumbentVersion;
    await mlflow().setAlias(model, "champion", previous === production ? "1" : production);
    const error = await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "ok" }));
    expect(error.message).toContain("the incumbent changed");
    expect(await db.promotionRequest.findUniqueOrThrow({ where: { id }, select: { status: true } })).toEqual({ status: "STALE" });
  });

  it("answers 404 for an unknown version and 503 when the registry is down, creating nothing", async () => {
    const before = await db.promotionRequest.count();
    const input = { modelName: model, version: "999", target: { kind: "alias" as const, name: "nowhere" }, justification: "Version that does not exist", checklist: [] };
    expect(await refusal(service().requestPromotion(people.dana, input))).toMatchObject({ code: "NOT_FOUND" });
    await sandbox.injectFaults([{ path: "/api/2.0/mlflow/model-versions/get", status: 503 }]);
    try {
      const down = await refusal(service().requestPromotion(people.dana, { ...input, version: "1" }));
      expect(down).toMatchObject({ code: "UNAVAILABLE", status: 503, message: expect.stringContaining("model registry could not be read") });
    } finally {
      await sandbox.clearFaults();
    }
    expect(await db.promotionRequest.count()).toBe(before);
  });

  it("refuses every mutation to the roles that may not make it", async () => {
    const { staging } = await registryVersions();
    const { id } = await service().requestPromotion(people.dana, { modelName: model, version: staging, target: { kind: "alias", name: "authz" }, justification: "Authorization test request", checklist: [] });
    const input = { modelName: model, version: staging, target: { kind: "alias" as const, name: "authz-2" }, justification: "Not allowed to ask", checklist: [] };
    const attempts: Record<string, Array<[string, () => Promise<unknown>]>> = {
      requestPromotion: ["riley", "morgan", "omar", "ada"].map((who) => [who, () => service().requestPromotion(people[who], input)]),
      decide: ["dana", "sam", "omar", "ada"].map((who) => [who, () => service().decide(people[who], id, { decision: "APPROVE", comment: "not mine to decide" })]),
      withdraw: ["sam", "riley", "omar", "ada"].map((who) => [who, () => service().withdraw(people[who], id)]),
      refresh: ["sam", "riley", "omar", "ada"].map((who) => [who, () => service().refresh(people[who], id, {})]),
      comment: ["sam", "omar", "ada"].map((who) => [who, () => service().comment(people[who], id, "not my request")]),
    };
    for (const [mutation, tries] of Object.entries(attempts)) {
      for (const [who, attempt] of tries) {
        const error = await refusal(attempt());
        expect({ mutation, who, code: error.code }).toEqual({ mutation, who, code: "FORBIDDEN" });
      }
    }
    expect(await db.promotionRequest.findUniqueOrThrow({ where: { id }, select: { status: true, revision: true } })).toEqual({ status: "OPEN", revision: 0 });
    await service().comment(people.dana, id, "Context for reviewers");
    expect(await service().withdraw(people.dana, id)).toMatchObject({ status: "WITHDRAWN" });
    expect(await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "too late" }))).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Dana Nguyen withdrew") });
  });
});
