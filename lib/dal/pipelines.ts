import "server-only";
import { can } from "@/lib/auth/permissions";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import type { AdfClient, ActivityRun, PipelineRun, PipelineResource } from "@/lib/clients/adf";
import type { AirflowClient, Dag, DagRun, TaskInstance } from "@/lib/clients/airflow";
import type { DatabricksClient } from "@/lib/clients/databricks";
import { CloudApiError } from "@/lib/clients/http";
import { isCloudNotFound, throwCloudError } from "@/lib/cloud-errors";
import { getCloudClients } from "@/lib/cloud";
import { appendAuditEvent, recordAuditEvent } from "@/lib/db/audit";
import { getDb, type PipelineTriggerStatus, type Prisma, type PrismaClient } from "@/lib/db/client";
import {
  adfDatabricksRuns,
  adfQualityResults,
  parameterProblems,
  toAdfRunSummary,
  toAdfTasks,
  triggerIdParameter,
} from "@/lib/domain/pipelines/adf";
import { isFinishedDagRunState, readQualityResult, type QualityResult } from "@/lib/domain/pipelines/quality";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { jobIds } from "@/lib/queue/job-ids";
import type { JobName, JobPayload } from "@/lib/queue/jobs";
import { getJobProducer } from "@/lib/queue/web-producer";
import {
  adfPageTokenSchema,
  adfPipelineNameSchema,
  adfRunIdSchema,
  dagIdSchema,
  dagRunIdSchema,
  type TriggerAdfRunInput,
  type TriggerDagRunInput,
} from "@/lib/validation/pipelines";

/**
 * Pipelines: Airflow DAGs and Azure Data Factory pipelines, their runs and tasks (ADF's activities),
 * the data-quality results and Databricks runs the runs produced, read live from Airflow's stable REST
 * API and ADF's ARM API into the same DTOs (decision 014); triggers are rows first (PipelineTrigger)
 * and reach the orchestrator through a worker.
 */

export const runsPageSize = 25;
const dagsPageSize = 25;

export interface PipelineDeps {
  /** Undefined in cloud mode without AIRFLOW_URL: every read says the area is not set up. */
  airflow: AirflowClient | undefined;
  /** Undefined in cloud mode without ADF_FACTORY_NAME (and its subscription and resource group). */
  adf?: AdfClient | undefined;
  databricks: Pick<DatabricksClient, "getRun">;
  db: PrismaClient;
  /** After commit; a failure is logged and left to the reconciler. */
  enqueue: <N extends JobName>(name: N, payload: JobPayload<N>, options: { jobId: string }) => Promise<void>;
}

const iso = (value: string | null | undefined) => value ?? null;
const seconds = (start: string | null | undefined, end: string | null | undefined) =>
  start && end ? (Date.parse(end) - Date.parse(start)) / 1000 : null;
const actorOf = (user: CurrentUser) => ({ oid: user.oid, name: user.name });

/** Airflow's answers as AppErrors: a missing DAG or run is "no such"; the rest as every cloud failure reads. */
function fromAirflow(error: unknown, what: string): never {
  throwCloudError(error, `the ${what}`, { notFound: () => new AppError("NOT_FOUND", `No such ${what}.`) });
}

/** Data Factory's answers as AppErrors, as Airflow's are. */
function fromAdf(error: unknown, what: string): never {
  throwCloudError(error, `the ${what}`, { notFound: () => new AppError("NOT_FOUND", `No such ${what}.`) });
}

/** How far back runs are read: ADF keeps pipeline-run data for 45 days. */
const adfHistoryMs = 45 * 86_400_000;
const adfWindow = (from = Date.now() - adfHistoryMs) => ({
  lastUpdatedAfter: new Date(from),
  lastUpdatedBefore: new Date(Date.now() + 5 * 60_000),
});
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function scheduleOf(dag: Dag): string | null {
  return dag.timetable_description ?? dag.schedule_interval?.value ?? null;
}

