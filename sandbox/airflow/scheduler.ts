import type { SandboxContext } from "../lib/context";
import { createTicker } from "../lib/ticker";
import { createJobsStore } from "../databricks/store";
import { insertFinishedRun } from "../databricks/finished-run";
import { createJobsCaller } from "../databricks/jobs-caller";
import { runPageUrl } from "../databricks/render";
import { createRandom } from "../data/telco";
import {
  dagDefinitions,
  featureBuildSubmission,
  findDag,
  validateCustomerFeatures,
  type DagDefinition,
  type RunConf,
  type TaskDefinition,
} from "./dags";
import type { AirflowStore, DagRunRow, TaskInstanceRow } from "./store";

/**
 * The emulated scheduler and workers. Each DAG runs on its schedule in wall-clock time (catchup
 * off: only the latest finished interval), and its tasks take speed-scaled time (SANDBOX_SPEED). The
 * Databricks task submits through the sandbox's own Jobs API over HTTP, as the real operator does,
 * and waits for the run. Every step is written to PostgreSQL first, so a restart resumes runs.
 */

const terminalTaskStates = new Set(["success", "failed", "skipped", "upstream_failed", "removed"]);
const retryDelaySeconds = 300;

export const intervalEndBefore = (dag: DagDefinition, at: number) => {
  // Daily DAGs run at 02:00 UTC; hourly ones on the hour.
  const anchor = dag.periodMs >= 86_400_000 ? 2 * 3_600_000 : 0;
  return Math.floor((at - anchor) / dag.periodMs) * dag.periodMs + anchor;
};

export const newTaskInstances = (dag: DagDefinition) =>
  dag.tasks.map((task, position) => ({ taskId: task.taskId, position, maxTries: task.retries }));

