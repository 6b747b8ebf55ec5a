import type { SandboxContext } from "../lib/context";
import { selectProgram } from "./programs";
import { createMlflowTracking } from "./programs/mlflow-tracking";
import {
  parseTaskArguments,
  TaskFailure,
  TaskInterrupted,
  type InterruptReason,
  type TaskProgramContext,
} from "./programs/program";
import type { TaskSpec } from "./requests";
import {
  activeParentState,
  isTerminalState,
  outcomes,
  parentOutcome,
  type Outcome,
  type TaskSummary,
} from "./run-states";
import type { JobsStore, RunRow, RunSpec, TaskOutput, TaskRow } from "./store";

/** Job time (seconds, before the sandbox speed-up) each phase takes. */
export const phaseSeconds = {
  queue: 2,
  newClusterSetup: 45,
  existingClusterSetup: 3,
  serverlessSetup: 12,
  perLibrary: 5,
  newClusterCleanup: 20,
  otherCleanup: 1,
};

/** custom_tags on new_cluster that makes the cluster fail to launch (the INTERNAL_ERROR path, for tests). */
export const clusterFaultTag = { key: "sandbox_fault", value: "cluster_launch_failure" };

const summaryOf = (row: RunRow): TaskSummary => ({
  taskKey: row.taskKey ?? "",
  lifeCycleState: row.lifeCycleState,
  outcome: row.outcome,
});

function setupSeconds(task: TaskSpec) {
  const libraries = (task.libraries?.length ?? 0) * phaseSeconds.perLibrary;
  if (task.new_cluster) return phaseSeconds.newClusterSetup + libraries;
  if (task.existing_cluster_id) return phaseSeconds.existingClusterSetup + libraries;
  return phaseSeconds.serverlessSetup + libraries;
}

