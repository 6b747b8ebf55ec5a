import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import type { CloudClients } from "@/lib/cloud";
import { createKServeClient, summariseService, type KServeClient } from "@/lib/clients/kserve";
import { createMlflowClient, type MlflowClient } from "@/lib/clients/mlflow";
import type { Config } from "@/lib/config";
import { createDeploymentsStore, type DeploymentsStore } from "@/lib/dal/deployments";
import { verifyStoredChain } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { JobName, JobPayload } from "@/lib/queue/jobs";
import type { JobProducer } from "@/lib/queue/producer";
import {
  previousVersionAnnotation,
  servedModelAnnotation,
  servedModelOf,
  servedVersionAnnotation,
  servingRevisionsOf,
} from "@/lib/domain/rollout/serving-map";
import { createPrometheusClient } from "@/lib/clients/prometheus";
import { loadLlmCharts } from "@/lib/services/monitoring/llm-charts";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import type { WorkerDeps } from "../registry";
import { applyDeployment } from "./deployments";
import { applyPromotion } from "./promotions";

/**
 * The apply and rollout workers against the sandbox MLflow registry and KServe, with a real
 * PostgreSQL database. Jobs are captured from the producer and run here in order (delays honoured),
 * so each test can also replay a job to prove it does nothing twice.
 */

const log = pino({ level: "silent" });

interface QueuedJob {
  name: JobName;
  payload: Record<string, string>;
  jobId?: string;
  dueAt: number;
}

let sandbox: RunningSandbox;
let database: TestDatabase;
let db: PrismaClient;
let mlflow: MlflowClient;
let kserve: KServeClient;
let deps: WorkerDeps;
let store: DeploymentsStore;
const queued: QueuedJob[] = [];
const seenJobIds = new Set<string>();
const mlflowCalls: string[] = [];
const kservePatches: string[] = [];
let requester: { id: string };
let riley: CurrentUser;
let omar: CurrentUser;
let dana: CurrentUser;

const producer: JobProducer = {
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: { jobId?: string; delayMs?: number } = {},
  ) {
    // BullMQ's jobId dedupe, as the real producer has it.
    if (options.jobId && seenJobIds.has(options.jobId)) return;
    if (options.jobId) seenJobIds.add(options.jobId);
    queued.push({
      name,
      payload: payload as Record<string, string>,
      jobId: options.jobId,
      dueAt: Date.now() + (options.delayMs ?? 0),
    });
  },
  queue: () => {
    throw new Error("not used");
  },
  close: async () => {},
};

/** Runs queued jobs, earliest first, until none is left or `limitMs` passes. */
async function drain(limitMs = 30_000) {
  const deadline = Date.now() + limitMs;
  while (queued.length && Date.now() < deadline) {
    queued.sort((a, b) => a.dueAt - b.dueAt);
    const job = queued.shift()!;
    const wait = job.dueAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (job.name === "mlflow.apply-promotion") await applyPromotion(job.payload.requestId, deps, log);
    else if (job.name === "kserve.apply-deployment")
      await applyDeployment(job.payload.deploymentId, job.jobId, deps, log);
  }
}

async function createApprovedRequest(target: {
  registry: "WORKSPACE" | "UNITY_CATALOG";
  modelName: string;
  version: string;
  targetStage?: string;
  targetAlias?: string;
}) {
  return db.promotionRequest.create({
    data: {
      ...target,
      justification: "Better AUC on the holdout set",
      status: "APPROVED",
      evidence: {},
      gateResults: [],
      gatesPassed: true,
      requestedById: requester.id,
    },
    select: { id: true },
  });
}

const requestRow = (id: string) =>
  db.promotionRequest.findUniqueOrThrow({
    where: { id },
    select: { status: true, applyStep: true, applyError: true, appliedAt: true },
  });
const auditOf = (entityId: string) =>
  db.auditEvent.findMany({
    where: { entityId },
    orderBy: { seq: "asc" },
    select: { action: true, before: true, after: true, actorName: true },
  });
const deploymentsOf = (promotionRequestId: string) =>
  db.deployment.findMany({ where: { promotionRequestId }, orderBy: { createdAt: "asc" } });
const trafficOf = async (name: string) =>
  summariseService(await kserve.get(name, "models"))
    .traffic.filter((t) => t.percent > 0)
    .map((t) => [t.revisionName, t.percent]);

