import type { FastifyInstance } from "fastify";
import type { SandboxContext } from "../lib/context";
import { ApiError } from "../lib/errors";
import { renderJob, renderRun, renderRunOutput } from "./render";
import {
  jobSettings,
  parseRequest,
  runNowRequest,
  submitRunRequest,
  validateTasks,
  type TaskSpec,
} from "./requests";
import type { JobsSimulator } from "./simulator";
import type { JobsStore, RunRow, TaskRow } from "./store";

/** Who the sandbox's bearer token stands for (runs' creator_user_name, MLflow's mlflow.user). */
export const sandboxUserName = "switchboard-sandbox@example.com";

type Query = Record<string, string | undefined>;

function idParameter(source: Record<string, unknown>, name: string): number {
  const raw = source[name];
  if (raw === undefined || raw === null || raw === "")
    throw new ApiError("INVALID_PARAMETER_VALUE", `Missing required field: ${name}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ApiError(
      "INVALID_PARAMETER_VALUE",
      `Invalid value for ${name}: '${String(raw)}' is not a valid id`,
    );
  return value;
}

function boolParameter(query: Query, name: string): boolean {
  const raw = query[name];
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new ApiError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value for ${name}: '${raw}' (expected true or false)`,
  );
}

function intParameter(query: Query, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value))
    throw new ApiError("INVALID_PARAMETER_VALUE", `Invalid value for ${name}: '${raw}'`);
  return value;
}

