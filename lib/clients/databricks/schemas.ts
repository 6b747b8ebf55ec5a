import { z } from "zod";

/**
 * The parts of the Jobs API 2.1/2.2 responses Switchboard reads (databricks-sdk-py `service/jobs.py`).
 * Enums stay open strings: the service documents that new states may appear, and an unknown state
 * must not break a poller.
 */

export const lifeCycleStates = [
  "QUEUED",
  "PENDING",
  "RUNNING",
  "TERMINATING",
  "TERMINATED",
  "SKIPPED",
  "INTERNAL_ERROR",
  "BLOCKED",
  "WAITING_FOR_RETRY",
] as const;
export type LifeCycleState = (typeof lifeCycleStates)[number] | (string & {});
export type ResultState =
  | "SUCCESS"
  | "FAILED"
  | "TIMEDOUT"
  | "CANCELED"
  | "SUCCESS_WITH_FAILURES"
  | "UPSTREAM_FAILED"
  | "UPSTREAM_CANCELED"
  | "EXCLUDED"
  | "MAXIMUM_CONCURRENT_RUNS_REACHED"
  | "DISABLED"
  | (string & {});

export const runState = z.object({
  life_cycle_state: z.string() as z.ZodType<LifeCycleState>,
  result_state: (z.string() as z.ZodType<ResultState>).optional(),
  state_message: z.string().optional(),
  user_cancelled_or_timedout: z.boolean().optional(),
  queue_reason: z.string().optional(),
});
export type RunState = z.infer<typeof runState>;

export const terminationDetails = z.object({
  code: z.string().optional(),
  type: z.string().optional(),
  message: z.string().optional(),
});

export const runStatus = z.object({
  state: z.string().optional(),
  termination_details: terminationDetails.optional(),
  queue_details: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
export type RunStatus = z.infer<typeof runStatus>;

const durations = {
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  setup_duration: z.number().optional(),
  execution_duration: z.number().optional(),
  cleanup_duration: z.number().optional(),
};

export const runTask = z.object({
  run_id: z.number().int(),
  task_key: z.string(),
  state: runState.optional(),
  status: runStatus.optional(),
  run_page_url: z.string().optional(),
  attempt_number: z.number().int().optional(),
  cluster_instance: z
    .object({ cluster_id: z.string().optional(), spark_context_id: z.string().optional() })
    .optional(),
  spark_python_task: z
    .object({ python_file: z.string(), parameters: z.array(z.string()).optional() })
    .optional(),
  notebook_task: z
    .object({ notebook_path: z.string(), base_parameters: z.record(z.string(), z.string()).optional() })
    .optional(),
  ...durations,
});
export type RunTask = z.infer<typeof runTask>;

export const run = z.object({
  run_id: z.number().int(),
  job_id: z.number().int().optional(),
  run_name: z.string().optional(),
  run_page_url: z.string().optional(),
  run_type: z.string().optional(),
  creator_user_name: z.string().optional(),
  number_in_job: z.number().int().optional(),
  state: runState,
  status: runStatus.optional(),
  tasks: z.array(runTask).optional(),
  queue_duration: z.number().optional(),
  run_duration: z.number().optional(),
  ...durations,
});
export type Run = z.infer<typeof run>;

export const runOutput = z.object({
  metadata: run
    .partial({ state: true })
    .extend({ task_key: z.string().optional(), job_run_id: z.number().int().optional() })
    .optional(),
  notebook_output: z.object({ result: z.string().optional(), truncated: z.boolean().optional() }).optional(),
  logs: z.string().optional(),
  logs_truncated: z.boolean().optional(),
  error: z.string().optional(),
  error_trace: z.string().optional(),
});
export type RunOutput = z.infer<typeof runOutput>;

export const submitRunResponse = z.object({ run_id: z.number().int() });
export const runNowResponse = z.object({
  run_id: z.number().int(),
  number_in_job: z.number().int().optional(),
});
export const emptyResponse = z.object({});

export const listRunsResponse = z.object({
  runs: z.array(run).optional(),
  has_more: z.boolean().optional(),
  next_page_token: z.string().optional(),
});

export const job = z.object({
  job_id: z.number().int(),
  creator_user_name: z.string().optional(),
  created_time: z.number().optional(),
  settings: z
    .looseObject({
      name: z.string().optional(),
      tasks: z.array(z.looseObject({ task_key: z.string() })).optional(),
      timeout_seconds: z.number().optional(),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});
export type Job = z.infer<typeof job>;
