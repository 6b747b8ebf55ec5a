import { createHttpClient, paginate, type TokenProvider, type TransportOptions } from "../http";
import {
  emptyResponse,
  job,
  listRunsResponse,
  run,
  runNowResponse,
  runOutput,
  submitRunResponse,
  type Job,
  type Run,
  type RunOutput,
} from "./schemas";

export { classifyRun, isTerminal, type RunClassification, type RunOutcome, type RunPhase } from "./run-state";
export type {
  Job,
  LifeCycleState,
  ResultState,
  Run,
  RunOutput,
  RunState,
  RunStatus,
  RunTask,
} from "./schemas";

/** A Jobs client on the shared transport (timeouts, retries honouring Retry-After, typed errors, zod at the edge). */

export interface DatabricksClientOptions extends TransportOptions {
  /** Workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net, or the sandbox URL. */
  baseUrl: string;
  /** Required: every Jobs call needs a token. */
  getToken: TokenProvider;
  apiVersion?: "2.1" | "2.2";
}

export interface NewCluster {
  spark_version: string;
  node_type_id?: string;
  driver_node_type_id?: string;
  num_workers?: number;
  autoscale?: { min_workers: number; max_workers: number };
  spark_env_vars?: Record<string, string>;
  custom_tags?: Record<string, string>;
  azure_attributes?: Record<string, unknown>;
  data_security_mode?: string;
  [field: string]: unknown;
}

export interface SubmitTask {
  task_key: string;
  spark_python_task?: { python_file: string; parameters?: string[]; source?: "WORKSPACE" | "GIT" };
  notebook_task?: {
    notebook_path: string;
    base_parameters?: Record<string, string>;
    source?: "WORKSPACE" | "GIT";
  };
  new_cluster?: NewCluster;
  existing_cluster_id?: string;
  libraries?: Record<string, unknown>[];
  depends_on?: { task_key: string }[];
  timeout_seconds?: number;
  max_retries?: number;
  [field: string]: unknown;
}

export interface SubmitRunRequest {
  run_name: string;
  tasks: SubmitTask[];
  /**
   * Required here, so a retried submission (after a timeout, a crash, a second worker) never starts a
   * second run: the service answers the existing run's id for a token it has seen. At most 64 characters.
   */
  idempotency_token: string;
  timeout_seconds?: number;
  tags?: Record<string, string>;
  [field: string]: unknown;
}

export interface RunNowRequest {
  idempotency_token?: string;
  python_params?: string[];
  notebook_params?: Record<string, string>;
  job_parameters?: Record<string, string>;
}

export interface ListRunsOptions {
  activeOnly?: boolean;
  completedOnly?: boolean;
  jobId?: number;
  runType?: "JOB_RUN" | "SUBMIT_RUN" | "WORKFLOW_RUN";
  startTimeFrom?: number;
  startTimeTo?: number;
  expandTasks?: boolean;
  /** Runs per request, 1–25 (the service's maximum). */
  pageSize?: number;
}

export const maxIdempotencyTokenLength = 64;

export function createDatabricksClient(options: DatabricksClientOptions) {
  const http = createHttpClient({
    service: "Databricks",
    baseUrl: options.baseUrl,
    getToken: options.getToken,
    // The transport's defaults are the Databricks SDK's (60 s per attempt, 300 s of retries).
    timeoutMs: options.timeoutMs,
    retryBudgetMs: options.retryBudgetMs,
    fetch: options.fetch,
    sleep: options.sleep,
    maxAttempts: options.maxAttempts,
    userAgent: "switchboard/0.1 databricks-jobs",
  });
  const jobs = `/api/${options.apiVersion ?? "2.2"}/jobs`;

  return {
    /** Submits a one-time run; safe to retry with the same idempotency token. */
    async submitRun(request: SubmitRunRequest): Promise<{ run_id: number }> {
      if (!request.idempotency_token || request.idempotency_token.length > maxIdempotencyTokenLength) {
        throw new RangeError(`idempotency_token must be 1–${maxIdempotencyTokenLength} characters`);
      }
      return http.request("POST", `${jobs}/runs/submit`, {
        body: request,
        schema: submitRunResponse,
        idempotent: true,
      });
    },

    getRun(runId: number): Promise<Run> {
      return http.request("GET", `${jobs}/runs/get`, { query: { run_id: runId }, schema: run });
    },

    /** Asks the service to cancel; the run goes through TERMINATING before it reads CANCELED. */
    async cancelRun(runId: number): Promise<void> {
      await http.request("POST", `${jobs}/runs/cancel`, {
        body: { run_id: runId },
        schema: emptyResponse,
        idempotent: true,
      });
    },

    /** Output of one task run (the service refuses a multitask parent's id with INVALID_PARAMETER_VALUE). */
    getRunOutput(taskRunId: number): Promise<RunOutput> {
      return http.request("GET", `${jobs}/runs/get-output`, {
        query: { run_id: taskRunId },
        schema: runOutput,
      });
    },

    /** Every matching run, newest first, fetched page by page as the caller iterates. */
    listRuns(listOptions: ListRunsOptions = {}): AsyncGenerator<Run> {
      const query = {
        active_only: listOptions.activeOnly,
        completed_only: listOptions.completedOnly,
        job_id: listOptions.jobId,
        run_type: listOptions.runType,
        start_time_from: listOptions.startTimeFrom,
        start_time_to: listOptions.startTimeTo,
        expand_tasks: listOptions.expandTasks,
        limit: listOptions.pageSize ?? 25,
      };
      return paginate(async (pageToken) => {
        const page = await http.request("GET", `${jobs}/runs/list`, {
          query: { ...query, page_token: pageToken },
          schema: listRunsResponse,
        });
        return {
          items: page.runs ?? [],
          nextPageToken: page.has_more === false ? undefined : page.next_page_token,
        };
      });
    },

    runNow(jobId: number, request: RunNowRequest = {}): Promise<{ run_id: number; number_in_job?: number }> {
      // Without a token a retried run-now could start the job twice, so only retry ambiguous failures with one.
      return http.request("POST", `${jobs}/run-now`, {
        body: { job_id: jobId, ...request },
        schema: runNowResponse,
        idempotent: Boolean(request.idempotency_token),
      });
    },

    getJob(jobId: number): Promise<Job> {
      return http.request("GET", `${jobs}/get`, { query: { job_id: jobId }, schema: job });
    },
  };
}

export type DatabricksClient = ReturnType<typeof createDatabricksClient>;

/**
 * The MLflow run a training task reported: `mlflow_run_id` in a notebook's exit value, or the
 * `MLFLOW_RUN_ID=<id>` line Switchboard's training scripts print to stdout.
 */
export function mlflowRunIdOf(output: RunOutput): string | undefined {
  const result = output.notebook_output?.result;
  if (result) {
    try {
      const parsed = JSON.parse(result) as { mlflow_run_id?: unknown };
      if (typeof parsed.mlflow_run_id === "string") return parsed.mlflow_run_id;
    } catch {
      // not JSON: fall back to the logs
    }
  }
  return output.logs?.match(/^MLFLOW_RUN_ID=([0-9a-zA-Z]+)\s*$/m)?.[1];
}
