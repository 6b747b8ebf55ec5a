import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { SandboxContext } from "../lib/context";
import { airflowProblem } from "../lib/dialect";
import { dagDefinitions, findDag, type DagDefinition } from "./dags";
import { intervalEndBefore, newTaskInstances } from "./scheduler";
import { dagRunOrderColumns, type AirflowStore, type DagRunRow, type TaskInstanceRow } from "./store";

/**
 * Airflow's stable REST API v1 under `/airflow/api/v1` (the webserver's base_url is `/airflow`),
 * with its shapes, limit/offset paging with total_entries (limit capped at maximum_page_limit, 100)
 * and RFC 7807 errors whose titles and details follow airflow/api_connexion/endpoints.
 */

const maximumPageLimit = 100;
const version = "2.10.5";

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string | undefined,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const sendProblem = (reply: FastifyReply, problem: Problem) =>
  reply
    .code(problem.status)
    .type("application/problem+json")
    .send(airflowProblem(problem.status, problem.detail, problem.title));
const badRequest = (detail: string) => new Problem(400, "Bad Request", detail);
const dagNotFound = (dagId: string) =>
  new Problem(404, "DAG not found", `DAG with dag_id: '${dagId}' not found`);

type Query = Record<string, string | string[] | undefined>;
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.at(-1) : value);
const list = (value: string | string[] | undefined) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** Connexion's parameter validation messages, e.g. "-1 is less than the minimum of 1 - 'limit'". */
function integer(query: Query, name: string, fallback: number, minimum: number): number {
  const raw = single(query[name]);
  if (raw === undefined || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`'${raw}' is not of type 'integer' - '${name}'`);
  const value = Number(raw);
  if (value < minimum) throw badRequest(`${value} is less than the minimum of ${minimum} - '${name}'`);
  return value;
}

function boolean(query: Query, name: string): boolean | undefined {
  const raw = single(query[name]);
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw badRequest(`'${raw}' is not of type 'boolean' - '${name}'`);
}

function paging(query: Query) {
  return {
    limit: Math.min(integer(query, "limit", 100, 1), maximumPageLimit),
    offset: integer(query, "offset", 0, 0),
  };
}

const iso = (date: Date | null | undefined) =>
  date ? date.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00") : null;

function renderDag(dag: DagDefinition, isPaused: boolean, now: number) {
  const nextEnd = intervalEndBefore(dag, now) + dag.periodMs;
  return {
    dag_id: dag.dagId,
    dag_display_name: dag.dagId,
    root_dag_id: null,
    is_paused: isPaused,
    is_active: true,
    is_subdag: false,
    last_parsed_time: iso(new Date(now - (now % 30_000))),
    last_pickled: null,
    last_expired: null,
    scheduler_lock: null,
    pickle_id: null,
    default_view: "grid",
    fileloc: dag.fileloc,
    file_token: Buffer.from(dag.fileloc).toString("base64url"),
    owners: dag.owners,
    description: dag.description,
    schedule_interval: { __type: "CronExpression", value: dag.cron },
    timetable_description: dag.timetableDescription,
    tags: dag.tags.map((name) => ({ name })),
    max_active_tasks: 16,
    max_active_runs: 1,
    has_task_concurrency_limits: false,
    has_import_errors: false,
    next_dagrun: iso(new Date(nextEnd - dag.periodMs)),
    next_dagrun_data_interval_start: iso(new Date(nextEnd - dag.periodMs)),
    next_dagrun_data_interval_end: iso(new Date(nextEnd)),
    next_dagrun_create_after: iso(new Date(nextEnd)),
    max_consecutive_failed_dag_runs: 0,
  };
}

function renderRun(run: DagRunRow) {
  return {
    dag_run_id: run.dagRunId,
    dag_id: run.dagId,
    logical_date: iso(run.logicalDate),
    execution_date: iso(run.logicalDate),
    start_date: iso(run.startDate),
    end_date: iso(run.endDate),
    data_interval_start: iso(run.dataIntervalStart),
    data_interval_end: iso(run.dataIntervalEnd),
    last_scheduling_decision: iso(run.endDate ?? run.startDate),
    run_type: run.runType,
    state: run.state,
    external_trigger: run.externalTrigger,
    conf: run.conf,
    note: run.note,
  };
}

