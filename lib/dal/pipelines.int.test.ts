import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "bullmq";
import type { CurrentUser } from "@/lib/auth/session";
import { createAirflowClient } from "@/lib/clients/airflow";
import { rejectionOf } from "@/lib/testing/contract";
import { createDatabricksClient } from "@/lib/clients/databricks";
import { verifyStoredChain } from "@/lib/db/audit";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { upsertSignedInUser } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { jobIds } from "@/lib/queue/job-ids";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { triggerDagRunBody } from "@/lib/validation/pipelines";
import { demoPeople } from "@/sandbox/oidc/people";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { pipelineHandlers } from "@/workers/handlers/pipelines";
import type { WorkerDeps } from "@/workers/registry";
import { createPipelineService, type PipelineService } from "./pipelines";

const dagId = "telco_churn_hourly";

const refusal = async (promise: Promise<unknown>) => {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(AppError);
  return error;
};

describe("pipelines DAL and trigger worker against the sandbox Airflow and PostgreSQL", () => {
  let sandbox: RunningSandbox;
  let database: TestDatabase;
  let db: PrismaClient;
  let service: PipelineService;
  let workerDeps: WorkerDeps;
  const people: Record<string, CurrentUser> = {};
  const jobs: Array<{ name: string; payload: unknown; jobId: string }> = [];
  const job = { attemptsMade: 0, opts: { attempts: 8 } } as unknown as Job;
  const trigger = (triggerId: string) =>
    pipelineHandlers["airflow.trigger-dag-run"](
      { triggerId },
      { deps: workerDeps, job, log: workerDeps.log },
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 50 });
    database = await createTestDatabase("pipelines_test");
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
    const airflow = createAirflowClient({
      baseUrl: `${sandbox.url}/airflow`,
      getToken,
      retryBudgetMs: 2_000,
    });
    const databricks = createDatabricksClient({ baseUrl: sandbox.url, getToken });
    service = createPipelineService({
      airflow,
      databricks,
      db,
      enqueue: async (name, payload, { jobId }) => void jobs.push({ name, payload, jobId }),
    });
    workerDeps = { db, clients: { airflow }, log: pino({ level: "silent" }) } as unknown as WorkerDeps;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  it("lists DAGs with their latest run, and last night's runs with tasks and quality results", async () => {
    const list = await service.listDags(people.dana);
    const hourly = list.dags.find((d) => d.dagId === dagId)!;
    expect(hourly).toMatchObject({
      isPaused: false,
      owners: ["data-platform"],
      latestRun: expect.objectContaining({ state: expect.any(String) }),
    });
    expect(list.dags.find((d) => d.dagId === "network_kpi_daily")?.isPaused).toBe(true);

    const dag = await service.getDag(people.dana, dagId);
    expect(dag.totalRuns).toBeGreaterThanOrEqual(36);
    expect(dag.runs).toHaveLength(25);
    expect(dag).toMatchObject({ canTrigger: true, canPause: false });
    const done = dag.runs.find((r) => r.state === "success" && r.runType === "scheduled")!;
    const detail = await service.getDagRun(people.dana, dagId, done.dagRunId);
    expect(detail.tasks.map((t) => t.state)).toEqual(["success", "success", "success"]);
    expect(detail.quality[0]).toMatchObject({
      taskId: "validate_customer_features",
      isSuccess: true,
      suite: "customer_features.hourly",
    });
    expect(detail.quality[0].checks.length).toBe(detail.quality[0].evaluated);
    expect(detail.databricksRuns).toHaveLength(1);

    const failed = (await service.getDag(people.dana, dagId, { offset: 0 })).runs
      .concat((await service.getDag(people.dana, dagId, { offset: 25 })).runs)
      .find((r) => r.state === "failed")!;
    const failedDetail = await service.getDagRun(people.dana, dagId, failed.dagRunId);
    expect(failedDetail.quality[0].isSuccess).toBe(false);
    expect(failedDetail.quality[0].checks.find((c) => !c.isSuccess)).toMatchObject({ column: "customer_id" });
    expect(failedDetail.databricksRuns).toEqual([]);
  });

  it("refuses people without the permission, and reads an unknown DAG or run as not found", async () => {
    expect(
      await refusal(service.triggerDagRun(people.omar, dagId, triggerDagRunBody.parse({}))),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(service.setPaused(people.dana, dagId, true))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(service.listDags({ ...people.dana, roles: [] }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      await refusal(service.triggerDagRun(people.dana, "no_such_dag", triggerDagRunBody.parse({}))),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(service.getDagRun(people.dana, dagId, "no-such-run"))).toMatchObject({
      code: "NOT_FOUND",
    });
    // PostgreSQL cannot hold a NUL: such an id is not found, never a database error.
    expect(await refusal(service.getDagRun(people.dana, dagId, "run\u0000id"))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await refusal(service.getDag(people.dana, "../etc"))).toMatchObject({ code: "NOT_FOUND" });
    expect(await db.pipelineTrigger.count()).toBe(0);
    expect(triggerDagRunBody.safeParse({ conf: [1, 2] }).success).toBe(false);
    expect(triggerDagRunBody.safeParse({ conf: { big: "x".repeat(20_000) } }).success).toBe(false);
  });

  it("triggers a run row first, audited, through the worker exactly once, and follows it to the Databricks run it submits", async () => {
    const { id, dagRunId } = await service.triggerDagRun(
      people.dana,
      dagId,
      triggerDagRunBody.parse({ conf: { reason: "backfill check" }, note: "from the test" }),
    );
    expect(jobs).toContainEqual({
      name: "airflow.trigger-dag-run",
      payload: { triggerId: id },
      jobId: jobIds.triggerDagRun(id, "requested"),
    });
    const before = await service.getDagRun(people.dana, dagId, dagRunId);
    expect(before).toMatchObject({
      run: null,
      trigger: { status: "QUEUED", requestedBy: "Dana Nguyen" },
      isFinished: false,
    });

    await trigger(id);
    expect(await db.pipelineTrigger.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "TRIGGERED",
      airflowState: "queued",
    });
    // A repeat after a lost answer: Airflow says 409 for our dag_run_id, and nothing new starts.
    await db.pipelineTrigger.update({ where: { id }, data: { status: "QUEUED" } });
    await trigger(id);
    expect(await db.pipelineTrigger.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "TRIGGERED",
    });
    const airflow = createAirflowClient({
      baseUrl: `${sandbox.url}/airflow`,
      getToken: async () => sandbox.token,
    });
    expect(
      (await airflow.listDagRuns(dagId, { limit: 100, orderBy: "-execution_date" })).dagRuns.filter(
        (r) => r.dag_run_id === dagRunId,
      ),
    ).toHaveLength(1);

    let detail = await service.getDagRun(people.dana, dagId, dagRunId);
    for (
      const deadline = Date.now() + 45_000;
      !detail.isFinished && Date.now() < deadline;
      detail = await service.getDagRun(people.dana, dagId, dagRunId)
    )
      await new Promise((r) => setTimeout(r, 300));
    expect(detail.run).toMatchObject({
      state: "success",
      conf: { reason: "backfill check" },
      isExternallyTriggered: true,
    });
    const [{ databricksRunId }] = detail.databricksRuns;
    const submitted = await service.getSubmittedDatabricksRun(people.dana, dagId, dagRunId, databricksRunId);
    expect(submitted).toMatchObject({
      runName: `${dagId}.submit_churn_feature_build`,
      lifeCycleState: "TERMINATED",
      resultState: "SUCCESS",
      isFinished: true,
      trainingRunId: null,
    });
    expect(
      await refusal(
        service.getSubmittedDatabricksRun(people.dana, dagId, dagRunId, String(Number(databricksRunId) + 1)),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });

    const audit = await db.auditEvent.findMany({
      where: { entityId: id },
      select: { action: true, actorName: true },
    });
    expect(audit).toEqual([{ action: "pipeline.triggered", actorName: "Dana Nguyen" }]);
  }, 60_000);

  it("marks a trigger failed with Airflow's words when Airflow refuses it, and changes nothing there", async () => {
    await sandbox.injectFaults([
      { path: "^/airflow/api/v1/dags/[^/]+/dagRuns$", method: "POST", status: 400, times: 1 },
    ]);
    const { id } = await service.triggerDagRun(people.dana, dagId, triggerDagRunBody.parse({}));
    await expect(trigger(id)).rejects.toThrow();
    expect(await db.pipelineTrigger.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
      errorMessage: expect.stringContaining("Injected fault"),
    });
  });

  it("lets an admin pause and unpause a DAG, audited once per change", async () => {
    expect(await service.setPaused(people.ada, "network_kpi_daily", false)).toEqual({
      dagId: "network_kpi_daily",
      isPaused: false,
    });
    expect(await service.setPaused(people.ada, "network_kpi_daily", false)).toEqual({
      dagId: "network_kpi_daily",
      isPaused: false,
    });
    expect(await service.setPaused(people.ada, "network_kpi_daily", true)).toEqual({
      dagId: "network_kpi_daily",
      isPaused: true,
    });
    const actions = (
      await db.auditEvent.findMany({
        where: { entityId: "network_kpi_daily" },
        orderBy: { seq: "asc" },
        select: { action: true },
      })
    ).map((e) => e.action);
    expect(actions).toEqual(["pipeline.unpaused", "pipeline.paused"]);
    expect(await verifyStoredChain(db)).toMatchObject({ intact: true });
  });

  it("says the area is not set up when Airflow is not configured", async () => {
    const unconfigured = createPipelineService({
      airflow: undefined,
      databricks: { getRun: async () => undefined as never },
      db,
      enqueue: async () => undefined,
    });
    expect(await refusal(unconfigured.listDags(people.dana))).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("AIRFLOW_URL"),
    });
  });
});
