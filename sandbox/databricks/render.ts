import { isTerminalState, statusStateOf } from "./run-states";
import type { JobRow, RunRow, RunSpec, TaskRow } from "./store";

/** Rows → the Jobs API's JSON (Run, RunTask, RunOutput, Job in databricks-sdk-py `service/jobs.py`). */

/** The `?o=` organisation id in run page URLs, like an Azure workspace id. */
const workspaceId = "7405610000000001";

export const runPageUrl = (baseUrl: string, jobId: number, runId: number) =>
  `${baseUrl}/?o=${workspaceId}#job/${jobId}/run/${runId}`;

function renderState(row: RunRow) {
  const terminal = isTerminalState(row.lifeCycleState);
  const termination =
    row.outcome && (terminal || row.lifeCycleState === "TERMINATING") ? row.outcome.termination : undefined;
  return {
    state: {
      life_cycle_state: row.lifeCycleState,
      ...(terminal && row.outcome ? { result_state: row.outcome.resultState } : {}),
      state_message: row.stateMessage,
      user_cancelled_or_timedout: terminal ? (row.outcome?.userCancelledOrTimedout ?? false) : false,
      ...(row.lifeCycleState === "QUEUED"
        ? { queue_reason: "Queued while the Jobs service schedules the run." }
        : {}),
    },
    status: {
      state: statusStateOf(row.lifeCycleState),
      ...(termination
        ? {
            termination_details: {
              code: termination.code,
              type: termination.type,
              ...(termination.message ? { message: termination.message } : {}),
            },
          }
        : {}),
    },
  };
}

export function renderTask(task: TaskRow, baseUrl: string) {
  const { job_cluster_key, new_cluster, ...spec } = task.spec;
  return {
    ...spec,
    ...(job_cluster_key ? { job_cluster_key } : new_cluster ? { new_cluster } : {}),
    run_id: task.runId,
    task_key: task.taskKey,
    run_page_url: runPageUrl(baseUrl, task.jobId, task.runId),
    ...renderState(task),
    start_time: task.startTime,
    end_time: task.endTime,
    setup_duration: task.setupDuration,
    execution_duration: task.executionDuration,
    cleanup_duration: task.cleanupDuration,
    attempt_number: 0,
    ...(task.clusterId
      ? {
          cluster_instance: {
            cluster_id: task.clusterId,
            ...(task.lifeCycleState === "PENDING"
              ? {}
              : { spark_context_id: String(BigInt(task.runId) * 7919n) }),
          },
        }
      : {}),
  };
}

export function renderRun(run: RunRow, tasks: TaskRow[] | undefined, baseUrl: string) {
  const spec = run.spec as RunSpec;
  const terminal = isTerminalState(run.lifeCycleState);
  return {
    job_id: run.jobId,
    run_id: run.runId,
    number_in_job: run.runId,
    original_attempt_run_id: run.runId,
    creator_user_name: run.creatorUserName,
    run_name: run.runName,
    run_page_url: runPageUrl(baseUrl, run.jobId, run.runId),
    run_type: run.runType,
    format: "MULTI_TASK",
    trigger: "ONE_TIME",
    attempt_number: 0,
    ...renderState(run),
    start_time: run.startTime,
    end_time: run.endTime,
    // Multitask runs report durations per task; the run itself has run_duration (jobs.py BaseRun).
    setup_duration: 0,
    execution_duration: 0,
    cleanup_duration: 0,
    queue_duration: run.queueDuration,
    ...(terminal ? { run_duration: run.endTime - run.startTime } : {}),
    ...(spec.overriding_parameters ? { overriding_parameters: spec.overriding_parameters } : {}),
    ...(tasks ? { tasks: tasks.map((task) => renderTask(task, baseUrl)) } : {}),
  };
}

export function renderRunOutput(task: TaskRow, parent: RunRow, baseUrl: string) {
  const terminal = isTerminalState(task.lifeCycleState) || task.lifeCycleState === "TERMINATING";
  const isNotebook = Boolean(task.spec.notebook_task);
  return {
    metadata: {
      ...renderTask(task, baseUrl),
      job_id: task.jobId,
      job_run_id: parent.runId,
      run_name: task.taskKey,
      run_type: parent.runType,
      creator_user_name: task.creatorUserName,
      number_in_job: task.runId,
      original_attempt_run_id: task.runId,
    },
    // stdout is reported for Python tasks only; notebooks report what dbutils.notebook.exit() returned.
    ...(isNotebook ? {} : { logs: task.logs, logs_truncated: false }),
    ...(isNotebook && terminal && task.output.notebookResult !== undefined
      ? { notebook_output: { result: task.output.notebookResult, truncated: false } }
      : {}),
    ...(task.output.error ? { error: task.output.error, error_trace: task.output.errorTrace ?? "" } : {}),
  };
}

export function renderJob(job: JobRow, expandTasks: boolean) {
  const { tasks, job_clusters, ...settings } = job.settings;
  return {
    job_id: job.jobId,
    creator_user_name: job.creatorUserName,
    run_as_user_name: job.creatorUserName,
    created_time: job.createdTime,
    settings: {
      ...settings,
      ...(expandTasks ? { tasks, ...(job_clusters ? { job_clusters } : {}) } : {}),
      format: "MULTI_TASK",
    },
  };
}