function toRunSummary(run: DagRun) {
  return {
    dagId: run.dag_id,
    dagRunId: run.dag_run_id ?? "",
    state: run.state,
    runType: run.run_type,
    logicalDate: iso(run.logical_date ?? run.execution_date),
    startDate: iso(run.start_date),
    endDate: iso(run.end_date),
    durationSeconds: seconds(run.start_date, run.end_date),
    isExternallyTriggered: run.external_trigger ?? false,
    isFinished: isFinishedDagRunState(run.state),
  };
}
export type DagRunSummary = ReturnType<typeof toRunSummary>;

function toTask(task: TaskInstance) {
  return {
    taskId: task.task_id,
    operator: task.operator ?? null,
    state: task.state ?? "none",
    tryNumber: task.try_number,
    /** Airflow's max_tries is the retries; a task may run max_tries + 1 times. */
    maxAttempts: (task.max_tries ?? 0) + 1,
    startDate: iso(task.start_date),
    endDate: iso(task.end_date),
    durationSeconds: task.duration ?? null,
  };
}
export type PipelineTask = ReturnType<typeof toTask>;

/** A trigger request as a run's page shows it, for either orchestrator. */
function toTriggerStatus(trigger: {
  status: PipelineTriggerStatus;
  errorMessage: string | null;
  requestedBy: { name: string };
  createdAt: Date;
  conf: Prisma.JsonValue;
}) {
  return {
    status: trigger.status,
    errorMessage: trigger.errorMessage,
    requestedBy: trigger.requestedBy.name,
    createdAt: trigger.createdAt.toISOString(),
    conf: trigger.conf as Record<string, unknown>,
  };
}

const isDatabricksOperator = (task: TaskInstance) =>
  /^Databricks(SubmitRun|RunNow)/.test(task.operator ?? "");
const isValidationOperator = (task: TaskInstance) => /GreatExpectations/.test(task.operator ?? "");