async function person(login: string, roles: CurrentUser["roles"]): Promise<CurrentUser> {
  const oid = randomUUID();
  const row = await db.user.create({
    data: { entraObjectId: oid, name: login, roles },
    select: { id: true },
  });
  return { id: row.id, oid, name: login, email: null, roles };
}

beforeAll(async () => {
  sandbox = await startSandbox({ speed: 60 });
  database = await createTestDatabase("promotions_test");
  db = createPrismaClient(database.url);
  const getToken = async () => sandbox.token;
  const countingFetch: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    if (init?.method === "POST" || init?.method === "PUT") mlflowCalls.push(`${init.method} ${url.pathname}`);
    return fetch(input, init);
  };
  const instant = async () => undefined;
  mlflow = createMlflowClient({
    baseUrl: sandbox.url,
    getToken,
    fetch: countingFetch,
    sleep: instant,
    retryBudgetMs: 2_000,
  });
  const patchCountingFetch: typeof fetch = (input, init) => {
    if (init?.method === "PATCH") kservePatches.push(new URL(String(input)).pathname.split("/").at(-1)!);
    return fetch(input, init);
  };
  kserve = createKServeClient({
    apiUrl: sandbox.url,
    getToken,
    namespace: "models",
    fetch: patchCountingFetch,
    sleep: instant,
    maxAttempts: 2,
  });
  deps = {
    config: {
      KSERVE_NAMESPACE: "models",
      SWITCHBOARD_ROLLOUT_CHECK_MIN_MS: 100,
      SWITCHBOARD_ROLLOUT_CHECK_MAX_MS: 500,
    } as Config,
    db,
    redis: undefined as never,
    producer,
    clients: { mlflow, kserve } as unknown as CloudClients,
    log,
  };
  store = createDeploymentsStore({ db, producer: () => producer, kserve: () => kserve });
  requester = await person("dana-requester", ["DataScientist"]);
  riley = await person("riley", ["ModelRiskOfficer"]);
  omar = await person("omar", ["OnCall"]);
  dana = await person("dana", ["DataScientist"]);
});

afterAll(async () => {
  await db?.$disconnect();
  await sandbox?.close();
  await database?.drop();
});