export function createAirflowScheduler(context: SandboxContext, store: AirflowStore) {
  const jobs = createJobsStore(context.pool);
  const scaledMs = (seconds: number) => (seconds * 1000) / context.speed;

  const databricks = createJobsCaller(context, "2.2");

  async function scheduleDueRuns(now: number) {
    const paused = await store.pauseFlags();
    for (const dag of dagDefinitions) {
      if (paused.get(dag.dagId)) continue;
      const end = intervalEndBefore(dag, now);
      const logicalDate = new Date(end - dag.periodMs);
      if (await store.hasRunAt(dag.dagId, logicalDate)) continue;
      await store.insertRun(
        {
          dagId: dag.dagId,
          dagRunId: `scheduled__${logicalDate.toISOString().replace(".000Z", "+00:00")}`,
          logicalDate,
          dataIntervalStart: logicalDate,
          dataIntervalEnd: new Date(end),
          runType: "scheduled",
          state: "queued",
          externalTrigger: false,
          conf: {},
        },
        newTaskInstances(dag),
      );
    }
  }

  async function startTry(run: DagRunRow, task: TaskInstanceRow, definition: TaskDefinition, now: Date) {
    const tryNumber = task.tryNumber + 1;
    await store.updateTask(task, {
      state: "running",
      tryNumber,
      startDate: now,
      endDate: null,
      queuedWhen: now,
      nextAt: new Date(now.getTime() + scaledMs(definition.seconds)),
    });
    if (definition.kind !== "databricks") return;
    const submission = featureBuildSubmission(run.dagId, run.dagRunId, tryNumber, run.dataIntervalStart);
    const { run_id: runId } = await databricks("runs/submit", { method: "POST", body: submission });
    const submitted = await databricks(`runs/get?run_id=${String(runId)}`);
    await store.pushXcom({
      dagId: run.dagId,
      dagRunId: run.dagRunId,
      taskId: task.taskId,
      key: "run_id",
      value: runId,
      timestamp: now,
    });
    await store.pushXcom({
      dagId: run.dagId,
      dagRunId: run.dagRunId,
      taskId: task.taskId,
      key: "run_page_url",
      value: submitted.run_page_url,
      timestamp: now,
    });
  }

  /** Whether a running try has finished, and how. */
  async function finishedTry(
    run: DagRunRow,
    task: TaskInstanceRow,
    definition: TaskDefinition,
    now: Date,
  ): Promise<"success" | "failed" | undefined> {
    const conf = run.conf as RunConf;
    if (definition.kind === "databricks") {
      const xcom = await store.getXcom(run.dagId, run.dagRunId, task.taskId, "run_id");
      if (!xcom) return "failed";
      const state = (await databricks(`runs/get?run_id=${String(xcom.value)}`)).state as {
        life_cycle_state: string;
        result_state?: string;
      };
      if (!["TERMINATED", "SKIPPED", "INTERNAL_ERROR"].includes(state.life_cycle_state)) return undefined;
      return state.result_state === "SUCCESS" ? "success" : "failed";
    }
    if (task.nextAt && now < task.nextAt) return undefined;
    if (definition.kind === "validate") {
      const result = validateCustomerFeatures(run.id, Boolean(conf.inject_quality_issue));
      await store.pushXcom({
        dagId: run.dagId,
        dagRunId: run.dagRunId,
        taskId: task.taskId,
        key: "return_value",
        value: result,
        timestamp: now,
      });
      return result.success ? "success" : "failed";
    }
    return conf.simulate_ingest_failure && task.tryNumber === 1 ? "failed" : "success";
  }

  async function advanceRun(run: DagRunRow, now: Date) {
    const dag = findDag(run.dagId);
    if (!dag) return;
    if (run.state === "queued") {
      await store.updateRun(run.dagId, run.dagRunId, { state: "running", startDate: now });
      run = { ...run, state: "running", startDate: now };
    }
    const tasks = await store.tasksOf(run.dagId, run.dagRunId);
    const task = tasks.find((t) => !terminalTaskStates.has(t.state ?? ""));
    if (!task) {
      const failed = tasks.some((t) => t.state === "failed" || t.state === "upstream_failed");
      await store.updateRun(run.dagId, run.dagRunId, { state: failed ? "failed" : "success", endDate: now });
      return;
    }
    const definition = dag.tasks[task.position];
    if (
      task.state === null ||
      task.state === "scheduled" ||
      task.state === "queued" ||
      (task.state === "up_for_retry" && task.nextAt && now >= task.nextAt)
    ) {
      await startTry(run, task, definition, now);
      return;
    }
    if (task.state !== "running") return;
    const outcome = await finishedTry(run, task, definition, now);
    if (!outcome) return;
    if (outcome === "failed" && task.tryNumber <= task.maxTries) {
      await store.updateTask(task, {
        state: "up_for_retry",
        endDate: now,
        nextAt: new Date(now.getTime() + scaledMs(retryDelaySeconds)),
      });
      return;
    }
    await store.updateTask(task, { state: outcome, endDate: now, nextAt: null });
    if (outcome === "failed") {
      for (const downstream of tasks.filter((t) => t.position > task.position))
        await store.updateTask(downstream, { state: "upstream_failed" });
      await store.updateRun(run.dagId, run.dagRunId, { state: "failed", endDate: now });
    }
  }

  async function tick() {
    const now = Date.now();
    await scheduleDueRuns(now);
    const paused = await store.pauseFlags();
    for (const run of await store.activeRuns()) {
      // A paused DAG's queued runs wait; its running ones finish, as in Airflow.
      if (run.state === "queued" && paused.get(run.dagId)) continue;
      await advanceRun(run, new Date()).catch((error: unknown) =>
        context.log.warn(
          { err: error, dagId: run.dagId, dagRunId: run.dagRunId },
          "airflow task step failed; retrying next tick",
        ),
      );
    }
  }
  const ticker = createTicker(tick, (error) =>
    context.log.warn({ err: error }, "airflow scheduler tick failed"),
  );

  /** Fills a fresh sandbox with each DAG's recent history, Databricks runs included, so pages have a past. */
  async function seedHistory(dag: DagDefinition, now: number) {
    if ((await store.countRuns(dag.dagId)) > 0) return;
    const random = createRandom(dag.dagId.length * 7919);
    const latestEnd = intervalEndBefore(dag, now) - dag.periodMs;
    for (let i = dag.historyRuns; i >= 1 && !ticker.isStopped; i--) {
      const end = latestEnd - (i - 1) * dag.periodMs;
      const logicalDate = new Date(end - dag.periodMs);
      // A few runs went wrong, as real ones do: a flaky ingest retried, a batch that failed validation.
      const conf: RunConf = {
        simulate_ingest_failure: i % 11 === 9,
        inject_quality_issue: dag.tasks.some((t) => t.kind === "validate") && i === 20,
      };
      const dagRunId = `scheduled__${logicalDate.toISOString().replace(".000Z", "+00:00")}`;
      let at = end + 2_000 + random.int(0, 3_000);
      const runStart = new Date(at);
      let failed = false;
      const tasks = [];
      for (const [position, task] of dag.tasks.entries()) {
        if (failed) {
          tasks.push({ taskId: task.taskId, position, maxTries: task.retries, state: "upstream_failed" });
          continue;
        }
        let tryNumber = 1;
        if (task.kind === "python" && conf.simulate_ingest_failure) {
          at += Math.round(task.seconds * 1000 * 0.4 + retryDelaySeconds * 1000);
          tryNumber = 2;
        }
        const start = at + 500;
        const seconds =
          task.kind === "databricks" ? 95 + random.int(0, 40) : task.seconds * (0.8 + 0.4 * random.next());
        at = Math.round(start + seconds * 1000);
        let state = "success";
        if (task.kind === "validate") {
          const result = validateCustomerFeatures(end, Boolean(conf.inject_quality_issue));
          await store.pushXcom({
            dagId: dag.dagId,
            dagRunId,
            taskId: task.taskId,
            key: "return_value",
            value: result,
            timestamp: new Date(at),
          });
          if (!result.success) state = "failed";
        }
        if (task.kind === "databricks") {
          const { runId, jobId } = await insertFinishedDatabricksRun(dag, dagRunId, logicalDate, start, at);
          await store.pushXcom({
            dagId: dag.dagId,
            dagRunId,
            taskId: task.taskId,
            key: "run_id",
            value: runId,
            timestamp: new Date(start),
          });
          await store.pushXcom({
            dagId: dag.dagId,
            dagRunId,
            taskId: task.taskId,
            key: "run_page_url",
            value: runPageUrl(context.baseUrl, jobId, runId),
            timestamp: new Date(start),
          });
        }
        failed = state === "failed";
        tasks.push({
          taskId: task.taskId,
          position,
          maxTries: task.retries,
          state,
          tryNumber,
          startDate: new Date(start),
          endDate: new Date(at),
          queuedWhen: new Date(start - 400),
        });
      }
      await store.insertRun(
        {
          dagId: dag.dagId,
          dagRunId,
          logicalDate,
          dataIntervalStart: logicalDate,
          dataIntervalEnd: new Date(end),
          runType: "scheduled",
          state: failed ? "failed" : "success",
          externalTrigger: false,
          conf: {},
          startDate: runStart,
          endDate: new Date(at + 800),
        },
        tasks,
      );
    }
  }

  function insertFinishedDatabricksRun(
    dag: DagDefinition,
    dagRunId: string,
    logicalDate: Date,
    start: number,
    end: number,
  ) {
    const submission = featureBuildSubmission(dag.dagId, dagRunId, 1, logicalDate);
    return insertFinishedRun(
      jobs,
      {
        runName: submission.run_name,
        tags: submission.tags,
        creator: "airflow@example.com",
        idempotencyToken: submission.idempotency_token,
        tasks: submission.tasks.map((t) => ({ taskKey: t.task_key, spec: t as never })),
      },
      start,
      end,
    );
  }

  return {
    async seed() {
      const now = Date.now();
      for (const dag of dagDefinitions) await seedHistory(dag, now);
    },
    start: () => ticker.start(),
    stop: () => ticker.stop(),
  };
}