export function createPipelineService(deps: PipelineDeps) {
  function airflowOrThrow(): AirflowClient {
    if (!deps.airflow)
      throw new AppError("UNAVAILABLE", "Pipelines are not set up: Switchboard has no AIRFLOW_URL.");
    return deps.airflow;
  }

  function checkIds(dagId: string, dagRunId?: string) {
    if (
      !dagIdSchema.safeParse(dagId).success ||
      (dagRunId !== undefined && !dagRunIdSchema.safeParse(dagRunId).success)
    )
      throw new AppError("NOT_FOUND", "No such pipeline run.");
  }

  async function latestRun(airflow: AirflowClient, dagId: string) {
    const { dagRuns } = await airflow.listDagRuns(dagId, { limit: 1, orderBy: "-execution_date" });
    return dagRuns[0] ? toRunSummary(dagRuns[0]) : null;
  }

  /**
   * One run with its tasks, the quality results its validation tasks returned and the Databricks
   * runs its Databricks tasks submitted (the operator's `run_id` XCom). A run Switchboard was asked
   * to trigger but Airflow has not seen yet reads from the trigger row.
   */
  async function getDagRun(user: CurrentUser, dagId: string, dagRunId: string) {
    assertCan(user, "pipelines:read");
    checkIds(dagId, dagRunId);
    const airflow = airflowOrThrow();
    let run: DagRun | undefined;
    let tasks: TaskInstance[] = [];
    try {
      [run, tasks] = await Promise.all([
        airflow.getDagRun(dagId, dagRunId),
        airflow.listTaskInstances(dagId, dagRunId),
      ]);
    } catch (error) {
      if (!isCloudNotFound(error)) fromAirflow(error, "pipeline run");
    }
    const trigger = await deps.db.pipelineTrigger.findUnique({
      where: { dagRunId },
      select: {
        source: true,
        dagId: true,
        status: true,
        errorMessage: true,
        conf: true,
        createdAt: true,
        requestedBy: { select: { name: true } },
      },
    });
    if (!run && !(trigger && trigger.source === "AIRFLOW" && trigger.dagId === dagId))
      throw new AppError("NOT_FOUND", "No such pipeline run.");

    const [quality, databricksRuns] = run
      ? await Promise.all([
          Promise.all(
            tasks
              .filter(isValidationOperator)
              .map(async (t) =>
                readQualityResult(
                  t.task_id,
                  await airflow.getXcomValue(dagId, dagRunId, t.task_id, "return_value"),
                ),
              ),
          ),
          Promise.all(
            tasks.filter(isDatabricksOperator).map(async (t) => {
              const runId = Number(await airflow.getXcomValue(dagId, dagRunId, t.task_id, "run_id"));
              return Number.isSafeInteger(runId) && runId > 0
                ? { taskId: t.task_id, databricksRunId: String(runId) }
                : null;
            }),
          ),
        ]).catch((error: unknown) => fromAirflow(error, "pipeline run"))
      : [[], []];

    return {
      dagId,
      dagRunId,
      run: run ? { ...toRunSummary(run), conf: run.conf ?? {}, note: run.note ?? null } : null,
      trigger: trigger ? toTriggerStatus(trigger) : null,
      tasks: tasks.map(toTask),
      quality: quality.filter((q): q is QualityResult => q !== null),
      databricksRuns: databricksRuns.filter(
        (d): d is { taskId: string; databricksRunId: string } => d !== null,
      ),
      isFinished: run ? isFinishedDagRunState(run.state) : trigger?.status === "FAILED",
    };
  }

  /** A Databricks run an orchestrator submitted, with the Switchboard training run that tracks it, if any. */
  async function describeSubmittedRun(databricksRunId: string) {
    let run;
    try {
      run = await deps.databricks.getRun(Number(databricksRunId));
    } catch (error) {
      throwCloudError(error, `Databricks run ${databricksRunId}`, {
        notFound: () =>
          new AppError("NOT_FOUND", "Databricks no longer knows this run (runs are kept 60 days)."),
      });
    }
    const tracked = await deps.db.trainingRun.findUnique({
      where: { databricksRunId: BigInt(databricksRunId) },
      select: { id: true },
    });
    return {
      databricksRunId,
      runName: run.run_name ?? null,
      lifeCycleState: run.state.life_cycle_state,
      resultState: run.state.result_state ?? null,
      stateMessage: run.state.state_message || null,
      runPageUrl: run.run_page_url ?? null,
      startTime: run.start_time ? new Date(run.start_time).toISOString() : null,
      endTime: run.end_time ? new Date(run.end_time).toISOString() : null,
      /** A multitask run's own setup and execution durations are 0: its length is run_duration, or end minus start. */
      durationSeconds: run.run_duration
        ? run.run_duration / 1000
        : run.start_time && run.end_time
          ? (run.end_time - run.start_time) / 1000
          : null,
      tasks: (run.tasks ?? []).map((t) => ({
        taskKey: t.task_key,
        lifeCycleState: t.state?.life_cycle_state ?? null,
        resultState: t.state?.result_state ?? null,
        setupSeconds: t.setup_duration ? t.setup_duration / 1000 : null,
        executionSeconds: t.execution_duration ? t.execution_duration / 1000 : null,
      })),
      isFinished: ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"].includes(run.state.life_cycle_state),
      trainingRunId: tracked?.id ?? null,
    };
  }

  function adfOrThrow(): AdfClient {
    if (!deps.adf)
      throw new AppError("UNAVAILABLE", "Data Factory is not set up: Switchboard has no ADF_FACTORY_NAME.");
    return deps.adf;
  }

  function checkAdfIds(pipelineName: string, runKey?: string) {
    if (
      !adfPipelineNameSchema.safeParse(pipelineName).success ||
      (runKey !== undefined && !adfRunIdSchema.safeParse(runKey).success)
    )
      throw new AppError("NOT_FOUND", "No such pipeline run.");
  }

  async function latestAdfRun(adf: AdfClient, pipelineName: string) {
    const { runs } = await adf.queryPipelineRuns({
      ...adfWindow(),
      filters: [{ operand: "PipelineName", operator: "Equals", values: [pipelineName] }],
      orderBy: [{ orderBy: "RunStart", order: "DESC" }],
    });
    return runs[0] ? toAdfRunSummary(runs[0]) : null;
  }

  const triggerSelect = {
    id: true,
    dagId: true,
    dagRunId: true,
    externalRunId: true,
    status: true,
    errorMessage: true,
    conf: true,
    createdAt: true,
    requestedBy: { select: { name: true } },
  } as const;

  /**
   * One ADF pipeline run with its activities as tasks, the quality results and Databricks runs their
   * outputs name. `runKey` is ADF's runId, or switchboard__<id> for a run Switchboard was asked to
   * start (read from the trigger row until ADF has it, then that run).
   */
  async function getAdfPipelineRun(user: CurrentUser, pipelineName: string, runKey: string) {
    assertCan(user, "pipelines:read");
    checkAdfIds(pipelineName, runKey);
    const adf = adfOrThrow();
    const trigger = await deps.db.pipelineTrigger.findFirst({
      where: { source: "ADF", OR: [{ dagRunId: runKey }, { externalRunId: runKey }] },
      select: triggerSelect,
    });
    if (trigger && !sameName(trigger.dagId, pipelineName))
      throw new AppError("NOT_FOUND", "No such pipeline run.");
    const runId = runKey.startsWith("switchboard__") ? trigger?.externalRunId : runKey;
    if (runKey.startsWith("switchboard__") && !trigger)
      throw new AppError("NOT_FOUND", "No such pipeline run.");
    let run: PipelineRun | undefined;
    let activities: ActivityRun[] = [];
    let definition: PipelineResource | undefined;
    if (runId) {
      try {
        run = await adf.getPipelineRun(runId);
        [activities, definition] = await Promise.all([
          adf.queryActivityRuns(
            runId,
            adfWindow(Date.parse(run.runStart ?? run.lastUpdated ?? "") - 3_600_000 || undefined),
          ),
          adf.getPipeline(run.pipelineName),
        ]);
      } catch (error) {
        fromAdf(error, "pipeline run");
      }
      if (!sameName(run.pipelineName, pipelineName)) throw new AppError("NOT_FOUND", "No such pipeline run.");
    }
    const summary = run ? toAdfRunSummary(run) : null;
    return {
      source: "adf" as const,
      dagId: run?.pipelineName ?? pipelineName,
      dagRunId: runId ?? runKey,
      run: summary
        ? {
            ...summary,
            conf: Object.fromEntries(
              Object.entries(run!.parameters ?? {}).filter(([name]) => name !== triggerIdParameter),
            ),
            note: null,
          }
        : null,
      trigger: trigger ? toTriggerStatus(trigger) : null,
      tasks: toAdfTasks(activities, definition?.properties.activities ?? []),
      quality: adfQualityResults(activities),
      databricksRuns: adfDatabricksRuns(activities),
      isFinished: summary ? summary.isFinished : trigger?.status === "FAILED",
    };
  }

  return {
    isConfigured: () => Boolean(deps.airflow),

    /** A page of DAGs, each with its latest run. */
    async listDags(user: CurrentUser, { offset = 0 }: { offset?: number } = {}) {
      assertCan(user, "pipelines:read");
      const airflow = airflowOrThrow();
      try {
        const { dags, totalEntries } = await airflow.listDags({
          limit: dagsPageSize,
          offset,
          orderBy: "dag_id",
        });
        const latest = await Promise.all(dags.map((dag) => latestRun(airflow, dag.dag_id)));
        return {
          dags: dags.map((dag, i) => ({
            dagId: dag.dag_id,
            description: dag.description ?? null,
            owners: dag.owners ?? [],
            tags: (dag.tags ?? []).map((t) => t.name),
            schedule: scheduleOf(dag),
            isPaused: dag.is_paused ?? false,
            nextRunAt: iso(dag.next_dagrun_data_interval_end ?? dag.next_dagrun),
            latestRun: latest[i],
          })),
          total: totalEntries,
          offset,
          pageSize: dagsPageSize,
        };
      } catch (error) {
        fromAirflow(error, "pipeline");
      }
    },

    /** One DAG, a page of its runs (newest first), and the triggers people asked for here. */
    async getDag(user: CurrentUser, dagId: string, { offset = 0 }: { offset?: number } = {}) {
      assertCan(user, "pipelines:read");
      checkIds(dagId);
      const airflow = airflowOrThrow();
      let dag: Dag;
      let runs: { dagRuns: DagRun[]; totalEntries: number };
      try {
        [dag, runs] = await Promise.all([
          airflow.getDag(dagId),
          airflow.listDagRuns(dagId, { limit: runsPageSize, offset, orderBy: "-execution_date" }),
        ]);
      } catch (error) {
        fromAirflow(error, "pipeline");
      }
      const triggers = await deps.db.pipelineTrigger.findMany({
        where: { dagId, source: "AIRFLOW" },
        orderBy: { createdAt: "desc" },
        take: 10,
        select: {
          id: true,
          dagRunId: true,
          status: true,
          errorMessage: true,
          createdAt: true,
          requestedBy: { select: { name: true } },
        },
      });
      return {
        dagId: dag.dag_id,
        description: dag.description ?? null,
        owners: dag.owners ?? [],
        tags: (dag.tags ?? []).map((t) => t.name),
        schedule: scheduleOf(dag),
        fileloc: dag.fileloc ?? null,
        isPaused: dag.is_paused ?? false,
        nextRunAt: iso(dag.next_dagrun_data_interval_end ?? dag.next_dagrun),
        runs: runs.dagRuns.map(toRunSummary),
        totalRuns: runs.totalEntries,
        offset,
        pageSize: runsPageSize,
        triggers: triggers.map((t) => ({
          id: t.id,
          dagRunId: t.dagRunId,
          status: t.status,
          errorMessage: t.errorMessage,
          requestedBy: t.requestedBy.name,
          createdAt: t.createdAt.toISOString(),
        })),
        canTrigger: can(user, "pipelines:trigger"),
        canPause: can(user, "pipelines:pause"),
      };
    },

    getDagRun,

    /**
     * The Databricks run a DAG run submitted, only if that run's XCom names it (so this page is not
     * a window onto any Databricks run), with the Switchboard training run that tracks it, if any.
     */
    async getSubmittedDatabricksRun(
      user: CurrentUser,
      dagId: string,
      dagRunId: string,
      databricksRunId: string,
    ) {
      const dagRun = await getDagRun(user, dagId, dagRunId);
      const submitted = dagRun.databricksRuns.find((d) => d.databricksRunId === databricksRunId);
      if (!submitted)
        throw new AppError("NOT_FOUND", "This pipeline run did not submit that Databricks run.");
      return { dagId, dagRunId, taskId: submitted.taskId, ...(await describeSubmittedRun(databricksRunId)) };
    },

    /** Row first (with the dag_run_id Airflow will get), audited in the same transaction; then the worker's job. */
    async triggerDagRun(user: CurrentUser, dagId: string, input: TriggerDagRunInput) {
      assertCan(user, "pipelines:trigger");
      checkIds(dagId);
      const airflow = airflowOrThrow();
      try {
        await airflow.getDag(dagId);
      } catch (error) {
        fromAirflow(error, "pipeline");
      }
      const id = crypto.randomUUID();
      const dagRunId = `switchboard__${id}`;
      await deps.db.$transaction(async (tx) => {
        await tx.pipelineTrigger.create({
          data: {
            id,
            dagId,
            dagRunId,
            conf: input.conf as Prisma.InputJsonValue,
            note: input.note,
            requestedById: user.id,
          },
          select: { id: true },
        });
        await appendAuditEvent(tx, {
          actor: actorOf(user),
          action: "pipeline.triggered",
          entityType: "PipelineTrigger",
          entityId: id,
          after: { dagId, dagRunId, conf: input.conf },
        });
      });
      try {
        await deps.enqueue(
          "airflow.trigger-dag-run",
          { triggerId: id },
          { jobId: jobIds.triggerDagRun(id, "requested") },
        );
      } catch (error) {
        logger.warn(
          { err: error, triggerId: id },
          "could not enqueue a pipeline trigger; the reconciler will",
        );
      }
      return { id, dagId, dagRunId };
    },

    sources: () => ({ airflow: Boolean(deps.airflow), adf: Boolean(deps.adf) }),

    /** The factory's pipelines, each with its latest run. */
    async listAdfPipelines(user: CurrentUser) {
      assertCan(user, "pipelines:read");
      const adf = adfOrThrow();
      try {
        const pipelines = await adf.listPipelines();
        const latest = await Promise.all(pipelines.map((p) => latestAdfRun(adf, p.name)));
        return {
          factoryName: adf.factory.factoryName,
          pipelines: pipelines.map((p, i) => ({
            name: p.name,
            description: p.properties.description ?? null,
            folder: p.properties.folder?.name ?? null,
            annotations: (p.properties.annotations ?? []).filter((a): a is string => typeof a === "string"),
            latestRun: latest[i],
          })),
        };
      } catch (error) {
        fromAdf(error, "pipeline");
      }
    },

    /**
     * One ADF pipeline, a page of its runs (newest first; ADF pages with a continuation token, so the
     * way on is `nextPageToken`) and the triggers people asked for here. ADF has no pause: triggers
     * start pipelines, and stopping one is done on the trigger, in the factory.
     */
    async getAdfPipeline(
      user: CurrentUser,
      pipelineName: string,
      { pageToken }: { pageToken?: string } = {},
    ) {
      assertCan(user, "pipelines:read");
      checkAdfIds(pipelineName);
      if (pageToken !== undefined && !adfPageTokenSchema.safeParse(pageToken).success)
        throw new AppError(
          "BAD_REQUEST",
          "That page of runs is not valid: start again from the newest runs.",
        );
      const adf = adfOrThrow();
      let pipeline: PipelineResource;
      let page: { runs: PipelineRun[]; continuationToken?: string };
      try {
        pipeline = await adf.getPipeline(pipelineName);
      } catch (error) {
        fromAdf(error, "pipeline");
      }
      try {
        page = await adf.queryPipelineRuns({
          ...adfWindow(),
          filters: [{ operand: "PipelineName", operator: "Equals", values: [pipeline.name] }],
          orderBy: [{ orderBy: "RunStart", order: "DESC" }],
          continuationToken: pageToken,
        });
      } catch (error) {
        if (pageToken && error instanceof CloudApiError && error.status === 400)
          throw new AppError(
            "BAD_REQUEST",
            "That page of runs has expired: start again from the newest runs.",
          );
        fromAdf(error, "pipeline");
      }
      const triggers = await deps.db.pipelineTrigger.findMany({
        where: { source: "ADF", dagId: pipeline.name },
        orderBy: { createdAt: "desc" },
        take: 10,
        select: triggerSelect,
      });
      const declared = pipeline.properties.parameters ?? {};
      return {
        source: "adf" as const,
        factoryName: adf.factory.factoryName,
        dagId: pipeline.name,
        description: pipeline.properties.description ?? null,
        folder: pipeline.properties.folder?.name ?? null,
        annotations: (pipeline.properties.annotations ?? []).filter(
          (a): a is string => typeof a === "string",
        ),
        activities: (pipeline.properties.activities ?? []).map((a) => ({ name: a.name, type: a.type })),
        parameters: Object.entries(declared)
          .filter(([name]) => name !== triggerIdParameter)
          .map(([name, spec]) => ({
            name,
            type: spec.type,
            defaultValue: spec.defaultValue === undefined ? null : JSON.stringify(spec.defaultValue),
          })),
        /** Switchboard can start a run only of a pipeline that declares the parameter it finds its runs by. */
        acceptsTriggers: Object.hasOwn(declared, triggerIdParameter),
        runs: page.runs.map(toAdfRunSummary),
        nextPageToken: page.continuationToken ?? null,
        isFirstPage: !pageToken,
        triggers: triggers.map((t) => ({
          id: t.id,
          dagRunId: t.externalRunId ?? t.dagRunId,
          status: t.status,
          errorMessage: t.errorMessage,
          requestedBy: t.requestedBy.name,
          createdAt: t.createdAt.toISOString(),
        })),
        canTrigger: can(user, "pipelines:trigger"),
      };
    },

    getAdfPipelineRun,

    /** The Databricks run an ADF run's activity submitted, only if that run's activity output names it. */
    async getAdfSubmittedDatabricksRun(
      user: CurrentUser,
      pipelineName: string,
      runKey: string,
      databricksRunId: string,
    ) {
      const detail = await getAdfPipelineRun(user, pipelineName, runKey);
      const submitted = detail.databricksRuns.find((d) => d.databricksRunId === databricksRunId);
      if (!submitted)
        throw new AppError("NOT_FOUND", "This pipeline run did not submit that Databricks run.");
      return {
        dagId: detail.dagId,
        dagRunId: detail.dagRunId,
        taskId: submitted.taskId,
        ...(await describeSubmittedRun(databricksRunId)),
      };
    },

    /**
     * Row first (its key becomes the run's switchboardTriggerId parameter), audited in the same
     * transaction; then the worker's job. Parameters are checked against the pipeline's declared ones
     * first, so bad ones are a 400 and nothing is written.
     */
    async triggerAdfPipelineRun(user: CurrentUser, pipelineName: string, input: TriggerAdfRunInput) {
      assertCan(user, "pipelines:trigger");
      checkAdfIds(pipelineName);
      const adf = adfOrThrow();
      let pipeline: PipelineResource;
      try {
        pipeline = await adf.getPipeline(pipelineName);
      } catch (error) {
        fromAdf(error, "pipeline");
      }
      const declared = pipeline.properties.parameters ?? {};
      if (!Object.hasOwn(declared, triggerIdParameter))
        throw new AppError(
          "CONFLICT",
          `${pipeline.name} does not declare a String parameter ${triggerIdParameter}; add one (default "") so Switchboard can start it and find the run again.`,
        );
      const problems = parameterProblems(declared, input.parameters);
      if (problems.length)
        throw new AppError(
          "BAD_REQUEST",
          `These parameters cannot start ${pipeline.name}: ${problems.map((p) => p.message).join("; ")}.`,
          {
            details: problems.map((p) => ({ path: ["parameters"], message: p.message })),
          },
        );
      const id = crypto.randomUUID();
      const dagRunId = `switchboard__${id}`;
      await deps.db.$transaction(async (tx) => {
        await tx.pipelineTrigger.create({
          data: {
            id,
            source: "ADF",
            dagId: pipeline.name,
            dagRunId,
            conf: input.parameters as Prisma.InputJsonValue,
            requestedById: user.id,
          },
          select: { id: true },
        });
        await appendAuditEvent(tx, {
          actor: actorOf(user),
          action: "pipeline.triggered",
          entityType: "PipelineTrigger",
          entityId: id,
          after: {
            source: "adf",
            factory: adf.factory.factoryName,
            pipeline: pipeline.name,
            parameters: input.parameters,
          },
        });
      });
      try {
        await deps.enqueue(
          "adf.create-pipeline-run",
          { triggerId: id },
          { jobId: jobIds.createAdfPipelineRun(id, "requested") },
        );
      } catch (error) {
        logger.warn(
          { err: error, triggerId: id },
          "could not enqueue a pipeline trigger; the reconciler will",
        );
      }
      return { id, pipelineName: pipeline.name, runKey: dagRunId };
    },

    /** Pauses or unpauses a DAG in Airflow at once (a quick call), then records who did it. */
    async setPaused(user: CurrentUser, dagId: string, isPaused: boolean) {
      assertCan(user, "pipelines:pause");
      checkIds(dagId);
      const airflow = airflowOrThrow();
      let before: Dag;
      let after: Dag;
      try {
        before = await airflow.getDag(dagId);
        after = await airflow.setPaused(dagId, isPaused);
      } catch (error) {
        fromAirflow(error, "pipeline");
      }
      if ((before.is_paused ?? false) !== (after.is_paused ?? false)) {
        await recordAuditEvent(deps.db, {
          actor: actorOf(user),
          action: isPaused ? "pipeline.paused" : "pipeline.unpaused",
          entityType: "AirflowDag",
          entityId: dagId,
          before: { isPaused: before.is_paused },
          after: { isPaused: after.is_paused },
        });
      }
      return { dagId, isPaused: after.is_paused ?? false };
    },
  };
}