describe("workspace registry: Production with a canary, then promote", () => {
  it("transitions with archive of the incumbent once, starts a canary at the policy's percent, and promotes it to 100%", async () => {
    await db.promotionPolicy.create({
      data: {
        modelName: "churn-classifier",
        target: "Production",
        version: 1,
        metrics: [],
        approvals: 2,
        canaryPercent: 25,
        effectiveFrom: new Date(),
        note: "canary at 25%",
      },
    });
    const versions = await mlflow.getLatestVersions("churn-classifier", ["Production", "Staging"]);
    const incumbent = versions.find((v) => v.currentStage === "Production")!.version;
    const candidate = versions.find((v) => v.currentStage === "Staging")!.version;
    const before = await kserve.get("churn-classifier", "models");
    const servedBefore = summariseService(before);

    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: "churn-classifier",
      version: candidate,
      targetStage: "Production",
    });
    await producer.enqueue(
      "mlflow.apply-promotion",
      { requestId: request.id },
      { jobId: `apply-${request.id}` },
    );
    mlflowCalls.length = 0;
    await drain(1);
    expect(await requestRow(request.id)).toMatchObject({ status: "APPLIED", applyError: null });
    expect(mlflowCalls.filter((c) => c.endsWith("transition-stage"))).toHaveLength(1);
    expect((await mlflow.getModelVersion("churn-classifier", candidate)).currentStage).toBe("Production");
    expect((await mlflow.getModelVersion("churn-classifier", incumbent)).currentStage).toBe("Archived");

    // The same job again (a redelivery): no second transition, no second deployment, no new audit events.
    const eventsAfterFirst = (await auditOf(request.id)).length;
    mlflowCalls.length = 0;
    await applyPromotion(request.id, deps, log);
    expect(mlflowCalls).toEqual([]);
    expect(await auditOf(request.id)).toHaveLength(eventsAfterFirst);
    const [canary, ...others] = await deploymentsOf(request.id);
    expect(others).toEqual([]);
    expect(canary).toMatchObject({
      action: "CANARY",
      status: "PENDING",
      serviceName: "churn-classifier",
      namespace: "models",
      canaryPercent: 25,
      modelVersion: candidate,
    });
    expect(canary.storageUri).toBe(servedBefore.model.storageUri!.replace(/\/[^/]+$/, `/${candidate}`));
    expect((await auditOf(request.id)).map((e) => e.action)).toEqual([
      "promotion.apply-started",
      "promotion.transition-applied",
    ]);
    const transition = (await auditOf(request.id))[1];
    expect(transition.before).toMatchObject({ stage: "Staging", incumbents: [incumbent] });
    expect(transition.after).toMatchObject({
      stage: "Production",
      version: candidate,
      wasAlreadyApplied: false,
    });

    await drain();
    const settled = await db.deployment.findUniqueOrThrow({ where: { id: canary.id } });
    expect(settled).toMatchObject({
      status: "SUCCEEDED",
      previousRevision: servedBefore.revisions.latestRolledout,
    });
    expect(settled.revisionName).not.toBe(servedBefore.revisions.latestRolledout);
    expect(await trafficOf("churn-classifier")).toEqual([
      [servedBefore.revisions.latestRolledout, 75],
      [settled.revisionName, 25],
    ]);
    const service = await kserve.get("churn-classifier", "models");
    expect(service.metadata.annotations?.[servedModelAnnotation]).toBe("churn-classifier");
    expect((await auditOf(canary.id)).map((e) => e.action)).toEqual([
      "deployment.canary-requested",
      "deployment.canary-applied",
      "deployment.canary-succeeded",
    ]);

    // Promote: refused for a data scientist, done for the risk officer.
    await expect(store.promoteDeployment(dana, canary.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const view = await store.listForRequest(riley, request.id);
    expect(view).toMatchObject({ promotableId: canary.id, canPromote: true, canRollback: false });
    const promote = await store.promoteDeployment(riley, canary.id);
    await expect(store.promoteDeployment(riley, canary.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await drain();
    expect(await db.deployment.findUniqueOrThrow({ where: { id: promote.id } })).toMatchObject({
      status: "SUCCEEDED",
      revisionName: settled.revisionName,
      previousRevision: servedBefore.revisions.latestRolledout,
    });
    expect(await trafficOf("churn-classifier")).toEqual([[settled.revisionName, 100]]);
    expect((await auditOf(promote.id)).map((e) => [e.action, e.actorName])).toEqual([
      ["deployment.promote-requested", "riley"],
      ["deployment.promote-applied", "Switchboard worker"],
      ["deployment.promote-succeeded", "Switchboard worker"],
    ]);
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true });
  });
});

