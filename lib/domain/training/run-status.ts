import type { RunStatus } from "@/lib/db/generated/enums";

/**
 * Databricks reports life_cycle_state (where the run is) and, once TERMINATED, result_state (how it
 * ended). Switchboard keeps one status; QUEUED, SUBMITTING and CANCELLING are its own.
 */
const terminalStatuses: ReadonlySet<RunStatus> = new Set([
  "SUCCEEDED",
  "FAILED",
  "TIMED_OUT",
  "CANCELLED",
  "INTERNAL_ERROR",
]);

export const isTerminalStatus = (status: RunStatus) => terminalStatuses.has(status);

export function statusFromDatabricks(
  lifeCycleState: string,
  resultState?: string | null,
  cancelRequested = false,
): RunStatus {
  switch (lifeCycleState) {
    case "QUEUED":
    case "PENDING":
    case "BLOCKED":
    case "WAITING_FOR_RETRY":
      return cancelRequested ? "CANCELLING" : "PENDING";
    case "RUNNING":
      return cancelRequested ? "CANCELLING" : "RUNNING";
    case "TERMINATING":
      return cancelRequested ? "CANCELLING" : "TERMINATING";
    case "INTERNAL_ERROR":
      return "INTERNAL_ERROR";
    case "SKIPPED":
      return "CANCELLED";
    case "TERMINATED":
      switch (resultState) {
        case "SUCCESS":
        case "SUCCESS_WITH_FAILURES":
          return "SUCCEEDED";
        case "TIMEDOUT":
          return "TIMED_OUT";
        case "CANCELED":
        case "CANCELLED":
        case "MAXIMUM_CONCURRENT_RUNS_REACHED":
        case "EXCLUDED":
        case "UPSTREAM_CANCELED":
          return "CANCELLED";
        default:
          return "FAILED";
      }
    default:
      // A state this code does not know yet: keep following the run rather than guessing an end.
      return cancelRequested ? "CANCELLING" : "RUNNING";
  }
}

/**
 * Delay before the next status check: quick while a run starts, then every `maxMs`. One Databricks
 * call per run per check, so 1,000 runs at 30 s cost about 2,000 calls a minute.
 */
export function nextPollDelayMs(checksSoFar: number, { minMs = 2_000, maxMs = 30_000 } = {}): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(checksSoFar, 10));
}

/**
 * Delay before the next check of a run that is still going, adapted to what the last check saw:
 * while the run moves (its status or epochs changed), look again after `minMs`, so the page shows
 * each epoch within a couple of seconds; while nothing moves (a cluster starting, a long epoch),
 * double the gap since the previous check, up to `maxMs`, so idle runs cost few Databricks calls.
 */
export function adaptivePollDelayMs(
  { hasChanged, sinceLastCheckMs }: { hasChanged: boolean; sinceLastCheckMs: number },
  { minMs = 2_000, maxMs = 30_000 } = {},
): number {
  if (hasChanged) return minMs;
  return Math.min(maxMs, Math.max(minMs, 2 * sinceLastCheckMs));
}

/**
 * Epochs done, from the latest metrics of the run's MLflow run. Tabular training logs one step per
 * epoch; fine-tuning logs optimiser steps, so `max_steps` and `epochs` (its params) convert them.
 */
export function epochsDoneOf(
  mlflowRun: { metrics: Record<string, { step: number }>; params: Record<string, string> },
  epochsTotal: number | null,
): number | undefined {
  const steps = Object.values(mlflowRun.metrics).map((m) => m.step);
  if (!steps.length) return undefined;
  const lastStep = Math.max(...steps);
  const epochs = Number(mlflowRun.params.epochs);
  const maxSteps = Number(mlflowRun.params.max_steps);
  const done = maxSteps > 0 && epochs > 0 ? Math.floor((lastStep * epochs) / maxSteps) : lastStep;
  return epochsTotal ? Math.min(done, epochsTotal) : done;
}