const encodeToken = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
function decodeToken<T>(token: string, isValid: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString());
    if (isValid(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new ApiError("INVALID_PARAMETER_VALUE", "Invalid page_token");
}
const isRunCursor = (v: unknown): v is { t: number; r: number } =>
  typeof v === "object" &&
  v !== null &&
  Number.isFinite((v as { t: number }).t) &&
  Number.isFinite((v as { r: number }).r);
const isOffsetCursor = (v: unknown): v is { o: number } =>
  typeof v === "object" &&
  v !== null &&
  Number.isSafeInteger((v as { o: number }).o) &&
  (v as { o: number }).o >= 0;

/** run-now's parameter overrides, applied the way the Jobs service does per task type. */
function applyOverrides(
  tasks: TaskSpec[],
  overrides: { python_params?: string[]; notebook_params?: Record<string, string>; only?: string[] },
): TaskSpec[] {
  const selected = overrides.only?.length ? tasks.filter((t) => overrides.only!.includes(t.task_key)) : tasks;
  if (overrides.only?.length && selected.length !== overrides.only.length)
    throw new ApiError(
      "INVALID_PARAMETER_VALUE",
      `Unknown task keys in 'only': ${overrides.only.filter((k) => !tasks.some((t) => t.task_key === k)).join(", ")}`,
    );
  const keys = new Set(selected.map((t) => t.task_key));
  return selected.map((task) => ({
    ...task,
    depends_on: task.depends_on?.filter((d) => keys.has(d.task_key)),
    ...(task.spark_python_task && overrides.python_params
      ? { spark_python_task: { ...task.spark_python_task, parameters: overrides.python_params } }
      : {}),
    ...(task.notebook_task && overrides.notebook_params
      ? {
          notebook_task: {
            ...task.notebook_task,
            base_parameters: { ...task.notebook_task.base_parameters, ...overrides.notebook_params },
          },
        }
      : {}),
  }));
}

export function registerJobsRoutes(
  app: FastifyInstance,
  deps: { context: SandboxContext; store: JobsStore; simulator: JobsSimulator },
) {
  const { context, store, simulator } = deps;

  async function findRun(runId: number): Promise<RunRow> {
    const run = await store.getRun(runId);
    if (!run) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Run ${runId} does not exist.`);
    return run;
  }

  async function startRun(input: Parameters<JobsStore["insertRun"]>[0], tasks: TaskSpec[]) {
    const { runId, created } = await store.insertRun(
      input,
      tasks.map((spec) => ({ taskKey: spec.task_key, spec })),
      Date.now(),
    );
    if (created) simulator.start(runId);
    return runId;
  }

  const routes = async (scope: FastifyInstance) => {
    // POST runs/submit – a one-time run; the same idempotency_token always answers the same run_id.
    scope.post("/runs/submit", async (request) => {
      const body = parseRequest(submitRunRequest, request.body);
      const tasks = validateTasks(body.tasks);
      const runId = await startRun(
        {
          jobId: await store.nextId(),
          runType: "SUBMIT_RUN",
          runName: body.run_name || "Untitled",
          spec: { timeout_seconds: body.timeout_seconds, tags: body.tags },
          creatorUserName: sandboxUserName,
          idempotencyToken: body.idempotency_token,
        },
        tasks,
      );
      return { run_id: runId };
    });

    scope.get("/runs/get", async (request) => {
      const run = await findRun(idParameter(request.query as Query, "run_id"));
      if (run.parentRunId !== null)
        return renderRunOutput(run as TaskRow, await findRun(run.parentRunId), context.baseUrl).metadata;
      return renderRun(run, await store.getTasks(run.runId), context.baseUrl);
    });

    // POST runs/cancel – asynchronous: the run goes through TERMINATING before it is CANCELED.
    scope.post("/runs/cancel", async (request) => {
      const run = await findRun(idParameter((request.body ?? {}) as Record<string, unknown>, "run_id"));
      await simulator.cancel(run.parentRunId ?? run.runId);
      return {};
    });

    scope.get("/runs/get-output", async (request) => {
      const run = await findRun(idParameter(request.query as Query, "run_id"));
      if (run.parentRunId === null) {
        throw new ApiError(
          "INVALID_PARAMETER_VALUE",
          "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.",
        );
      }
      return renderRunOutput(run as TaskRow, await findRun(run.parentRunId), context.baseUrl);
    });

    scope.get("/runs/list", async (request) => {
      const query = request.query as Query;
      const requested = intParameter(query, "limit") ?? 20;
      if (requested < 0 || requested > 25)
        throw new ApiError("INVALID_PARAMETER_VALUE", `Invalid limit ${requested}: must be between 1 and 25`);
      const limit = requested === 0 ? 25 : requested;
      const activeOnly = boolParameter(query, "active_only");
      const completedOnly = boolParameter(query, "completed_only");
      if (activeOnly && completedOnly)
        throw new ApiError("INVALID_PARAMETER_VALUE", "active_only and completed_only cannot both be true");
      const after = query.page_token ? decodeToken(query.page_token, isRunCursor) : undefined;
      const rows = await store.listRuns({
        activeOnly,
        completedOnly,
        jobId: intParameter(query, "job_id"),
        runType: query.run_type,
        startTimeFrom: intParameter(query, "start_time_from"),
        startTimeTo: intParameter(query, "start_time_to"),
        after: after && { startTime: after.t, runId: after.r },
        limit,
      });
      const page = rows.slice(0, limit);
      const hasMore = rows.length > limit;
      const expand = boolParameter(query, "expand_tasks");
      const runs = await Promise.all(
        page.map(async (run) =>
          renderRun(run, expand ? await store.getTasks(run.runId) : undefined, context.baseUrl),
        ),
      );
      const last = page[page.length - 1];
      return {
        ...(runs.length ? { runs } : {}),
        has_more: hasMore,
        ...(hasMore ? { next_page_token: encodeToken({ t: last.startTime, r: last.runId }) } : {}),
      };
    });

    scope.post("/create", async (request) => {
      const settings = parseRequest(jobSettings, request.body);
      validateTasks(settings.tasks, settings.job_clusters);
      return {
        job_id: await store.insertJob({
          settings,
          creatorUserName: sandboxUserName,
          createdTime: Date.now(),
        }),
      };
    });

    scope.get("/get", async (request) => {
      const jobId = idParameter(request.query as Query, "job_id");
      const job = await store.getJob(jobId);
      if (!job) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Job ${jobId} does not exist.`);
      return renderJob(job, true);
    });

    scope.get("/list", async (request) => {
      const query = request.query as Query;
      const limit = intParameter(query, "limit") ?? 20;
      if (limit < 1 || limit > 100)
        throw new ApiError("INVALID_PARAMETER_VALUE", `Invalid limit ${limit}: must be between 1 and 100`);
      const offset = query.page_token
        ? decodeToken(query.page_token, isOffsetCursor).o
        : (intParameter(query, "offset") ?? 0);
      const rows = await store.listJobs({ name: query.name || undefined, offset, limit });
      const hasMore = rows.length > limit;
      const jobs = rows.slice(0, limit).map((job) => renderJob(job, boolParameter(query, "expand_tasks")));
      return {
        ...(jobs.length ? { jobs } : {}),
        has_more: hasMore,
        ...(hasMore ? { next_page_token: encodeToken({ o: offset + limit }) } : {}),
      };
    });

    // POST run-now – runs a job's tasks with the request's parameter overrides.
    scope.post("/run-now", async (request) => {
      const body = parseRequest(runNowRequest, request.body);
      const job = await store.getJob(body.job_id);
      if (!job) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Job ${body.job_id} does not exist.`);
      const tasks = applyOverrides(validateTasks(job.settings.tasks, job.settings.job_clusters), body);
      const overriding = Object.fromEntries(
        Object.entries({
          python_params: body.python_params,
          notebook_params: body.notebook_params,
          job_parameters: body.job_parameters,
        }).filter(([, v]) => v !== undefined),
      );
      const runId = await startRun(
        {
          jobId: job.jobId,
          runType: "JOB_RUN",
          runName: job.settings.name,
          spec: {
            timeout_seconds: job.settings.timeout_seconds,
            tags: job.settings.tags,
            ...(Object.keys(overriding).length ? { overriding_parameters: overriding } : {}),
          },
          creatorUserName: sandboxUserName,
          idempotencyToken: body.idempotency_token,
        },
        tasks,
      );
      return { run_id: runId, number_in_job: runId };
    });
  };

  for (const prefix of ["/api/2.1/jobs", "/api/2.2/jobs"]) app.register(routes, { prefix });
}
