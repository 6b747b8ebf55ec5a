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
import { createPoliciesStore } from "./policies";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { logger } from "@/lib/logger";
import { evaluateRequestGates } from "@/workers/handlers/promotions";
import { createPromotionService, type PromotionDeps } from "./promotions";
import { jobIds } from "@/lib/queue/job-ids";

const model = "churn-classifier";

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
  const mlflow = () =>
    createMlflowClient({
      baseUrl: sandbox.url,
      getToken: async () => sandbox.token,
      sleep: async () => undefined,
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
    database = await createTestDatabase("promotions_test");
    db = createPrismaClient(database.url);
    secondDb = createPrismaClient(database.url);
    for (const person of demoPeople) {
      const { id } = await upsertSignedInUser(db, person);
      people[person.login] = {
        id,
        oid: person.oid,
        name: person.name,
        email: person.email,
        roles: person.roles,
      };
    }
    const getToken = async () => sandbox.token;
    deps = {
      clients: {
        mlflow: mlflow(),
        unityCatalog: createUnityCatalogClient({ baseUrl: sandbox.url, getToken }),
        sql: createSqlClient({
          baseUrl: sandbox.url,
          getToken,
          warehouseId: "sandbox-warehouse",
          pollIntervalMs: 50,
        }),
        kserve: createKServeClient({ apiUrl: sandbox.url, getToken, namespace: "models" }),
        prometheus: createPrometheusClient({ baseUrl: sandbox.url, getToken }),
      },
      enqueue: async (name, payload, { jobId }) => {
        jobs.push({ name, payload, jobId });
        // The worker's gate evaluation, run as soon as it is enqueued (the real handler against the sandbox).
        if (name === "mlflow.evaluate-gates")
          await evaluateRequestGates(
            (payload as { requestId: string }).requestId,
            {
              db,
              clients: deps.clients,
              config: { NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9/hook" },
              producer: {
                enqueue: async (n, p, o) => void jobs.push({ name: n, payload: p, jobId: o?.jobId ?? "" }),
              },
            },
            logger,
          );
      },
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

  it("has the worker judge the pinned policy, blocks approval on failed gates until two officers override, and needs two officers for Production", async () => {
    const { production, staging } = await registryVersions();
    await db.promotionPolicy.create({
      data: {
        modelName: model,
        target: "*",
        version: 1,
        metrics: [{ key: "auc", direction: "higher", isRequired: true, minimum: 0.5, maxRegression: 0.5 }],
        requiredEvidence: ["model-card"],
        approvals: 1,
        effectiveFrom: new Date(Date.now() - 1000),
        note: "test policy",
        createdById: people.ada.id,
      },
    });
    const created = await service().requestPromotion(people.alex, {
      modelName: model,
      version: staging,
      target: { kind: "stage", name: "Production" },
      justification: "Better AUC on the Q3 holdout",
    });
    expect(created).toMatchObject({ status: "EVALUATING", requiredApprovals: 2 });

    const detail = await service().getPromotion(people.riley, created.id);
    expect(detail).toMatchObject({ status: "OPEN", gatesPassed: false, policy: { target: "*", version: 1 } });
    const evidence = detail.evidence!;
    expect(evidence.incumbent).toMatchObject({ version: production, heldTarget: "Production" });
    expect(evidence.candidate.metrics.auc).toBeGreaterThan(0);
    expect(evidence.dataset.fullName).toBe("main.retention.churn_training_2026q3");
    expect(evidence.liveHealth).toMatchObject({ status: "known", serviceName: "churn-classifier" });
    expect(detail.gates.find((g) => g.id === "metric:auc:minimum")).toMatchObject({
      passed: true,
      actual: evidence.candidate.metrics.auc,
      threshold: 0.5,
    });
    expect(detail.gates.find((g) => g.id === "metric:auc:regression")!.threshold).toBeCloseTo(
      evidence.incumbent!.metrics.auc - 0.5,
      10,
    );
    expect(detail.gates.find((g) => g.id === "evidence:model-card")).toMatchObject({
      passed: false,
      detail: "No model_card tag on the version or its run.",
    });

    const officers = await db.notification.findMany({
      where: { title: { contains: "Promotion to review" } },
      select: { userId: true, body: true },
    });
    expect(officers.map((n) => n.userId).sort()).toEqual([people.riley.id, people.morgan.id].sort());
    expect(officers[0].body).toBe("To Production: blocked by Model card.");

    const own = await refusal(
      service().decide(people.alex, created.id, { decision: "APPROVE", comment: "looks fine" }),
    );
    expect(own).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("four-eyes") });
    expect(
      await refusal(
        service().override(people.alex, created.id, { step: "propose", reason: "I asked for it myself" }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusal(
        service().decide(people.riley, created.id, { decision: "APPROVE", comment: "Evidence is sound" }),
      ),
    ).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Blocked by a failed gate: Model card"),
    });

    await service().override(people.riley, created.id, {
      step: "propose",
      reason: "The model card is in review in Confluence; ship behind the canary.",
    });
    expect(await refusal(service().override(people.riley, created.id, { step: "confirm" }))).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("second officer"),
    });
    expect(
      await refusal(
        service().decide(people.riley, created.id, { decision: "APPROVE", comment: "Evidence is sound" }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
    await service().override(people.morgan, created.id, { step: "confirm" });
    expect((await service().getPromotion(people.riley, created.id)).override).toMatchObject({
      proposedBy: "Riley Chen",
      confirmedBy: "Morgan Lee",
      gateIds: ["evidence:model-card"],
    });

    expect(
      await service().decide(people.riley, created.id, { decision: "APPROVE", comment: "Evidence is sound" }),
    ).toMatchObject({ status: "OPEN", approvals: 1 });
    expect(
      await refusal(service().decide(people.riley, created.id, { decision: "APPROVE", comment: "again" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already approved") });
    expect(jobs.some((j) => j.name === "mlflow.apply-promotion")).toBe(false);
    expect(
      await service().decide(people.morgan, created.id, {
        decision: "APPROVE",
        comment: "Second pair of eyes agrees",
      }),
    ).toMatchObject({ status: "APPROVED", approvals: 2 });
    expect(jobs.filter((j) => j.name === "mlflow.apply-promotion")).toEqual([
      {
        name: "mlflow.apply-promotion",
        payload: { requestId: created.id },
        jobId: jobIds.applyPromotion(created.id),
      },
    ]);

    const actions = (
      await db.auditEvent.findMany({ where: { entityId: created.id }, orderBy: { seq: "asc" } })
    ).map((e) => `${e.actorName}: ${e.action}`);
    expect(actions).toEqual([
      "Alex Kim: promotion.requested",
      "Switchboard worker: promotion.gates-evaluated",
      "Riley Chen: promotion.override-proposed",
      "Morgan Lee: promotion.override-confirmed",
      "Riley Chen: promotion.approved",
      "Morgan Lee: promotion.approved",
    ]);
    expect(await db.notification.count({ where: { userId: people.alex.id } })).toBe(3);
    // Told by permission (promotions:decide), never the requester nor the officer who acted.
    const told = async (title: string) =>
      (
        await db.notification.findMany({ where: { title: { contains: title } }, select: { userId: true } })
      ).map((n) => n.userId);
    expect(await told("Override to confirm")).toEqual([people.morgan.id]);
    expect(await told("Second approval needed")).toEqual([people.morgan.id]);
    expect(jobs.filter((j) => j.name === "webhook.notify")).toHaveLength(6);
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true });
    // Policies change by a new version, never an edit: the later tests run under one with no gates.
    await db.promotionPolicy.create({
      data: {
        modelName: model,
        target: "*",
        version: 2,
        metrics: [],
        requiredEvidence: [],
        approvals: 1,
        effectiveFrom: new Date(),
        note: "relaxed for the next tests",
        createdById: people.ada.id,
      },
    });
    await expect(db.$executeRaw`UPDATE promotion_policies SET approvals = 5`).rejects.toThrow(/append-only/);
  });

  /** A new registered model, and a function that registers a version from a run logging `metrics`. */
  async function registeredModel(name: string) {
    const client = mlflow();
    const { experimentId } = await client.ensureExperiment(`/Shared/${name}`);
    await client.createRegisteredModel(name);
    return async (metrics: Record<string, number>) => {
      const run = await client.createRun({ experimentId });
      await client.logBatch(run.info.runId, {
        metrics: Object.entries(metrics).map(([key, value]) => ({
          key,
          value,
          timestamp: Date.now(),
          step: 0,
        })),
      });
      const source = `runs:/${run.info.runId}/model`;
      return (await client.createModelVersion({ name, source, runId: run.info.runId })).version;
    };
  }

  it("judges higher- and lower-is-better metrics and missing ones, comparing an empty Staging with Production", async () => {
    const name = `gates-${Date.now().toString(36)}`;
    const client = mlflow();
    const version = await registeredModel(name);
    const incumbent = await version({ auc: 0.869, f1: 0.621, val_loss: 0.315 });
    await client.transitionStage(name, incumbent, "Production");
    const worse = await version({ auc: 0.8, val_loss: 0.4 });
    const better = await version({ auc: 0.88, f1: 0.64, val_loss: 0.29 });
    await db.promotionPolicy.create({
      data: {
        modelName: name,
        target: "Staging",
        version: 1,
        metrics: [
          { key: "auc", direction: "higher", isRequired: true, minimum: null, maxRegression: 0.01 },
          { key: "f1", direction: "higher", isRequired: true, minimum: null, maxRegression: 0 },
          { key: "val_loss", direction: "lower", isRequired: true, minimum: 0.35, maxRegression: 0.02 },
        ],
        requiredEvidence: [],
        approvals: 1,
        effectiveFrom: new Date(Date.now() - 1000),
        note: "integration test",
        createdById: people.ada.id,
      },
    });
    const judge = async (candidate: string) => {
      const { id } = await service().requestPromotion(people.dana, {
        modelName: name,
        version: candidate,
        target: { kind: "stage", name: "Staging" },
        justification: "Gate evaluation integration test",
      });
      return service().getPromotion(people.riley, id);
    };
    const blocked = await judge(worse);
    expect(blocked.evidence!.incumbent).toMatchObject({ version: incumbent, heldTarget: "Production" });
    expect(blocked.gates.filter((g) => !g.passed).map((g) => [g.id, g.detail])).toEqual([
      [
        "metric:auc:regression",
        `Candidate 0.8 vs incumbent v${incumbent} (Production) 0.869: worse by 0.069, higher is better (tolerance 0.01).`,
      ],
      ["metric:f1:present", "The candidate's run has no f1 metric."],
      ["metric:f1:regression", "Cannot compare: the candidate has no f1 metric."],
      ["metric:val_loss:minimum", "Candidate val_loss is 0.4: misses 0.35 (lower is better)."],
      [
        "metric:val_loss:regression",
        `Candidate 0.4 vs incumbent v${incumbent} (Production) 0.315: worse by 0.085, lower is better (tolerance 0.02).`,
      ],
    ]);
    expect(blocked.permissions.decideBlockedReason).toContain(
      "Blocked by a failed gate: auc at most 0.01 worse than the incumbent; f1 is recorded",
    );
    const passed = await judge(better);
    expect(passed).toMatchObject({ gatesPassed: true, status: "OPEN" });
    expect(passed.gates.find((g) => g.id === "metric:val_loss:regression")!.detail).toContain(
      "better by 0.025, lower is better",
    );
  });

  it("gates an LLM fine-tune on its evaluation metrics: a worse one is blocked by name, a better one passes", async () => {
    const name = `support-llm-lora-${Date.now().toString(36)}`;
    const client = mlflow();
    // The keys the fine-tuning job logs (sandbox/databricks/programs/fine-tuning-simulation.ts).
    const fineTune: (metrics: { rouge_l: number; exact_match: number; toxicity: number }) => Promise<string> =
      await registeredModel(name);
    const incumbent = await fineTune({ rouge_l: 0.46, exact_match: 0.3, toxicity: 0.012 });
    await client.transitionStage(name, incumbent, "Production");
    const worse = await fineTune({ rouge_l: 0.41, exact_match: 0.31, toxicity: 0.019 });
    const better = await fineTune({ rouge_l: 0.49, exact_match: 0.33, toxicity: 0.008 });
    // Saved through the admin's own path, directions as the policy form would propose them.
    await createPoliciesStore(db).savePolicy(people.ada, {
      modelName: name,
      target: "Production",
      metrics: [
        { key: "rouge_l", direction: "higher", isRequired: true, minimum: 0.4, maxRegression: 0.02 },
        { key: "toxicity", direction: "lower", isRequired: true, minimum: 0.02, maxRegression: 0.002 },
        { key: "exact_match", direction: "higher", isRequired: false, minimum: null, maxRegression: 0.05 },
      ],
      requiredEvidence: [],
      approvals: 1,
      note: "LLM fine-tunes: ROUGE-L and toxicity gates",
    });
    const judge = async (candidate: string) => {
      const { id } = await service().requestPromotion(people.dana, {
        modelName: name,
        version: candidate,
        target: { kind: "stage", name: "Production" },
        justification: "LoRA fine-tune evaluation",
      });
      return service().getPromotion(people.riley, id);
    };
    const blocked = await judge(worse);
    expect(blocked.gatesPassed).toBe(false);
    expect(blocked.gates.filter((g) => !g.passed).map((g) => [g.id, g.detail])).toEqual([
      [
        "metric:rouge_l:regression",
        `Candidate 0.41 vs incumbent v${incumbent} (Production) 0.46: worse by 0.05, higher is better (tolerance 0.02).`,
      ],
      [
        "metric:toxicity:regression",
        `Candidate 0.019 vs incumbent v${incumbent} (Production) 0.012: worse by 0.007, lower is better (tolerance 0.002).`,
      ],
    ]);
    expect(blocked.permissions.decideBlockedReason).toContain(
      "Blocked by a failed gate: rouge_l at most 0.02 worse",
    );
    expect(blocked.gates.find((g) => g.id === "metric:rouge_l:minimum")).toMatchObject({
      passed: true,
      actual: 0.41,
    });
    const passed = await judge(better);
    expect(passed).toMatchObject({ gatesPassed: true, status: "OPEN" });
    expect(passed.gates.find((g) => g.id === "metric:toxicity:regression")!.detail).toContain(
      "better by 0.004, lower is better",
    );
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
      const { id } = await service().requestPromotion(people.dana, {
        modelName: model,
        version: staging,
        target: { kind: "alias", name: alias },
        justification: "Shadow traffic target for the race test",
      });
      const outcomes = await Promise.allSettled([
        service(db).decide(people.riley, id, { decision: decisions[0], comment: "Riley decides" }),
        service(secondDb).decide(people.morgan, id, { decision: decisions[1], comment: "Morgan decides" }),
      ]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toMatchObject({ code: "CONFLICT", status: 409 });
      expect(lost[0].reason.message).toMatch(
        /^(Riley Chen|Morgan Lee) (approved|rejected) this request \d+ seconds? ago; your decision was not recorded\.$/,
      );
      expect(await db.promotionDecision.count({ where: { requestId: id } })).toBe(1);
      expect(
        await db.auditEvent.count({
          where: { entityId: id, action: { in: ["promotion.approved", "promotion.rejected"] } },
        }),
      ).toBe(1);
    }
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true });
  });

  it("makes an open request stale when a new version is registered, blocks its approval, and reopens it on refresh", async () => {
    const { production, stagingRun } = await registryVersions();
    const { id } = await service().requestPromotion(people.dana, {
      modelName: model,
      version: production,
      target: { kind: "alias", name: "fallback" },
      justification: "Keep a known-good fallback alias",
    });
    const newVersion = await mlflow().createModelVersion({
      name: model,
      source: `runs:/${stagingRun}/model`,
      runId: stagingRun,
    });

    const queue = await service().listPromotions(people.riley, { scope: "queue", limit: 50 });
    expect(queue.find((r) => r.id === id)).toMatchObject({
      status: "STALE",
      staleReason: expect.stringContaining(`version ${newVersion.version} was registered`),
    });
    expect(
      await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "ok" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("stale") });
    expect(await refusal(service().refresh(people.sam, id))).toMatchObject({ code: "FORBIDDEN" });

    expect(await service().refresh(people.dana, id)).toMatchObject({ status: "EVALUATING" });
    expect((await service().getPromotion(people.riley, id)).evidence!.latestVersion).toBe(newVersion.version);
    expect(
      await service().decide(people.riley, id, { decision: "APPROVE", comment: "Fresh evidence is fine" }),
    ).toMatchObject({ status: "APPROVED" });
  });

  it("makes an open request stale when the incumbent changes", async () => {
    const { production, staging } = await registryVersions();
    const { id } = await service().requestPromotion(people.dana, {
      modelName: model,
      version: staging,
      target: { kind: "alias", name: "champion" },
      justification: "Promote the staging model to champion",
    });
    const previous = (await service().getPromotion(people.dana, id)).incumbentVersion;
    await mlflow().setAlias(model, "champion", previous === production ? "1" : production);
    const error = await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "ok" }));
    expect(error.message).toContain("the incumbent changed");
    expect(await db.promotionRequest.findUniqueOrThrow({ where: { id }, select: { status: true } })).toEqual({
      status: "STALE",
    });
  });

  it("takes an alias deleted meanwhile as 'no holder' (MLflow answers 400, not 404): stale, then approvable", async () => {
    const { production } = await registryVersions();
    await mlflow().setAlias(model, "champion", production);
    // An archived version, so no request left open by the tests above is for the same version and alias.
    const { id } = await service().requestPromotion(people.dana, {
      modelName: model,
      version: "2",
      target: { kind: "alias", name: "champion" },
      justification: "Bring back the archived model as champion",
    });
    expect((await service().getPromotion(people.dana, id)).incumbentVersion).toBe(production);
    await mlflow().deleteAlias(model, "champion");
    const error = await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "ok" }));
    expect(error).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("the incumbent changed"),
    });
    expect(await service().refresh(people.dana, id)).toMatchObject({ status: "EVALUATING" });
    expect((await service().getPromotion(people.riley, id)).incumbentVersion).toBeNull();
    // @champion is a production target: two officers approve.
    expect(
      await service().decide(people.riley, id, { decision: "APPROVE", comment: "Nothing to displace" }),
    ).toMatchObject({ status: "OPEN" });
    expect(
      await service().decide(people.morgan, id, { decision: "APPROVE", comment: "Agreed" }),
    ).toMatchObject({ status: "APPROVED" });
    await mlflow().setAlias(model, "champion", production);
  });

  it("answers 404 for an unknown version and 503 when the registry is down, creating nothing", async () => {
    const before = await db.promotionRequest.count();
    const input = {
      modelName: model,
      version: "999",
      target: { kind: "alias" as const, name: "nowhere" },
      justification: "Version that does not exist",
    };
    expect(await refusal(service().requestPromotion(people.dana, input))).toMatchObject({
      code: "NOT_FOUND",
    });
    await sandbox.injectFaults([{ path: "/api/2.0/mlflow/model-versions/get", status: 503 }]);
    try {
      const down = await refusal(service().requestPromotion(people.dana, { ...input, version: "1" }));
      expect(down).toMatchObject({
        code: "UNAVAILABLE",
        status: 503,
        message: expect.stringContaining("MLflow failed to return this model's versions and aliases"),
      });
    } finally {
      await sandbox.clearFaults();
    }
    expect(await db.promotionRequest.count()).toBe(before);
  });

  it("refuses every mutation to the roles that may not make it", async () => {
    const { staging } = await registryVersions();
    const { id } = await service().requestPromotion(people.dana, {
      modelName: model,
      version: staging,
      target: { kind: "alias", name: "authz" },
      justification: "Authorization test request",
    });
    const input = {
      modelName: model,
      version: staging,
      target: { kind: "alias" as const, name: "authz-2" },
      justification: "Not allowed to ask",
    };
    const attempts: Record<string, Array<[string, () => Promise<unknown>]>> = {
      requestPromotion: ["riley", "morgan", "omar", "ada"].map((who) => [
        who,
        () => service().requestPromotion(people[who], input),
      ]),
      decide: ["dana", "sam", "omar", "ada"].map((who) => [
        who,
        () => service().decide(people[who], id, { decision: "APPROVE", comment: "not mine to decide" }),
      ]),
      withdraw: ["sam", "riley", "omar", "ada"].map((who) => [
        who,
        () => service().withdraw(people[who], id),
      ]),
      refresh: ["sam", "riley", "omar", "ada"].map((who) => [who, () => service().refresh(people[who], id)]),
      override: ["dana", "sam", "omar", "ada"].map((who) => [
        who,
        () => service().override(people[who], id, { step: "propose", reason: "not allowed to override" }),
      ]),
      comment: ["sam", "omar", "ada"].map((who) => [
        who,
        () => service().comment(people[who], id, "not my request"),
      ]),
    };
    for (const [mutation, tries] of Object.entries(attempts)) {
      for (const [who, attempt] of tries) {
        const error = await refusal(attempt());
        expect({ mutation, who, code: error.code }).toEqual({ mutation, who, code: "FORBIDDEN" });
      }
    }
    expect(
      await db.promotionRequest.findUniqueOrThrow({
        where: { id },
        select: { status: true, revision: true },
      }),
    ).toEqual({ status: "OPEN", revision: 1 });
    await service().comment(people.dana, id, "Context for reviewers");
    expect(await service().withdraw(people.dana, id)).toMatchObject({ status: "WITHDRAWN" });
    expect(
      await refusal(service().decide(people.riley, id, { decision: "APPROVE", comment: "too late" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Dana Nguyen withdrew") });
  });
});