/** Looks like a real job cluster id: MMDD-HHMMSS-xxxxxxxx. */
function clusterIdFor(task: TaskRow, now: number) {
  if (task.spec.existing_cluster_id) return task.spec.existing_cluster_id;
  const d = new Date(now);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}-${task.runId.toString(36).slice(-8)}`;
}

/** Sleeps until `at`, or throws TaskInterrupted when the signal fires or the deadline comes first. */
function waitUntil(at: number, signal: AbortSignal, deadline = Infinity): Promise<void> {
  const timedOut = deadline < at;
  const ms = Math.max(0, Math.min(at, deadline) - Date.now());
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TaskInterrupted(signal.reason as InterruptReason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TaskInterrupted(signal.reason as InterruptReason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      if (timedOut) reject(new TaskInterrupted("timed_out"));
      else resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Advances runs through QUEUED → PENDING (cluster start) → RUNNING (the task's program) →
 * TERMINATING → TERMINATED in speed-scaled time. Every step is written to PostgreSQL first, so
 * `resumeActiveRuns` continues in-flight runs after a restart (a running program resumes from its
 * checkpoint).
 */
export function createJobsSimulator(context: SandboxContext, store: JobsStore) {
  const shutdown = new AbortController();
  const drivers = new Map<number, Promise<void>>();
  /** One per active run: aborted with "canceled" by runs/cancel, with "shutdown" when the sandbox stops. */
  const runSignals = new Map<number, AbortController>();
  const scaled = (simulatedSeconds: number) => Math.round((simulatedSeconds * 1000) / context.speed);

  function start(runId: number) {
    if (drivers.has(runId) || shutdown.signal.aborted) return;
    const controller = new AbortController();
    runSignals.set(runId, controller);
    const driver = driveRun(runId, AbortSignal.any([shutdown.signal, controller.signal]))
      .catch(async (error) => {
        if (error instanceof TaskInterrupted && error.reason === "shutdown") return;
        context.log.error({ err: error, runId }, "jobs simulation failed");
        // The real service's answer to its own failure: the run ends in INTERNAL_ERROR.
        const outcome = outcomes.serviceError((error as Error).message);
        const ended = {
          lifeCycleState: outcome.lifeCycleState,
          outcome,
          stateMessage: outcome.stateMessage,
          endTime: Date.now(),
        };
        const unfinished = (await store.getTasks(runId).catch(() => [])).filter(
          (task) => !isTerminalState(task.lifeCycleState),
        );
        await Promise.all(
          [runId, ...unfinished.map((task) => task.runId)].map((id) =>
            store.updateRun(id, ended).catch(() => {}),
          ),
        );
      })
      .finally(() => {
        drivers.delete(runId);
        runSignals.delete(runId);
      });
    drivers.set(runId, driver);
  }

  async function driveRun(runId: number, signal: AbortSignal) {
    let parent = await store.getRun(runId);
    if (!parent || isTerminalState(parent.lifeCycleState)) return;
    if (parent.cancelRequested) runSignals.get(runId)?.abort("canceled");
    const spec = parent.spec as RunSpec;

    if (parent.lifeCycleState === "QUEUED") {
      await waitUntil(parent.startTime + scaled(phaseSeconds.queue), signal).catch(rethrowShutdown);
      await store.updateRun(runId, {
        lifeCycleState: "PENDING",
        queueDuration: Date.now() - parent.startTime,
      });
      parent = { ...parent, lifeCycleState: "PENDING" };
    }

    let refreshing = Promise.resolve();
    // Serialised so an older snapshot never overwrites a newer parent state.
    const refreshParent = () =>
      (refreshing = refreshing.then(async () => {
        const state = activeParentState((await store.getTasks(runId)).map(summaryOf));
        await store.updateRun(runId, {
          lifeCycleState: state,
          stateMessage: state === "RUNNING" ? "In run" : "",
        });
      }));

    const tasks = await store.getTasks(runId);
    const results = new Map<string, Promise<Outcome>>();
    const outcomeOf = (key: string): Promise<Outcome> => {
      if (!results.has(key)) {
        const task = tasks.find((t) => t.taskKey === key)!;
        const upstream = (task.spec.depends_on ?? []).map((d) =>
          outcomeOf(d.task_key).then((outcome) => ({ key: d.task_key, outcome })),
        );
        results.set(key, driveTask(parent!, spec, task, upstream, signal, refreshParent));
      }
      return results.get(key)!;
    };
    // Settle every task (and the queued parent refresh) before returning: stop() waits for this
    // driver only, and the pool may be ending after it.
    const settled = await Promise.allSettled(tasks.map((task) => outcomeOf(task.taskKey)));
    await refreshing.catch(() => {});
    const failure = settled.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;

    const outcome = parentOutcome((await store.getTasks(runId)).map(summaryOf));
    await store.updateRun(runId, {
      lifeCycleState: outcome.lifeCycleState,
      outcome,
      stateMessage: outcome.stateMessage,
      endTime: Date.now(),
      phaseEndsAt: null,
    });
  }

  async function driveTask(
    parent: RunRow,
    spec: RunSpec,
    initial: TaskRow,
    upstream: Promise<{ key: string; outcome: Outcome }>[],
    signal: AbortSignal,
    refreshParent: () => Promise<void>,
  ): Promise<Outcome> {
    let task = initial;
    const update = async (changes: Partial<RunRow>) => {
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      await store.updateRun(task.runId, defined);
      task = { ...task, ...defined } as TaskRow;
      await refreshParent();
    };
    /** Ends the task at once (it never ran, so there is nothing to clean up). */
    const finish = async (outcome: Outcome) => {
      await update({
        lifeCycleState: outcome.lifeCycleState,
        outcome,
        stateMessage: outcome.stateMessage,
        endTime: Date.now(),
        startTime: task.startTime || Date.now(),
      });
      return outcome;
    };
    const timeouts = [
      { seconds: task.spec.timeout_seconds ?? 0, from: () => task.startTime },
      { seconds: spec.timeout_seconds ?? 0, from: () => parent.startTime },
    ].filter((t) => t.seconds > 0);
    const deadline = () => Math.min(Infinity, ...timeouts.map((t) => t.from() + scaled(t.seconds)));
    const timedOutAfter = () => Math.min(...timeouts.map((t) => t.seconds));
    const interruptedOutcome = (reason: InterruptReason) =>
      reason === "canceled" ? outcomes.canceled() : outcomes.timedOut(timedOutAfter());

    if (isTerminalState(task.lifeCycleState)) return task.outcome!;

    if (task.lifeCycleState === "QUEUED" || task.lifeCycleState === "BLOCKED") {
      if (upstream.length) {
        if (task.lifeCycleState !== "BLOCKED")
          await update({ lifeCycleState: "BLOCKED", stateMessage: "Waiting for upstream tasks" });
        const failed = (await Promise.all(upstream)).find((u) => u.outcome.resultState !== "SUCCESS");
        if (failed)
          return finish(outcomes.upstreamFailed(failed.key, failed.outcome.resultState === "CANCELED"));
      }
      if (signal.aborted) {
        if (signal.reason === "shutdown") throw new TaskInterrupted("shutdown");
        return finish(outcomes.canceled());
      }
      const now = Date.now();
      await update({
        lifeCycleState: "PENDING",
        startTime: now,
        phaseEndsAt: now + scaled(setupSeconds(task.spec)),
        clusterId: clusterIdFor(task, now),
        stateMessage: "Waiting for cluster",
      });
    }

    if (task.lifeCycleState === "PENDING") {
      try {
        await waitUntil(task.phaseEndsAt ?? Date.now(), signal, deadline());
      } catch (error) {
        rethrowShutdown(error);
        await beginTermination(
          task,
          interruptedOutcome((error as TaskInterrupted).reason),
          {},
          update,
          Date.now() - task.startTime,
        );
      }
      if (task.lifeCycleState === "PENDING") {
        if (task.spec.new_cluster?.custom_tags?.[clusterFaultTag.key] === clusterFaultTag.value) {
          await update({ setupDuration: Date.now() - task.startTime });
          return finish(outcomes.clusterFailure(task.clusterId ?? ""));
        }
        await update({
          lifeCycleState: "RUNNING",
          setupDuration: Date.now() - task.startTime,
          phaseEndsAt: null,
          stateMessage: "In run",
        });
      }
    }

    if (task.lifeCycleState === "RUNNING") {
      const { outcome, output, logs } = await runProgram(
        parent,
        spec,
        task,
        signal,
        deadline(),
        interruptedOutcome,
      );
      await update({ logs, executionDuration: Date.now() - task.startTime - task.setupDuration });
      await beginTermination(task, outcome, output, update);
    }

    if (task.lifeCycleState === "TERMINATING") {
      // Cleanup is not interruptible by a cancel: only a stopping sandbox halts it.
      await waitUntil(task.phaseEndsAt ?? Date.now(), shutdown.signal).catch(rethrowShutdown);
      const outcome = task.outcome ?? outcomes.canceled();
      const cleanupStarted = task.startTime + task.setupDuration + task.executionDuration;
      await update({
        lifeCycleState: outcome.lifeCycleState,
        stateMessage: outcome.stateMessage,
        endTime: Date.now(),
        cleanupDuration: Date.now() - cleanupStarted,
        phaseEndsAt: null,
      });
    }
    return task.outcome!;
  }

  async function beginTermination(
    task: TaskRow,
    outcome: Outcome,
    output: TaskOutput,
    update: (changes: Partial<RunRow>) => Promise<void>,
    setupDuration?: number,
  ) {
    const cleanup = task.spec.new_cluster ? phaseSeconds.newClusterCleanup : phaseSeconds.otherCleanup;
    await update({
      lifeCycleState: "TERMINATING",
      outcome,
      output,
      setupDuration,
      phaseEndsAt: Date.now() + scaled(cleanup),
      stateMessage: "",
    });
  }

  async function runProgram(
    parent: RunRow,
    spec: RunSpec,
    task: TaskRow,
    signal: AbortSignal,
    deadline: number,
    interruptedOutcome: (reason: InterruptReason) => Outcome,
  ) {
    const args = parseTaskArguments(task.spec);
    const program = selectProgram(args);
    const logs = task.logs ? task.logs.split("\n") : [];
    const programContext: TaskProgramContext = {
      args,
      task: task.spec,
      jobId: parent.jobId,
      jobRunId: parent.runId,
      taskRunId: task.runId,
      runName: parent.runName,
      runTags: spec.tags ?? {},
      creatorUserName: parent.creatorUserName,
      checkpoint: task.checkpoint,
      saveCheckpoint: (checkpoint) => store.updateRun(task.runId, { checkpoint, logs: logs.join("\n") }),
      pace: (simulatedSeconds) => waitUntil(Date.now() + scaled(simulatedSeconds), signal, deadline),
      log: (line) => void logs.push(line),
      mlflow: createMlflowTracking({
        baseUrl: context.baseUrl,
        token: context.token,
        signal: shutdown.signal,
      }),
    };
    try {
      const result = await program.run(programContext);
      return {
        outcome: outcomes.success(),
        output: { notebookResult: result.notebookResult } satisfies TaskOutput,
        logs: logs.join("\n"),
      };
    } catch (error) {
      if (error instanceof TaskInterrupted) {
        rethrowShutdown(error);
        return { outcome: interruptedOutcome(error.reason), output: {}, logs: logs.join("\n") };
      }
      const failure =
        error instanceof TaskFailure
          ? error
          : new TaskFailure(String(error), (error as Error).stack ?? String(error));
      return {
        outcome: outcomes.failed(task.taskKey, failure.message),
        output: { error: failure.message, errorTrace: failure.trace },
        logs: logs.join("\n"),
      };
    }
  }

  return {
    start,
    async resumeActiveRuns() {
      for (const runId of await store.activeParentRunIds()) start(runId);
    },
    /** Asks a run to stop; the driver moves its tasks through TERMINATING to CANCELED. */
    async cancel(runId: number) {
      const requested = await store.requestCancel(runId);
      if (requested) {
        runSignals.get(runId)?.abort("canceled");
        start(runId);
      }
    },
    /** Stops advancing runs and waits for them to let go; their state stays in the database for the next start. */
    async stop() {
      shutdown.abort("shutdown");
      await Promise.allSettled([...drivers.values()]);
    },
  };
}

function rethrowShutdown(error: unknown): void {
  if (!(error instanceof TaskInterrupted) || error.reason === "shutdown") throw error;
}

export type JobsSimulator = ReturnType<typeof createJobsSimulator>;
