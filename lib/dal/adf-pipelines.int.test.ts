import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "bullmq";
import type { CurrentUser } from "@/lib/auth/session";
import { createAdfClient, type AdfClient } from "@/lib/clients/adf";
import { createDatabricksClient } from "@/lib/clients/databricks";
import { sandboxAdfFactory } from "@/lib/config/sandbox-adf";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { upsertSignedInUser } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { jobIds } from "@/lib/queue/job-ids";
import { rejectionOf } from "@/lib/testing/contract";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { triggerAdfRunBody } from "@/lib/validation/pipelines";
import { demoPeople } from "@/sandbox/oidc/people";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { findRunCarrying, pipelineHandlers } from "@/workers/handlers/pipelines";
import type { WorkerDeps } from "@/workers/registry";
import { createPipelineService, type PipelineService } from "./pipelines";

const pipelineName = "ChurnFeaturesHourly";

const refusal = async (promise: Promise<unknown>) => {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe("Data Factory pipelines through the pipelines DAL and the trigger worker", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  let adf: AdfClient;
  let service: PipelineService;
  let workerDeps: WorkerDeps;
  const people: Record<string, CurrentUser> = {};
  const jobs: Array<{ name: string; payload: unknown; jobId: string }> = [];
  const job = { attemptsMade: 0, opts: { attempts: 8 } } as unknown as Job;
  const createRun = (triggerId: string) =>
    pipelineHandlers["adf.create-pipeline-run"](
      { triggerId },
      { deps: workerDeps, job, log: workerDeps.log },
    );
  const runsCarrying = async (key: string) =>
    (
      await adf.queryPipelineRuns({
        lastUpdatedAfter: new Date(Date.now() - 3_600_000),
        lastUpdatedBefore: new Date(Date.now() + 60_000),
        filters: [{ operand: "PipelineName", operator: "Equals", values: [pipelineName] }],
      })
    ).runs.filter((r) => r.parameters?.switchboardTriggerId === key);

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 100 });
    database = await createTestDatabase("adf_pipelines_test");
    db = createPrismaClient(database.url);
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
    adf = createAdfClient({ baseUrl: sandbox.url, ...sandboxAdfFactory, getToken, retryBudgetMs: 5_000 });
    service = createPipelineService({
      airflow: undefined,
      adf,
      databricks: createDatabricksClient({ baseUrl: sandbox.url, getToken }),
      db,
      enqueue: async (name, payload, { jobId }) => void jobs.push({ name, payload, jobId }),
    });
    workerDeps = { db, clients: { adf }, log: pino({ level: "silent" }) } as unknown as WorkerDeps;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  it("maps pipelines, runs, activity attempts, quality results and Databricks runs onto the pipeline DTOs", async () => {
    const list = await service.listAdfPipelines(people.dana);
    expect(list.factoryName).toBe("adf-switchboard-sandbox");
    expect(list.pipelines.find((p) => p.name === pipelineName)).toMatchObject({
      annotations: ["churn", "databricks", "hourly"],
      latestRun: expect.objectContaining({ state: expect.any(String), runType: "scheduled" }),
    });

    const first = await service.getAdfPipeline(people.dana, pipelineName);
    expect(first).toMatchObject({ canTrigger: true, acceptsTriggers: true, isFirstPage: true });
    expect(first.parameters.map((p) => p.name)).toEqual([
      "windowStart",
      "injectQualityIssue",
      "simulateIngestFailure",
    ]);
    expect(first.runs).toHaveLength(20);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await service.getAdfPipeline(people.dana, pipelineName, {
      pageToken: first.nextPageToken!,
    });
    const runs = [...first.runs, ...second.runs];
    expect(runs.length).toBeGreaterThanOrEqual(36);

    const details = await Promise.all(
      runs
        .filter((r) => r.runType === "scheduled" && r.isFinished)
        .map((r) => service.getAdfPipelineRun(people.dana, pipelineName, r.dagRunId)),
    );
    const clean = details.find((d) => d.run?.state === "success" && d.tasks[0].tryNumber === 1)!;
    expect(clean.tasks.map((t) => [t.taskId, t.operator, t.state, t.tryNumber, t.maxAttempts])).toEqual([
      ["IngestCdrExtract", "Copy", "success", 1, 3],
      ["ValidateCustomerFeatures", "AzureFunctionActivity", "success", 1, 1],
      ["BuildChurnFeatures", "DatabricksNotebook", "success", 1, 1],
    ]);
    expect(clean.quality).toEqual([
      expect.objectContaining({
        taskId: "ValidateCustomerFeatures",
        isSuccess: true,
        suite: "customer_features.hourly",
      }),
    ]);
    expect(clean.databricksRuns).toEqual([
      { taskId: "BuildChurnFeatures", databricksRunId: expect.stringMatching(/^\d+$/) },
    ]);
    expect(clean.run).toMatchObject({ invokedBy: "HourlyTrigger", isExternallyTriggered: false });

    const retried = details.find((d) => d.tasks[0].tryNumber === 2)!;
    expect(retried.tasks[0]).toMatchObject({ state: "success", maxAttempts: 3 });

    const failed = details.find((d) => d.run?.state === "failed")!;
    expect(failed.quality[0].isSuccess).toBe(false);
    expect(failed.quality[0].checks.find((c) => !c.isSuccess)).toMatchObject({ column: "customer_id" });
    expect(failed.databricksRuns).toEqual([]);
    expect(failed.tasks[2]).toMatchObject({ taskId: "BuildChurnFeatures", state: "none", tryNumber: 0 });
    expect(failed.run?.message).toMatch(/ValidateCustomerFeatures/);
  });

  it("refuses what a person may not do or send, with clear errors and nothing written", async () => {
    const body = (parameters: unknown) => triggerAdfRunBody.parse({ parameters });
    expect(await refusal(service.triggerAdfPipelineRun(people.omar, pipelineName, body({})))).toMatchObject({
      code: "FORBIDDEN",
    });
    const wrongType = await refusal(
      service.triggerAdfPipelineRun(people.dana, pipelineName, body({ injectQualityIssue: "yes" })),
    );
    expect(wrongType).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("injectQualityIssue must be of type Bool"),
    });
    expect(
      await refusal(service.triggerAdfPipelineRun(people.dana, pipelineName, body({ colour: "red" }))),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("no parameter colour"),
    });
    expect(
      await refusal(
        service.triggerAdfPipelineRun(people.dana, pipelineName, body({ switchboardTriggerId: "mine" })),
      ),
    ).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(
      await refusal(service.triggerAdfPipelineRun(people.dana, "NoSuchPipeline", body({}))),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(service.getAdfPipeline(people.dana, "../etc"))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(service.getAdfPipelineRun(people.dana, pipelineName, "not-a-run"))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(
      await refusal(
        service.getAdfPipelineRun(people.dana, pipelineName, "00000000-0000-4000-8000-000000000001"),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(
      await refusal(service.getAdfPipeline(people.dana, pipelineName, { pageToken: "stale" })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    expect(triggerAdfRunBody.safeParse({ parameters: [1] }).success).toBe(false);
    expect(await db.pipelineTrigger.count()).toBe(0);
    expect(jobs).toEqual([]);
  });

  it("starts a run row first, audited, once even when an earlier attempt's run was created but not recorded", async () => {
    const { id, runKey } = await service.triggerAdfPipelineRun(
      people.dana,
      pipelineName,
      triggerAdfRunBody.parse({ parameters: { windowStart: "2026-12-06T01:00:00Z" } }),
    );
    expect(jobs).toContainEqual({
      name: "adf.create-pipeline-run",
      payload: { triggerId: id },
      jobId: jobIds.createAdfPipelineRun(id, "requested"),
    });
    expect(await service.getAdfPipelineRun(people.dana, pipelineName, runKey)).toMatchObject({
      run: null,
      trigger: { status: "QUEUED", requestedBy: "Dana Nguyen" },
      isFinished: false,
    });
    expect(
      await db.auditEvent.findMany({ where: { entityId: id }, select: { action: true, actorName: true } }),
    ).toEqual([{ action: "pipeline.triggered", actorName: "Dana Nguyen" }]);

    // An earlier attempt got createRun through, then died (SIGKILL) before writing the runId down.
    const { runId: earlier } = await adf.createRun(pipelineName, {
      parameters: { windowStart: "2026-12-06T01:00:00Z", switchboardTriggerId: runKey },
    });
    await createRun(id);
    expect(await db.pipelineTrigger.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "TRIGGERED",
      externalRunId: earlier,
    });
    // A duplicate delivery after it was recorded does nothing.
    await createRun(id);
    expect((await runsCarrying(runKey)).map((r) => r.runId)).toEqual([earlier]);
    expect(await findRunCarrying(adf, pipelineName, runKey, new Date())).toBe(earlier);

    let detail = await service.getAdfPipelineRun(people.dana, pipelineName, runKey);
    for (
      const deadline = Date.now() + 45_000;
      !detail.isFinished && Date.now() < deadline;
      detail = await service.getAdfPipelineRun(people.dana, pipelineName, runKey)
    )
      await new Promise((r) => setTimeout(r, 300));
    expect(detail).toMatchObject({ dagRunId: earlier, trigger: { status: "TRIGGERED" } });
    expect(detail.run).toMatchObject({
      state: "success",
      runType: "manual",
      conf: { windowStart: "2026-12-06T01:00:00Z", injectQualityIssue: "false" },
    });
    expect(detail.run?.conf).not.toHaveProperty("switchboardTriggerId");
    const [{ databricksRunId }] = detail.databricksRuns;
    expect(
      await service.getAdfSubmittedDatabricksRun(people.dana, pipelineName, earlier, databricksRunId),
    ).toMatchObject({
      taskId: "BuildChurnFeatures",
      runName: expect.stringMatching(/^ADF_adf-switchboard-sandbox_ChurnFeaturesHourly_BuildChurnFeatures_/),
      resultState: "SUCCESS",
    });
    expect(
      await refusal(
        service.getAdfSubmittedDatabricksRun(
          people.dana,
          pipelineName,
          earlier,
          String(Number(databricksRunId) + 1),
        ),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
  }, 60_000);

  it("creates exactly one run through a throttled createRun, and fails a trigger ADF refuses with ADF's words", async () => {
    await sandbox.injectFaults([
      { path: "/createRun$", method: "POST", status: 429, retryAfterSeconds: 0, times: 1 },
    ]);
    const { id, runKey } = await service.triggerAdfPipelineRun(
      people.dana,
      pipelineName,
      triggerAdfRunBody.parse({}),
    );
    await createRun(id);
    expect(await runsCarrying(runKey)).toHaveLength(1);
    expect((await db.pipelineTrigger.findUniqueOrThrow({ where: { id } })).status).toBe("TRIGGERED");

    // A row whose parameters ADF refuses (written around the DAL's check): failed at once, not retried.
    const refused = await db.pipelineTrigger.create({
      data: {
        id: crypto.randomUUID(),
        source: "ADF",
        dagId: pipelineName,
        dagRunId: `switchboard__${crypto.randomUUID()}`,
        conf: { injectQualityIssue: "yes" },
        requestedById: people.dana.id,
      },
    });
    await expect(createRun(refused.id)).rejects.toThrow(/injectQualityIssue/);
    expect(await db.pipelineTrigger.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({
      status: "FAILED",
      errorMessage: expect.stringContaining("not of type 'Bool'"),
    });
    expect(await runsCarrying(refused.dagRunId)).toEqual([]);
  });

  it("says Data Factory is not set up when no factory is configured", async () => {
    const unconfigured = createPipelineService({
      airflow: undefined,
      databricks: { getRun: async () => undefined as never },
      db,
      enqueue: async () => undefined,
    });
    expect(unconfigured.sources()).toEqual({ airflow: false, adf: false });
    expect(await refusal(unconfigured.listAdfPipelines(people.dana))).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("ADF_FACTORY_NAME"),
    });
  });
});