function renderTask(run: DagRunRow, task: TaskInstanceRow, dag: DagDefinition) {
  const definition = dag.tasks[task.position];
  const ended = task.endDate && task.startDate && task.state !== "running" ? task.endDate : null;
  return {
    task_id: task.taskId,
    task_display_name: task.taskId,
    dag_id: task.dagId,
    dag_run_id: task.dagRunId,
    execution_date: iso(run.logicalDate),
    start_date: iso(task.startDate),
    end_date: iso(ended),
    duration: ended && task.startDate ? (ended.getTime() - task.startDate.getTime()) / 1000 : null,
    state: task.state,
    try_number: task.tryNumber,
    map_index: -1,
    max_tries: task.maxTries,
    hostname: task.startDate ? "airflow-worker-0.airflow-worker.airflow.svc.cluster.local" : "",
    unixname: "airflow",
    pool: "default_pool",
    pool_slots: 1,
    queue: "default",
    priority_weight: dag.tasks.length - task.position,
    operator: definition?.operator ?? null,
    queued_when: iso(task.queuedWhen),
    pid: task.startDate ? 4000 + task.position : null,
    executor: null,
    executor_config: "{}",
    sla_miss: null,
    rendered_map_index: null,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    note: null,
  };
}

const triggerBody = z.looseObject({
  dag_run_id: z.string().min(1).max(250).nullable().optional(),
  logical_date: z.iso.datetime({ offset: true }).nullable().optional(),
  execution_date: z.iso.datetime({ offset: true }).nullable().optional(),
  conf: z.record(z.string(), z.unknown()).nullable().optional(),
  note: z.string().nullable().optional(),
});

