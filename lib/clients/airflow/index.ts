import { CloudApiError, createHttpClient, type TransportOptions } from "../http";
import {
  dag,
  dagCollection,
  dagRun,
  dagRunCollection,
  problem,
  taskInstanceCollection,
  xcomEntry,
  type Dag,
  type DagRun,
  type TaskInstance,
} from "./schemas";

export type { Dag, DagRun, DagRunState, TaskInstance, TaskState, XcomEntry } from "./schemas";

/**
 * Airflow's stable REST API v1 (`/api/v1`, Airflow 2.x; apache/airflow
 * airflow/api_connexion/openapi/v1.yaml) on the shared transport. Lists page with limit/offset and
 * report `total_entries`; errors are RFC 7807 problems whose `type` ends in the error's name
 * (`#section/Errors/NotFound`), which becomes the CloudApiError's code.
 */

export interface AirflowClientOptions extends TransportOptions {
  /** The webserver's base URL, including any path prefix it is served under (`[webserver] base_url`). */
  baseUrl: string;
  /** Basic auth (`airflow.api.auth.backend.basic_auth`), used when there is no `getToken` (a bearer token from the identity provider, or the sandbox's). */
  basicAuth?: { username: string; password: string };
}

/** The server caps `limit` at `[api] maximum_page_limit` (100 by default) without saying so. */
export const airflowMaxPageLimit = 100;

export interface Page {
  limit?: number;
  offset?: number;
}

export interface ListDagsOptions extends Page {
  /** SQL LIKE-style substring match on dag_id. */
  dagIdPattern?: string;
  paused?: boolean;
  onlyActive?: boolean;
  tags?: string[];
  orderBy?: string;
}

export interface ListDagRunsOptions extends Page {
  /** e.g. `-execution_date` for newest first (the server's default is `id`, oldest first). */
  orderBy?: string;
  state?: string[];
}

export interface TriggerDagRunRequest {
  /** Chosen by the caller so a retried trigger cannot start a second run (the server answers 409 AlreadyExists). */
  dagRunId: string;
  conf?: Record<string, unknown>;
  note?: string;
  logicalDate?: string;
}

/** `type` is a docs link ending in `#section/Errors/<Name>`: the name is the code. */
export function parseAirflowProblem(status: number, body: unknown): { errorCode?: string; message?: string } {
  const parsed = problem.safeParse(body);
  if (!parsed.success) return {};
  const name = parsed.data.type?.match(/#section\/Errors\/(\w+)$/)?.[1];
  const message = [parsed.data.title, parsed.data.detail].filter(Boolean).join(": ") || undefined;
  return { errorCode: name ?? (status === 409 ? "AlreadyExists" : undefined), message };
}

export const isAirflowAlreadyExists = (error: unknown) =>
  error instanceof CloudApiError && error.status === 409;

const segment = encodeURIComponent;

export function createAirflowClient(options: AirflowClientOptions) {
  const basic = options.basicAuth
    ? `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString("base64")}`
    : undefined;
  const http = createHttpClient({
    service: "Airflow",
    baseUrl: `${options.baseUrl.replace(/\/$/, "")}/api/v1`,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs ?? 30_000,
    retryBudgetMs: options.retryBudgetMs,
    maxAttempts: options.maxAttempts,
    parseError: parseAirflowProblem,
    fetch: options.fetch,
    sleep: options.sleep,
    userAgent: "switchboard/0.1 airflow",
  });
  const headers = !options.getToken && basic ? { authorization: basic } : undefined;
  const page = (p: Page) => ({ limit: p.limit ?? airflowMaxPageLimit, offset: p.offset ?? 0 });
  const runPath = (dagId: string, dagRunId: string) => `/dags/${segment(dagId)}/dagRuns/${segment(dagRunId)}`;

  return {
    async listDags(list: ListDagsOptions = {}): Promise<{ dags: Dag[]; totalEntries: number }> {
      const query = {
        ...page(list),
        dag_id_pattern: list.dagIdPattern,
        paused: list.paused,
        only_active: list.onlyActive,
        tags: list.tags,
        order_by: list.orderBy,
      };
      const body = await http.request("GET", "/dags", { query, headers, schema: dagCollection });
      return { dags: body.dags, totalEntries: body.total_entries };
    },

    getDag(dagId: string): Promise<Dag> {
      return http.request("GET", `/dags/${segment(dagId)}`, { headers, schema: dag });
    },

    /** Pauses or unpauses; only `is_paused` changes (update_mask). */
    setPaused(dagId: string, isPaused: boolean): Promise<Dag> {
      return http.request("PATCH", `/dags/${segment(dagId)}`, {
        query: { update_mask: "is_paused" },
        body: { is_paused: isPaused },
        headers,
        schema: dag,
        idempotent: true,
      });
    },

    async listDagRuns(
      dagId: string,
      list: ListDagRunsOptions = {},
    ): Promise<{ dagRuns: DagRun[]; totalEntries: number }> {
      const query = { ...page(list), order_by: list.orderBy, state: list.state };
      const body = await http.request("GET", `/dags/${segment(dagId)}/dagRuns`, {
        query,
        headers,
        schema: dagRunCollection,
      });
      return { dagRuns: body.dag_runs, totalEntries: body.total_entries };
    },

    getDagRun(dagId: string, dagRunId: string): Promise<DagRun> {
      return http.request("GET", runPath(dagId, dagRunId), { headers, schema: dagRun });
    },

    /** Safe to retry: the caller's dag_run_id makes a repeat answer 409 (see isAirflowAlreadyExists). */
    triggerDagRun(dagId: string, request: TriggerDagRunRequest): Promise<DagRun> {
      const body = {
        dag_run_id: request.dagRunId,
        conf: request.conf ?? {},
        note: request.note,
        logical_date: request.logicalDate,
      };
      return http.request("POST", `/dags/${segment(dagId)}/dagRuns`, {
        body,
        headers,
        schema: dagRun,
        idempotent: true,
      });
    },

    /** Every task instance of a run, following offset pages until total_entries are read. */
    async listTaskInstances(dagId: string, dagRunId: string): Promise<TaskInstance[]> {
      const out: TaskInstance[] = [];
      for (let offset = 0; ;) {
        const body = await http.request("GET", `${runPath(dagId, dagRunId)}/taskInstances`, {
          query: { limit: airflowMaxPageLimit, offset },
          headers,
          schema: taskInstanceCollection,
        });
        out.push(...body.task_instances);
        offset += body.task_instances.length;
        if (!body.task_instances.length || offset >= body.total_entries) return out;
      }
    },

    /**
     * One XCom value, or undefined when the task pushed none. Asks for the stored JSON
     * (`stringify=false`, Airflow 2.10+); older servers send str() of it, parsed here when it is JSON.
     */
    async getXcomValue(dagId: string, dagRunId: string, taskId: string, key: string): Promise<unknown> {
      try {
        const entry = await http.request(
          "GET",
          `${runPath(dagId, dagRunId)}/taskInstances/${segment(taskId)}/xcomEntries/${segment(key)}`,
          { query: { stringify: false }, headers, schema: xcomEntry },
        );
        if (typeof entry.value !== "string") return entry.value;
        try {
          return JSON.parse(entry.value);
        } catch {
          return entry.value;
        }
      } catch (error) {
        if (error instanceof CloudApiError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}

export type AirflowClient = ReturnType<typeof createAirflowClient>;