describe("an LLM service: a fine-tune's canary, both revisions on the LLM charts, then a rollback", () => {
  it("starts the canary on the LLM's InferenceService, splits its LLM charts by revision, and rolls back registry and all", async () => {
    const model = `support-assistant-lora-${Date.now().toString(36)}`;
    const serviceName = "assistant-lora";
    await mlflow.createRegisteredModel(model);
    const { experimentId } = await mlflow.ensureExperiment(`/Shared/${model}`);
    const fineTune = async () => {
      const run = await mlflow.createRun({ experimentId, runName: "llm-lora" });
      return (
        await mlflow.createModelVersion({
          name: model,
          source: `runs:/${run.info.runId}/model`,
          runId: run.info.runId,
        })
      ).version;
    };
    const [serving, candidate] = [await fineTune(), await fineTune()];
    await mlflow.transitionStage(model, serving, "Production");
    await kserve.create(
      {
        metadata: {
          name: serviceName,
          annotations: { [servedModelAnnotation]: model, [servedVersionAnnotation]: serving },
        },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: "huggingface" },
              runtime: "kserve-huggingfaceserver",
              storageUri: `https://acct.blob.core.windows.net/llm/assistant-lora/${serving}`,
            },
          },
        },
      },
      "models",
    );
    await expect
      .poll(async () => summariseService(await kserve.get(serviceName, "models")).isReady, {
        timeout: 20_000,
      })
      .toBe(true);
    const first = summariseService(await kserve.get(serviceName, "models")).revisions.latestReady!;

    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: model,
      version: candidate,
      targetStage: "Production",
    });
    await producer.enqueue(
      "mlflow.apply-promotion",
      { requestId: request.id },
      { jobId: `apply-${request.id}` },
    );
    await drain();
    expect(await requestRow(request.id)).toMatchObject({ status: "APPLIED" });
    const [canary] = await deploymentsOf(request.id);
    expect(canary).toMatchObject({
      serviceName,
      status: "SUCCEEDED",
      canaryPercent: 10,
      modelVersion: candidate,
      previousRevision: first,
    });
    expect(await trafficOf(serviceName)).toEqual([
      [first, 90],
      [canary.revisionName, 10],
    ]);

    // On-call sees both revisions on the LLM panels, named with the version each serves and its share.
    const revisions = servingRevisionsOf(await kserve.get(serviceName, "models"), [model]);
    expect(revisions.map((r) => [r.revisionName, r.version, r.percent])).toEqual([
      [first, serving, 90],
      [canary.revisionName, candidate, 10],
    ]);
    const prometheus = createPrometheusClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    await expect
      .poll(
        async () => {
          await fetch(`${sandbox.url}/__sandbox/traffic/advance`, {
            method: "POST",
            headers: { authorization: `Bearer ${sandbox.token}` },
          });
          const charts = await loadLlmCharts(prometheus, {
            namespace: "models",
            service: serviceName,
            range: "1h",
            serving: revisions,
          });
          return charts.queueSize.map((line) => line.label);
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toEqual([`${first} (v${serving}, 90 %)`, `${canary.revisionName} (v${candidate}, 10 %)`]);

    const rollback = await store.rollbackDeployment(omar, {
      namespace: "models",
      serviceName,
      reason: "the fine-tune's first token is slower",
    });
    expect(rollback.promotionRequestId).toBe(request.id);
    await drain();
    expect(await trafficOf(serviceName)).toEqual([[first, 100]]);
    expect(await db.deployment.findUniqueOrThrow({ where: { id: rollback.id } })).toMatchObject({
      status: "SUCCEEDED",
      revisionName: first,
      modelVersion: serving,
      registryStatus: "UPDATED",
      registryNote: `Production moved back to v${serving}, the version serving after the rollback.`,
    });
    expect((await mlflow.getLatestVersions(model, ["Production"]))[0].version).toBe(serving);
    expect(servedModelOf(await kserve.get(serviceName, "models"), [model])).toMatchObject({
      version: serving,
      isRolledBack: true,
    });
    await kserve.delete(serviceName, "models");
  });
});

describe("crash between steps", () => {
  it("finds the registry already changed and records it without applying again", async () => {
    const versions = await mlflow.getLatestVersions("network-anomaly-detector", ["Staging"]);
    const candidate = versions[0].version;
    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: "network-anomaly-detector",
      version: candidate,
      targetStage: "Archived",
    });
    // The first attempt moved the row and changed the registry, then died before recording it.
    await db.promotionRequest.update({
      where: { id: request.id },
      data: { status: "APPLYING", applyStep: "Applying Archived in the registry" },
    });
    await mlflow.transitionStage("network-anomaly-detector", candidate, "Archived");

    mlflowCalls.length = 0;
    await applyPromotion(request.id, deps, log);
    expect(mlflowCalls.filter((c) => c.endsWith("transition-stage"))).toEqual([]);
    expect(await requestRow(request.id)).toMatchObject({ status: "APPLIED", applyStep: "Applied" });
    const [transition] = await auditOf(request.id);
    expect(transition).toMatchObject({
      action: "promotion.transition-applied",
      after: { stage: "Archived", wasAlreadyApplied: true },
    });
    expect(await deploymentsOf(request.id)).toEqual([]);
  });
});