export function registerAirflowRoutes(
  app: FastifyInstance,
  { store, isSeeded }: { context: SandboxContext; store: AirflowStore; isSeeded: Promise<void> },
) {
  app.register(
    async (scope) => {
      scope.addHook("onRequest", async () => {
        await isSeeded;
      });
      scope.setErrorHandler((error: Error, _request, reply) => {
        if (error instanceof Problem) return sendProblem(reply, error);
        throw error;
      });

      const dagOf = (dagId: string) => {
        const dag = findDag(dagId);
        if (!dag) throw dagNotFound(dagId);
        return dag;
      };
      const runOf = async (dagId: string, dagRunId: string) => {
        dagOf(dagId);
        const run = await store.getRun(dagId, dagRunId);
        if (!run)
          throw new Problem(
            404,
            "DAGRun not found",
            `DAGRun with DAG ID: '${dagId}' and DagRun ID: '${dagRunId}' not found`,
          );
        return run;
      };

      scope.get("/health", async () => ({
        metadatabase: { status: "healthy" },
        scheduler: { status: "healthy", latest_scheduler_heartbeat: iso(new Date()) },
      }));
      scope.get("/version", async () => ({ version, git_version: null }));

      // GET /dags – list, filtered like get_dags (dag_id_pattern is a substring match), ordered by dag_id.
      scope.get("/dags", async (request) => {
        const query = request.query as Query;
        const { limit, offset } = paging(query);
        const paused = boolean(query, "paused");
        boolean(query, "only_active");
        const pattern = single(query.dag_id_pattern)?.toLowerCase();
        const tags = list(query.tags);
        const orderBy = single(query.order_by) ?? "dag_id";
        if (!/^-?dag_id$/.test(orderBy))
          throw badRequest(
            `Ordering with '${orderBy.replace(/^-/, "")}' is disallowed or the attribute does not exist on the model`,
          );
        const flags = await store.pauseFlags();
        const now = Date.now();
        const matching = dagDefinitions
          .filter(
            (dag) =>
              (paused === undefined || flags.get(dag.dagId) === paused) &&
              (!pattern || dag.dagId.includes(pattern)) &&
              (!tags || tags.some((t) => dag.tags.includes(t))),
          )
          .sort((a, b) =>
            orderBy.startsWith("-") ? b.dagId.localeCompare(a.dagId) : a.dagId.localeCompare(b.dagId),
          );
        return {
          dags: matching
            .slice(offset, offset + limit)
            .map((dag) => renderDag(dag, flags.get(dag.dagId) ?? dag.isPausedUponCreation, now)),
          total_entries: matching.length,
        };
      });

      scope.get("/dags/:dagId", async (request) => {
        const dag = dagOf((request.params as { dagId: string }).dagId);
        return renderDag(
          dag,
          (await store.pauseFlags()).get(dag.dagId) ?? dag.isPausedUponCreation,
          Date.now(),
        );
      });

      // PATCH /dags/{dag_id}?update_mask=is_paused – the only field the API may change.
      scope.patch("/dags/:dagId", async (request) => {
        const dag = dagOf((request.params as { dagId: string }).dagId);
        const mask = list((request.query as Query).update_mask);
        if (mask && mask.some((field) => field !== "is_paused"))
          throw badRequest("Only `is_paused` field can be updated through the REST API");
        const body = z.object({ is_paused: z.boolean() }).safeParse(request.body);
        if (!body.success) throw badRequest("{'is_paused': ['Missing data for required field.']}");
        await store.setPaused(dag.dagId, body.data.is_paused);
        return renderDag(dag, body.data.is_paused, Date.now());
      });

      // GET /dags/{dag_id}/dagRuns – `~` lists every DAG's runs; order_by defaults to id (oldest first).
      scope.get("/dags/:dagId/dagRuns", async (request) => {
        const { dagId } = request.params as { dagId: string };
        if (dagId !== "~") dagOf(dagId);
        const query = request.query as Query;
        const { limit, offset } = paging(query);
        const orderBy = single(query.order_by) ?? "id";
        const column = dagRunOrderColumns[orderBy.replace(/^-/, "")];
        if (!column)
          throw badRequest(
            `Ordering with '${orderBy.replace(/^-/, "")}' is disallowed or the attribute does not exist on the model`,
          );
        const { runs, total } = await store.listRuns({
          dagId: dagId === "~" ? null : dagId,
          states: list(query.state),
          orderColumn: column,
          descending: orderBy.startsWith("-"),
          limit,
          offset,
        });
        return { dag_runs: runs.map(renderRun), total_entries: total };
      });

      // POST /dags/{dag_id}/dagRuns – a manual run; a taken dag_run_id or logical date is 409.
      scope.post("/dags/:dagId/dagRuns", async (request) => {
        const dag = dagOf((request.params as { dagId: string }).dagId);
        const parsed = triggerBody.safeParse(request.body ?? {});
        if (!parsed.success)
          throw badRequest(parsed.error.issues.map((i) => `${i.message} - '${i.path.join(".")}'`).join("; "));
        const body = parsed.data;
        if (body.logical_date && body.execution_date && body.logical_date !== body.execution_date)
          throw badRequest("logical_date conflicts with execution_date");
        const logicalDate = new Date(body.logical_date ?? body.execution_date ?? Date.now());
        const dagRunId = body.dag_run_id ?? `manual__${iso(logicalDate)}`;
        const created = await store.insertRun(
          {
            dagId: dag.dagId,
            dagRunId,
            logicalDate,
            dataIntervalStart: logicalDate,
            dataIntervalEnd: logicalDate,
            runType: "manual",
            state: "queued",
            externalTrigger: true,
            conf: body.conf ?? {},
            note: body.note ?? null,
          },
          newTaskInstances(dag),
        );
        if (!created) {
          const byId = await store.getRun(dag.dagId, dagRunId);
          throw new Problem(
            409,
            undefined,
            byId
              ? `DAGRun with DAG ID: '${dag.dagId}' and DAGRun ID: '${dagRunId}' already exists`
              : `DAGRun with DAG ID: '${dag.dagId}' and DAGRun logical date: '${iso(logicalDate)}' already exists`,
          );
        }
        return renderRun((await store.getRun(dag.dagId, dagRunId))!);
      });

      scope.get("/dags/:dagId/dagRuns/:dagRunId", async (request) => {
        const { dagId, dagRunId } = request.params as { dagId: string; dagRunId: string };
        return renderRun(await runOf(dagId, dagRunId));
      });

      scope.get("/dags/:dagId/dagRuns/:dagRunId/taskInstances", async (request) => {
        const { dagId, dagRunId } = request.params as { dagId: string; dagRunId: string };
        const { limit, offset } = paging(request.query as Query);
        const run = await runOf(dagId, dagRunId);
        const tasks = await store.tasksOf(dagId, dagRunId);
        return {
          task_instances: tasks
            .slice(offset, offset + limit)
            .map((task) => renderTask(run, task, dagOf(dagId))),
          total_entries: tasks.length,
        };
      });

      scope.get("/dags/:dagId/dagRuns/:dagRunId/taskInstances/:taskId", async (request) => {
        const { dagId, dagRunId, taskId } = request.params as {
          dagId: string;
          dagRunId: string;
          taskId: string;
        };
        const run = await runOf(dagId, dagRunId);
        const task = (await store.tasksOf(dagId, dagRunId)).find((t) => t.taskId === taskId);
        if (!task) throw new Problem(404, "Task instance not found", "Task instance not found");
        return renderTask(run, task, dagOf(dagId));
      });

      // XCom: the stored JSON with stringify=false (2.10), else its string form.
      scope.get("/dags/:dagId/dagRuns/:dagRunId/taskInstances/:taskId/xcomEntries/:key", async (request) => {
        const { dagId, dagRunId, taskId, key } = request.params as {
          dagId: string;
          dagRunId: string;
          taskId: string;
          key: string;
        };
        const run = await runOf(dagId, dagRunId);
        const xcom = await store.getXcom(dagId, dagRunId, taskId, key);
        if (!xcom) throw new Problem(404, "XCom entry not found", `XCom entry with key: '${key}' not found`);
        const stringify = boolean(request.query as Query, "stringify") ?? true;
        return {
          key,
          timestamp: iso(xcom.timestamp),
          execution_date: iso(run.logicalDate),
          map_index: -1,
          task_id: taskId,
          dag_id: dagId,
          value: stringify ? JSON.stringify(xcom.value) : xcom.value,
        };
      });
    },
    { prefix: "/airflow/api/v1" },
  );
}
