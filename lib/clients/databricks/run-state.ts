import type { RunState, RunStatus } from "./schemas";

/**
 * What a Jobs run's state means for Switchboard. TERMINATED, SKIPPED and INTERNAL_ERROR are the
 * terminal life cycle states (jobs.py RunLifeCycleState); the outcome of a TERMINATED run is its
 * result_state. Unknown future states count as still in progress, so a poller keeps waiting.
 */

const terminalLifeCycleStates = new Set(["TERMINATED", "SKIPPED", "INTERNAL_ERROR"]);

export function isTerminal(lifeCycleState: string): boolean {
  return terminalLifeCycleStates.has(lifeCycleState);
}

export type RunOutcome = "succeeded" | "failed" | "canceled" | "timed_out" | "skipped" | "internal_error";
export type RunPhase = "queued" | "pending" | "running" | "terminating" | RunOutcome;

export interface RunClassification {
  phase: RunPhase;
  isTerminal: boolean;
  isSuccess: boolean;
  /** The service's explanation (termination details, else the state message); empty when it gave none. */
  message: string;
}

const resultOutcomes: Record<string, RunOutcome> = {
  SUCCESS: "succeeded",
  // "completed successfully with some failures; leaf tasks were successful"
  SUCCESS_WITH_FAILURES: "succeeded",
  FAILED: "failed",
  UPSTREAM_FAILED: "failed",
  TIMEDOUT: "timed_out",
  CANCELED: "canceled",
  UPSTREAM_CANCELED: "canceled",
  EXCLUDED: "skipped",
  MAXIMUM_CONCURRENT_RUNS_REACHED: "skipped",
  DISABLED: "skipped",
};

const activePhases: Record<string, RunPhase> = {
  QUEUED: "queued",
  PENDING: "pending",
  BLOCKED: "pending",
  WAITING_FOR_RETRY: "pending",
  RUNNING: "running",
  TERMINATING: "terminating",
};

/** Works for a run and for one of its tasks. */
export function classifyRun(run: { state: RunState; status?: RunStatus }): RunClassification {
  const { life_cycle_state: lifeCycleState, result_state: resultState } = run.state;
  const message = run.status?.termination_details?.message || run.state.state_message || "";
  if (!isTerminal(lifeCycleState))
    return { phase: activePhases[lifeCycleState] ?? "pending", isTerminal: false, isSuccess: false, message };
  const phase: RunOutcome =
    lifeCycleState === "INTERNAL_ERROR"
      ? "internal_error"
      : lifeCycleState === "SKIPPED"
        ? "skipped"
        : (resultOutcomes[resultState ?? ""] ?? "failed");
  return { phase, isTerminal: true, isSuccess: phase === "succeeded", message };
}