export type PipelineService = ReturnType<typeof createPipelineService>;
export type DagList = Awaited<ReturnType<PipelineService["listDags"]>>;
export type DagDetail = Awaited<ReturnType<PipelineService["getDag"]>>;
export type DagRunDetail = Awaited<ReturnType<PipelineService["getDagRun"]>>;
export type SubmittedDatabricksRun = Awaited<ReturnType<PipelineService["getSubmittedDatabricksRun"]>>;
export type AdfPipelineList = Awaited<ReturnType<PipelineService["listAdfPipelines"]>>;
export type AdfPipelineDetail = Awaited<ReturnType<PipelineService["getAdfPipeline"]>>;
export type AdfPipelineRunDetail = Awaited<ReturnType<PipelineService["getAdfPipelineRun"]>>;

const globalForPipelines = globalThis as unknown as { switchboardPipelines?: PipelineService };

function pipelines(): PipelineService {
  globalForPipelines.switchboardPipelines ??= createPipelineService({
    airflow: getCloudClients().airflow,
    adf: getCloudClients().adf,
    databricks: getCloudClients().databricks,
    db: getDb(),
    enqueue: (name, payload, options) => getJobProducer().enqueue(name, payload, options),
  });
  return globalForPipelines.switchboardPipelines;
}

// What pages and routes call (the one DAL shape, docs/style.md): each bound to the real dependencies.
export const listDags: PipelineService["listDags"] = (...args) => pipelines().listDags(...args);
export const getDag: PipelineService["getDag"] = (...args) => pipelines().getDag(...args);
export const getSubmittedDatabricksRun: PipelineService["getSubmittedDatabricksRun"] = (...args) =>
  pipelines().getSubmittedDatabricksRun(...args);