describe("crash between the KServe patch and the row update", () => {
  it("sees the patch already applied, does not patch again, and follows the rollout to the end", async () => {
    const before = summariseService(await kserve.get("support-assistant-llm", "models"));
    const storageUri = before.model.storageUri!.replace(/\/[^/]+$/, "/2");
    const canary = await db.deployment.create({
      data: {
        action: "CANARY",
        namespace: "models",
        serviceName: "support-assistant-llm",
        modelName: "support-assistant",
        modelVersion: "2",
        storageUri,
        canaryPercent: 30,
        requestedById: requester.id,
      },
    });
    // What the first attempt did before dying: the same merge patch, with no trace in the row.
    await kserve.patch(
      "support-assistant-llm",
      {
        metadata: { annotations: { [servedModelAnnotation]: "support-assistant" } },
        spec: { predictor: { canaryTrafficPercent: 30, model: { storageUri } } },
      },
      { namespace: "models" },
    );
    kservePatches.length = 0;
    await producer.enqueue(
      "kserve.apply-deployment",
      { deploymentId: canary.id },
      { jobId: `deploy-${canary.id}` },
    );
    await drain();
    expect(kservePatches).toEqual([]);
    const row = await db.deployment.findUniqueOrThrow({ where: { id: canary.id } });
    expect(row).toMatchObject({ status: "SUCCEEDED", previousRevision: before.revisions.latestRolledout });
    expect(await trafficOf("support-assistant-llm")).toEqual([
      [before.revisions.latestRolledout, 70],
      [row.revisionName, 30],
    ]);
    const applied = (await auditOf(canary.id)).find((e) => e.action === "deployment.canary-applied");
    expect(applied?.after).toMatchObject({ wasAlreadyApplied: true });
  });
});

