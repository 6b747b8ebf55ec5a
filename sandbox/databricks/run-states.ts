/**
 * Databricks Jobs run states and how a finished task or run is described, following
 * databricks-sdk-py `service/jobs.py` (RunLifeCycleState, RunResultState, RunLifecycleStateV2State,
 * TerminationCodeCode, TerminationTypeType). Pure, so the simulator and the renderer agree.
 */

export type LifeCycleState =
  | "QUEUED"
  | "PENDING"
  | "RUNNING"
  | "TERMINATING"
  | "TERMINATED"
  | "SKIPPED"
  | "INTERNAL_ERROR"
  | "BLOCKED"
  | "WAITING_FOR_RETRY";
export type ResultState =
  "SUCCESS" | "FAILED" | "TIMEDOUT" | "CANCELED" | "UPSTREAM_FAILED" | "UPSTREAM_CANCELED";
export type TerminationType = "SUCCESS" | "CLIENT_ERROR" | "INTERNAL_ERROR" | "CLOUD_FAILURE";

export interface TerminationDetails {
  code: string;
  type: TerminationType;
  message: string;
}

/** How a task or run ends; decided when it enters TERMINATING, shown as result_state once TERMINATED. */
export interface Outcome {
  lifeCycleState: "TERMINATED" | "SKIPPED" | "INTERNAL_ERROR";
  resultState: ResultState;
  stateMessage: string;
  termination: TerminationDetails;
  userCancelledOrTimedout: boolean;
}

export const isTerminalState = (state: LifeCycleState) =>
  state === "TERMINATED" || state === "SKIPPED" || state === "INTERNAL_ERROR";

export const activeStates: LifeCycleState[] = [
  "QUEUED",
  "PENDING",
  "RUNNING",
  "TERMINATING",
  "BLOCKED",
  "WAITING_FOR_RETRY",
];

/** The non-deprecated `status.state` (RunLifecycleStateV2State) for a life cycle state. */
export function statusStateOf(state: LifeCycleState): string {
  if (isTerminalState(state)) return "TERMINATED";
  return state === "WAITING_FOR_RETRY" ? "WAITING" : state;
}

export const outcomes = {
  success: (): Outcome => ({
    lifeCycleState: "TERMINATED",
    resultState: "SUCCESS",
    stateMessage: "",
    termination: { code: "SUCCESS", type: "SUCCESS", message: "" },
    userCancelledOrTimedout: false,
  }),
  failed: (taskKey: string, error: string): Outcome => ({
    lifeCycleState: "TERMINATED",
    resultState: "FAILED",
    stateMessage: "Workload failed, see run output for details",
    termination: {
      code: "RUN_EXECUTION_ERROR",
      type: "CLIENT_ERROR",
      message: `Task ${taskKey} failed with message: ${error}.`,
    },
    userCancelledOrTimedout: false,
  }),
  timedOut: (timeoutSeconds: number): Outcome => ({
    lifeCycleState: "TERMINATED",
    resultState: "TIMEDOUT",
    stateMessage: `Run timed out after ${timeoutSeconds} seconds.`,
    termination: {
      code: "CANCELED",
      type: "CLIENT_ERROR",
      message: `Run timed out after ${timeoutSeconds} seconds.`,
    },
    userCancelledOrTimedout: true,
  }),
  canceled: (): Outcome => ({
    lifeCycleState: "TERMINATED",
    resultState: "CANCELED",
    stateMessage: "Run cancelled.",
    termination: { code: "USER_CANCELED", type: "SUCCESS", message: "Run cancelled by a user." },
    userCancelledOrTimedout: true,
  }),
  clusterFailure: (clusterId: string): Outcome => ({
    lifeCycleState: "INTERNAL_ERROR",
    resultState: "FAILED",
    stateMessage: `Cluster '${clusterId}' was terminated. Reason: CLOUD_PROVIDER_LAUNCH_FAILURE (CLOUD_FAILURE). Parameters: azure_error_code:OperationNotAllowed, azure_error_message:Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota.`,
    termination: {
      code: "CLOUD_FAILURE",
      type: "CLOUD_FAILURE",
      message: `Cluster '${clusterId}' could not be started: the cloud provider refused to launch its instances.`,
    },
    userCancelledOrTimedout: false,
  }),
  serviceError: (message: string): Outcome => ({
    lifeCycleState: "INTERNAL_ERROR",
    resultState: "FAILED",
    stateMessage: `Internal error in the Jobs service: ${message}`,
    termination: { code: "INTERNAL_ERROR", type: "INTERNAL_ERROR", message },
    userCancelledOrTimedout: false,
  }),
  upstreamFailed: (upstream: string, canceled: boolean): Outcome => ({
    lifeCycleState: "SKIPPED",
    resultState: canceled ? "UPSTREAM_CANCELED" : "UPSTREAM_FAILED",
    stateMessage: `Upstream task ${upstream} did not succeed.`,
    termination: {
      code: "SKIPPED",
      type: "SUCCESS",
      message: `Skipped because upstream task ${upstream} did not succeed.`,
    },
    userCancelledOrTimedout: false,
  }),
};

export interface TaskSummary {
  taskKey: string;
  lifeCycleState: LifeCycleState;
  /** Set once the task has entered TERMINATING or ended. */
  outcome: Outcome | null;
}

/** A multitask run's state while it is active: the most advanced state among its tasks. */
export function activeParentState(tasks: TaskSummary[]): LifeCycleState {
  if (tasks.some((t) => t.lifeCycleState === "RUNNING")) return "RUNNING";
  if (tasks.every((t) => isTerminalState(t.lifeCycleState) || t.lifeCycleState === "TERMINATING"))
    return "TERMINATING";
  if (
    tasks.some(
      (t) =>
        t.lifeCycleState === "PENDING" ||
        t.lifeCycleState === "TERMINATING" ||
        isTerminalState(t.lifeCycleState),
    )
  )
    return "PENDING";
  return "QUEUED";
}

/** A multitask run's outcome once every task has ended: the worst task outcome wins. */
export function parentOutcome(tasks: TaskSummary[]): Outcome {
  const ended = tasks.map((t) => ({ taskKey: t.taskKey, outcome: t.outcome ?? outcomes.canceled() }));
  const worst = (predicate: (o: Outcome) => boolean) => ended.find((t) => predicate(t.outcome));
  const decisive =
    worst((o) => o.lifeCycleState === "INTERNAL_ERROR") ??
    worst((o) => o.resultState === "TIMEDOUT") ??
    worst((o) => o.resultState === "CANCELED");
  if (decisive) return decisive.outcome;
  const failed = worst((o) => o.resultState === "FAILED");
  if (!failed) return outcomes.success();
  const skippedAny = ended.some((t) => t.outcome.resultState === "UPSTREAM_FAILED");
  const message = `${failed.outcome.termination.message.replace(/\.$/, "")}${skippedAny ? ". This caused all downstream tasks to get skipped." : "."}`;
  return { ...failed.outcome, termination: { ...failed.outcome.termination, message } };
}