export const triggerDagRun: PipelineService["triggerDagRun"] = (...args) =>
  pipelines().triggerDagRun(...args);
export const setPaused: PipelineService["setPaused"] = (...args) => pipelines().setPaused(...args);
export const getDagRun: PipelineService["getDagRun"] = (...args) => pipelines().getDagRun(...args);

/** Which orchestrators this deployment reads: the Pipelines page shows a section for each. */
export const listPipelineSources = (user: CurrentUser) => {
  assertCan(user, "pipelines:read");
  return pipelines().sources();
};
export const listAdfPipelines: PipelineService["listAdfPipelines"] = (...args) =>
  pipelines().listAdfPipelines(...args);
export const getAdfPipeline: PipelineService["getAdfPipeline"] = (...args) =>
  pipelines().getAdfPipeline(...args);
export const getAdfPipelineRun: PipelineService["getAdfPipelineRun"] = (...args) =>
  pipelines().getAdfPipelineRun(...args);
export const getAdfSubmittedDatabricksRun: PipelineService["getAdfSubmittedDatabricksRun"] = (...args) =>
  pipelines().getAdfSubmittedDatabricksRun(...args);
export const triggerAdfPipelineRun: PipelineService["triggerAdfPipelineRun"] = (...args) =>
  pipelines().triggerAdfPipelineRun(...args);