describe("Unity Catalog: alias moves, canary on an annotated service, rollback", () => {
  it("moves @champion, rolls out to the service annotated with the model, and rolls back on request", async () => {
    const model = "main.ml.churn_classifier";
    const champion = (await mlflow.getUcModelVersionByAlias(model, "champion")).version;
    const challenger = (await mlflow.getUcModelVersionByAlias(model, "challenger")).version;
    expect(challenger).not.toBe(champion);
    await kserve.create(
      {
        metadata: {
          name: "uc-churn",
          annotations: {
            [servedModelAnnotation]: model,
            "serving.switchboard.io/model-version": String(champion),
          },
        },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: "sklearn" },
              storageUri: `https://acct.blob.core.windows.net/uc/churn/${champion}`,
            },
          },
        },
      },
      "models",
    );
    await expect
      .poll(async () => summariseService(await kserve.get("uc-churn", "models")).isReady, { timeout: 10_000 })
      .toBe(true);
    const first = summariseService(await kserve.get("uc-churn", "models")).revisions.latestReady;

    const request = await createApprovedRequest({
      registry: "UNITY_CATALOG",
      modelName: model,
      version: String(challenger),
      targetAlias: "champion",
    });
    await producer.enqueue(
      "mlflow.apply-promotion",
      { requestId: request.id },
      { jobId: `apply-${request.id}` },
    );
    await drain();
    expect(await requestRow(request.id)).toMatchObject({ status: "APPLIED" });
    expect((await mlflow.getUcModelVersionByAlias(model, "champion")).version).toBe(challenger);
    const [canary] = await deploymentsOf(request.id);
    expect(canary).toMatchObject({
      serviceName: "uc-churn",
      status: "SUCCEEDED",
      canaryPercent: 10,
      storageUri: `https://acct.blob.core.windows.net/uc/churn/${challenger}`,
      previousRevision: first,
    });
    expect(await trafficOf("uc-churn")).toEqual([
      [first, 90],
      [canary.revisionName, 10],
    ]);

    // Replaying the applied request's job: the alias is not set again.
    mlflowCalls.length = 0;
    await applyPromotion(request.id, deps, log);
    expect(mlflowCalls).toEqual([]);

    await expect(
      store.rollbackDeployment(riley, { namespace: "models", serviceName: "uc-churn", reason: "latency up" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      store.rollbackDeployment(omar, { namespace: "models", serviceName: "nope", reason: "latency up" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rollback = await store.rollbackDeployment(omar, {
      namespace: "models",
      serviceName: "uc-churn",
      reason: "p95 latency doubled",
    });
    expect(rollback.promotionRequestId).toBe(request.id);
    await drain();
    expect(await db.deployment.findUniqueOrThrow({ where: { id: rollback.id } })).toMatchObject({
      status: "SUCCEEDED",
      revisionName: first,
      previousRevision: canary.revisionName,
    });
    expect(await trafficOf("uc-churn")).toEqual([[first, 100]]);
    // One truth after the rollback: KServe, the registry and what the pages read (servedModelOf) agree.
    expect(await db.deployment.findUniqueOrThrow({ where: { id: rollback.id } })).toMatchObject({
      modelVersion: String(champion),
      registryStatus: "UPDATED",
      registryNote: `@champion moved back to v${champion}, the version serving after the rollback.`,
    });
    expect((await mlflow.getUcModelVersionByAlias(model, "champion")).version).toBe(champion);
    expect(servedModelOf(await kserve.get("uc-churn", "models"), [model])).toMatchObject({
      version: String(champion),
      isRolledBack: true,
    });
    expect((await auditOf(rollback.id)).map((e) => e.action)).toContain("deployment.registry-restored");
    const [requested] = await auditOf(rollback.id);
    expect(requested).toMatchObject({
      action: "deployment.rollback-requested",
      actorName: "omar",
      after: { reason: "p95 latency doubled" },
    });
    // The canary can no longer be promoted: the service has moved on.
    await expect(store.promoteDeployment(omar, canary.id)).rejects.toBeInstanceOf(AppError);
  });

  it("applies an alias that is not production without any rollout", async () => {
    const model = "main.ml.churn_classifier";
    const champion = (await mlflow.getUcModelVersionByAlias(model, "champion")).version;
    const request = await createApprovedRequest({
      registry: "UNITY_CATALOG",
      modelName: model,
      version: String(champion),
      targetAlias: "challenger",
    });
    await applyPromotion(request.id, deps, log);
    expect(await requestRow(request.id)).toMatchObject({ status: "APPLIED" });
    expect((await mlflow.getUcModelVersionByAlias(model, "challenger")).version).toBe(champion);
    expect(await deploymentsOf(request.id)).toEqual([]);
  });
});

describe("workspace registry aliases", () => {
  it("moves an alias on the workspace registry once, and records the previous holder", async () => {
    // Open-source MLflow (and so the sandbox) answers a missing alias with 400, not 404: still "no holder".
    expect(await mlflow.findModelVersionByAlias("network-anomaly-detector", "challenger")).toBeNull();
    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: "network-anomaly-detector",
      version: "1",
      targetAlias: "challenger",
    });
    mlflowCalls.length = 0;
    await applyPromotion(request.id, deps, log);
    expect(mlflowCalls.filter((c) => c.endsWith("registered-models/alias"))).toHaveLength(1);
    expect((await mlflow.getModelVersionByAlias("network-anomaly-detector", "challenger")).version).toBe("1");
    const transition = (await auditOf(request.id)).find((e) => e.action === "promotion.transition-applied");
    expect(transition).toMatchObject({
      before: { alias: "challenger", version: null },
      after: { alias: "challenger", version: "1", wasAlreadyApplied: false },
    });
  });

  it("applies a request whose alias was deleted after approval: no previous holder, not an outage", async () => {
    await mlflow.setAlias("network-anomaly-detector", "shadow", "1");
    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: "network-anomaly-detector",
      version: "2",
      targetAlias: "shadow",
    });
    await mlflow.deleteAlias("network-anomaly-detector", "shadow");
    await applyPromotion(request.id, deps, log);
    expect(await requestRow(request.id)).toMatchObject({ status: "APPLIED" });
    expect((await mlflow.getModelVersionByAlias("network-anomaly-detector", "shadow")).version).toBe("2");
    const transition = (await auditOf(request.id)).find((e) => e.action === "promotion.transition-applied");
    expect(transition).toMatchObject({ before: { alias: "shadow", version: null } });
  });
});

describe("failures end in FAILED with a message fit to show", () => {
  it("a version the registry does not have", async () => {
    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: "churn-classifier",
      version: "999",
      targetStage: "Production",
    });
    await applyPromotion(request.id, deps, log);
    const row = await requestRow(request.id);
    expect(row.status).toBe("FAILED");
    expect(row.applyError).toMatch(
      /^Could not apply churn-classifier version 999 → Production: MLflow: .*RESOURCE_DOES_NOT_EXIST, HTTP 404/,
    );
    expect((await auditOf(request.id)).map((e) => e.action)).toEqual([
      "promotion.apply-started",
      "promotion.apply-failed",
    ]);
  });

  it("a conflict from the registry", async () => {
    const [staging] = await mlflow.getLatestVersions("churn-classifier", ["Archived"]);
    const request = await createApprovedRequest({
      registry: "WORKSPACE",
      modelName: "churn-classifier",
      version: staging.version,
      targetStage: "Staging",
    });
    await sandbox.injectFaults([
      {
        path: "/api/2.0/mlflow/model-versions/transition-stage",
        status: 409,
        errorCode: "RESOURCE_CONFLICT",
      },
    ]);
    try {
      await applyPromotion(request.id, deps, log);
    } finally {
      await sandbox.clearFaults();
    }
    const row = await requestRow(request.id);
    expect(row).toMatchObject({ status: "FAILED" });
    expect(row.applyError).toContain("RESOURCE_CONFLICT, HTTP 409");
    expect((await mlflow.getModelVersion("churn-classifier", staging.version)).currentStage).toBe("Archived");
  });

  it("a canary whose model cannot load fails the deployment with KServe's reason, traffic untouched", async () => {
    const before = await trafficOf("churn-classifier");
    const canary = await db.deployment.create({
      data: {
        action: "CANARY",
        namespace: "models",
        serviceName: "churn-classifier",
        modelName: "churn-classifier",
        modelVersion: "9",
        storageUri: "https://acct/models/churn-classifier/broken-9",
        canaryPercent: 10,
        requestedById: requester.id,
      },
    });
    await producer.enqueue(
      "kserve.apply-deployment",
      { deploymentId: canary.id },
      { jobId: `deploy-${canary.id}` },
    );
    await drain();
    const row = await db.deployment.findUniqueOrThrow({ where: { id: canary.id } });
    expect(row.status).toBe("FAILED");
    expect(row.error).toContain("failed to download model");
    expect(await trafficOf("churn-classifier")).toEqual(before);
    await store.rollbackDeployment(omar, {
      namespace: "models",
      serviceName: "churn-classifier",
      reason: "undo the broken canary spec",
    });
    await drain();
  });
});

describe("a rollback no promotion started", () => {
  it("moves the registry's Production back to the version serving again, audited", async () => {
    const model = "churn-classifier";
    const [production] = await mlflow.getLatestVersions(model, ["Production"]);
    const previous = (await mlflow.searchModelVersions({ filter: `name='${model}'` })).items.find(
      (v) => v.version !== production.version,
    )!;
    await kserve.create(
      {
        metadata: {
          name: "hand-churn",
          annotations: { [servedModelAnnotation]: model, [servedVersionAnnotation]: previous.version },
        },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: "sklearn" },
              storageUri: `https://acct.blob.core.windows.net/hand/churn/${previous.version}`,
            },
          },
        },
      },
      "models",
    );
    await expect
      .poll(async () => summariseService(await kserve.get("hand-churn", "models")).isReady, {
        timeout: 10_000,
      })
      .toBe(true);
    // A canary started by hand (kubectl), not through a promotion: Switchboard has no request for it.
    await kserve.patch(
      "hand-churn",
      {
        metadata: {
          annotations: {
            [servedVersionAnnotation]: production.version,
            [previousVersionAnnotation]: previous.version,
          },
        },
      },
      { namespace: "models" },
    );
    await kserve.setCanary(
      "hand-churn",
      `https://acct.blob.core.windows.net/hand/churn/${production.version}`,
      10,
      { namespace: "models" },
    );
    await expect.poll(async () => (await trafficOf("hand-churn")).length, { timeout: 10_000 }).toBe(2);

    const rollback = await store.rollbackDeployment(omar, {
      namespace: "models",
      serviceName: "hand-churn",
      reason: "the hand-made canary errs",
    });
    expect(rollback.promotionRequestId).toBeNull();
    await drain();
    expect(await db.deployment.findUniqueOrThrow({ where: { id: rollback.id } })).toMatchObject({
      status: "SUCCEEDED",
      modelName: model,
      modelVersion: previous.version,
      registryStatus: "UPDATED",
      registryNote: `Production moved back to v${previous.version}, the version serving after the rollback.`,
    });
    const [holder] = await mlflow.getLatestVersions(model, ["Production"]);
    expect(holder.version).toBe(previous.version);
    expect((await auditOf(rollback.id)).map((e) => e.action)).toContain("deployment.registry-restored");

    await mlflow.transitionStage(model, production.version, "Production", { archiveExistingVersions: true });
    await kserve.delete("hand-churn", "models");
  });
});
