import { createHash, randomUUID } from "node:crypto";
import { validateCustomerFeatures } from "../airflow/dags";
import { insertFinishedRun } from "../databricks/finished-run";
import { createJobsCaller } from "../databricks/jobs-caller";
import { runPageUrl } from "../databricks/render";
import { createJobsStore } from "../databricks/store";
import { createRandom } from "../data/telco";
import type { SandboxContext } from "../lib/context";
import { createTicker } from "../lib/ticker";
import { findPipeline, pipelineSpecs, sandboxFactory, type ActivitySpec, type PipelineSpec } from "./factory";
import type { AdfStore, PipelineRunRow } from "./store";

/**
 * The emulated Data Factory service: the ScheduleTrigger starts each triggered pipeline at the top of
 * every period (wall-clock time), activities run one after another for speed-scaled durations, a
 * failed attempt is retried after retryIntervalInSeconds as a new activity run, and the notebook
 * activity submits a one-time run to the sandbox's Databricks Jobs API over HTTP and waits for it.
 * Every step is written to PostgreSQL first, so a restart resumes runs in flight.
 */

const databricksTerminal = new Set(["TERMINATED", "SKIPPED", "INTERNAL_ERROR"]);
const integrationRuntime = "AutoResolveIntegrationRuntime (West Europe)";

/** A Bool parameter arrives as true or "true" (createRun bodies are JSON; run parameters read back as strings). */
const isTrue = (value: unknown) => value === true || value === "true";

export const periodEndBefore = (periodMs: number, at: number) => Math.floor(at / periodMs) * periodMs;

export const invokedByTrigger = (pipeline: PipelineSpec) => ({
  name: pipeline.trigger!.name,
  id: createHash("sha256").update(pipeline.trigger!.name).digest("hex").slice(0, 32),
  invokedByType: "ScheduleTrigger",
});

/** The parameters a run records: the declared defaults, overridden by what the caller passed. */
export const runParameters = (pipeline: PipelineSpec, given: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(pipeline.parameters).map(([name, spec]) => [name, given[name] ?? spec.defaultValue ?? ""]),
  );

/** What the Databricks Notebook activity sends to runs/submit (Jobs API 2.1). */
function notebookSubmission(
  pipeline: PipelineSpec,
  activity: ActivitySpec,
  run: PipelineRunRow,
  activityRunId: string,
) {
  const base = (activity.typeProperties.baseParameters ?? {}) as Record<string, string>;
  return {
    run_name: `ADF_${sandboxFactory.factoryName}_${pipeline.name}_${activity.name}_${activityRunId}`,
    idempotency_token: `adf-${createHash("sha256").update(activityRunId).digest("hex").slice(0, 48)}`,
    tasks: [
      {
        task_key: activity.name,
        notebook_task: {
          notebook_path: activity.typeProperties.notebookPath as string,
          base_parameters: { ...base, hour: String(run.parameters.windowStart ?? "") },
        },
        new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 },
      },
    ],
    tags: { adf_factory: sandboxFactory.factoryName, adf_pipeline_run_id: run.runId },
  };
}

/** The notebook activity's output as ADF reports it: the Databricks run page, and billing. */
const notebookOutput = (pageUrl: string, executionSeconds: number) => ({
  runPageUrl: pageUrl,
  effectiveIntegrationRuntime: integrationRuntime,
  executionDuration: Math.round(executionSeconds),
  durationInQueue: { integrationRuntimeQueue: 0 },
  billingReference: {
    activityType: "ExternalActivity",
    billableDuration: [
      { meterType: "AzureIR", duration: Math.max(0.0167, executionSeconds / 3600), unit: "Hours" },
    ],
  },
});

/** An Azure Function activity's output is the function's JSON answer, with the activity's own fields. */
const functionOutput = (answer: object, executionSeconds: number) => ({
  ...answer,
  effectiveIntegrationRuntime: integrationRuntime,
  executionDuration: Math.round(executionSeconds),
  durationInQueue: { integrationRuntimeQueue: 0 },
});

const copyOutput = (seed: number, seconds: number) => {
  const rows = 180_000 + (seed % 40_000);
  return {
    dataRead: rows * 212,
    dataWritten: rows * 61,
    filesRead: 1,
    filesWritten: 1,
    rowsRead: rows,
    rowsCopied: rows,
    copyDuration: Math.round(seconds),
    throughput: Math.round((rows * 212) / 1024 / Math.max(1, seconds)),
    effectiveIntegrationRuntime: integrationRuntime,
    usedDataIntegrationUnits: 4,
    usedParallelCopies: 1,
    executionDetails: [{ status: "Succeeded", duration: Math.round(seconds) }],
  };
};

const activityError = (activity: ActivitySpec, message: string, errorCode = "2200") => ({
  errorCode,
  message,
  failureType: "UserError",
  target: activity.name,
  details: "",
});

export function createAdfRunner(context: SandboxContext, store: AdfStore) {
  const jobs = createJobsStore(context.pool);
  const scaledMs = (seconds: number) => (seconds * 1000) / context.speed;

  const databricks = createJobsCaller(context, "2.1");

  async function scheduleDueRuns(now: number) {
    for (const pipeline of pipelineSpecs) {
      if (!pipeline.trigger) continue;
      const scheduledFor = new Date(periodEndBefore(pipeline.trigger.periodMs, now));
      const runId = randomUUID();
      await store.insertRun({
        runId,
        runGroupId: runId,
        pipelineName: pipeline.name,
        parameters: runParameters(pipeline, {
          windowStart: new Date(scheduledFor.getTime() - pipeline.trigger.periodMs).toISOString(),
        }),
        invokedBy: invokedByTrigger(pipeline),
        status: "Queued",
        runStart: null,
        lastUpdated: new Date(now),
        scheduledFor,
      });
    }
  }

  async function startAttempt(
    pipeline: PipelineSpec,
    run: PipelineRunRow,
    position: number,
    attempt: number,
    now: Date,
  ) {
    const activity = pipeline.activities[position];
    const activityRunId = randomUUID();
    await store.insertActivity({
      activityRunId,
      runId: run.runId,
      activityName: activity.name,
      position,
      attempt,
      status: "InProgress",
      runStart: now,
      nextAt: new Date(now.getTime() + scaledMs(activity.seconds)),
      input: activity.typeProperties,
      lastUpdated: now,
    });
    if (activity.kind !== "databricks") return;
    // Submitted when the attempt starts, so the run page can be followed while the notebook runs.
    const { run_id: databricksRunId } = await databricks("runs/submit", {
      method: "POST",
      body: notebookSubmission(pipeline, activity, run, activityRunId),
    });
    const submitted = await databricks(`runs/get?run_id=${String(databricksRunId)}`);
    await store.updateActivity(activityRunId, {
      databricksRunId: Number(databricksRunId),
      output: { runPageUrl: submitted.run_page_url },
    });
  }

  async function advanceRun(run: PipelineRunRow, now: Date) {
    const pipeline = findPipeline(run.pipelineName);
    if (!pipeline) return;
    const attempts = await store.activitiesOf(run.runId);
    if (run.status === "Canceling") {
      for (const a of attempts.filter((a) => a.status === "InProgress"))
        await store.updateActivity(a.activityRunId, { status: "Cancelled", runEnd: now });
      await store.updateRun(run.runId, {
        status: "Cancelled",
        runEnd: now,
        message: "User cancelled the pipeline run.",
      });
      return;
    }
    if (run.status === "Queued") await store.updateRun(run.runId, { status: "InProgress", runStart: now });
    for (const [position, activity] of pipeline.activities.entries()) {
      const latest = attempts.filter((a) => a.position === position).at(-1);
      if (!latest) return startAttempt(pipeline, run, position, 1, now);
      if (latest.status === "Succeeded") continue;
      if (latest.status === "Failed") {
        if (latest.attempt <= activity.retry) {
          const retryAt = (latest.runEnd ?? now).getTime() + scaledMs(activity.retryIntervalInSeconds);
          if (now.getTime() >= retryAt) await startAttempt(pipeline, run, position, latest.attempt + 1, now);
          return;
        }
        const message = `Operation on target ${activity.name} failed: ${(latest.error as { message?: string })?.message ?? "failed"}`;
        await store.updateRun(run.runId, { status: "Failed", runEnd: now, message });
        return;
      }
      // InProgress: has this attempt finished, and how?
      const seconds = (now.getTime() - latest.runStart.getTime()) / 1000;
      if (activity.kind === "databricks") {
        if (!latest.databricksRunId) return;
        const state = (await databricks(`runs/get?run_id=${latest.databricksRunId}`)) as {
          state: { life_cycle_state: string; result_state?: string; state_message?: string };
          run_page_url: string;
        };
        if (!databricksTerminal.has(state.state.life_cycle_state)) return;
        const isSuccess = state.state.result_state === "SUCCESS";
        await store.updateActivity(latest.activityRunId, {
          status: isSuccess ? "Succeeded" : "Failed",
          runEnd: now,
          output: notebookOutput(state.run_page_url, seconds * context.speed),
          error: isSuccess
            ? undefined
            : activityError(activity, state.state.state_message || "Notebook run failed", "3204"),
        });
        return;
      }
      if (latest.nextAt && now < latest.nextAt) return;
      if (activity.kind === "validate") {
        const result = validateCustomerFeatures(run.seq, isTrue(run.parameters.injectQualityIssue));
        await store.updateActivity(latest.activityRunId, {
          status: result.success ? "Succeeded" : "Failed",
          runEnd: now,
          output: functionOutput(result, seconds * context.speed),
          error: result.success
            ? undefined
            : activityError(
                activity,
                `${result.statistics.unsuccessful_expectations} expectation(s) not met in customer_features.hourly`,
                "3608",
              ),
        });
        return;
      }
      const fails = isTrue(run.parameters.simulateIngestFailure) && latest.attempt === 1;
      await store.updateActivity(latest.activityRunId, {
        status: fails ? "Failed" : "Succeeded",
        runEnd: now,
        output: fails
          ? { effectiveIntegrationRuntime: integrationRuntime }
          : copyOutput(run.seq, seconds * context.speed),
        error: fails
          ? activityError(activity, "ErrorCode=UserErrorSourceBlobNotExist,The required Blob is missing.")
          : undefined,
      });
      return;
    }
    await store.updateRun(run.runId, { status: "Succeeded", runEnd: now });
  }

  async function tick() {
    await scheduleDueRuns(Date.now());
    for (const run of await store.activeRuns()) {
      await advanceRun(run, new Date()).catch((error: unknown) =>
        context.log.warn({ err: error, runId: run.runId }, "adf activity step failed; retrying next tick"),
      );
    }
  }
  const ticker = createTicker(tick, (error) => context.log.warn({ err: error }, "adf runner tick failed"));

  /** A fresh sandbox shows each triggered pipeline's recent history, Databricks runs included. */
  async function seedHistory(pipeline: PipelineSpec, now: number) {
    const trigger = pipeline.trigger;
    if (!trigger || (await store.countRuns(pipeline.name)) > 0) return;
    const random = createRandom(pipeline.name.length * 104_729);
    const latest = periodEndBefore(trigger.periodMs, now) - trigger.periodMs;
    for (let i = trigger.historyRuns; i >= 1 && !ticker.isStopped; i--) {
      const scheduledFor = latest - (i - 1) * trigger.periodMs;
      // A few runs went wrong, as real ones do: a flaky copy retried, a batch that failed validation.
      const simulateIngestFailure = i % 11 === 9;
      const injectQualityIssue = i === 20;
      const runId = randomUUID();
      let at = scheduledFor + 1_500 + random.int(0, 3_000);
      const runStart = new Date(at);
      let failedAt: string | undefined;
      const activities = [];
      for (const [position, activity] of pipeline.activities.entries()) {
        if (failedAt) break;
        const attempts = activity.kind === "copy" && simulateIngestFailure ? 2 : 1;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          const start = at + 400;
          const seconds =
            activity.kind === "databricks"
              ? 95 + random.int(0, 40)
              : activity.seconds * (0.8 + 0.4 * random.next());
          at = Math.round(start + seconds * 1000);
          const base = {
            activityRunId: randomUUID(),
            runId,
            activityName: activity.name,
            position,
            attempt,
            runStart: new Date(start),
            runEnd: new Date(at),
            input: activity.typeProperties,
            lastUpdated: new Date(at),
          };
          if (attempt < attempts) {
            activities.push({
              ...base,
              status: "Failed",
              output: { effectiveIntegrationRuntime: integrationRuntime },
              error: activityError(
                activity,
                "ErrorCode=UserErrorSourceBlobNotExist,The required Blob is missing.",
              ),
            });
            at += activity.retryIntervalInSeconds * 1000;
            continue;
          }
          if (activity.kind === "validate") {
            const result = validateCustomerFeatures(scheduledFor, injectQualityIssue);
            if (!result.success) failedAt = activity.name;
            activities.push({
              ...base,
              status: result.success ? "Succeeded" : "Failed",
              output: functionOutput(result, seconds),
              error: result.success
                ? undefined
                : activityError(
                    activity,
                    `${result.statistics.unsuccessful_expectations} expectation(s) not met in customer_features.hourly`,
                    "3608",
                  ),
            });
          } else if (activity.kind === "databricks") {
            const submission = notebookSubmission(
              pipeline,
              activity,
              { runId, parameters: {} } as PipelineRunRow,
              base.activityRunId,
            );
            const { runId: databricksRunId, jobId } = await insertFinishedRun(
              jobs,
              {
                runName: submission.run_name,
                tags: submission.tags,
                creator: "adf-switchboard-sandbox@example.com",
                idempotencyToken: submission.idempotency_token,
                tasks: submission.tasks.map((t) => ({ taskKey: t.task_key, spec: t as never })),
              },
              start,
              at,
            );
            activities.push({
              ...base,
              status: "Succeeded",
              databricksRunId,
              output: notebookOutput(runPageUrl(context.baseUrl, jobId, databricksRunId), seconds),
            });
          } else {
            activities.push({
              ...base,
              status: "Succeeded",
              output: copyOutput(scheduledFor / 1000, seconds),
            });
          }
        }
      }
      await store.insertRun(
        {
          runId,
          runGroupId: runId,
          pipelineName: pipeline.name,
          parameters: runParameters(pipeline, {
            windowStart: new Date(scheduledFor - trigger.periodMs).toISOString(),
            simulateIngestFailure,
            injectQualityIssue,
          }),
          invokedBy: invokedByTrigger(pipeline),
          status: failedAt ? "Failed" : "Succeeded",
          message: failedAt ? `Operation on target ${failedAt} failed` : "",
          runStart,
          runEnd: new Date(at + 700),
          lastUpdated: new Date(at + 700),
          scheduledFor: new Date(scheduledFor),
        },
        activities,
      );
    }
  }

  return {
    async seed() {
      const now = Date.now();
      for (const pipeline of pipelineSpecs) await seedHistory(pipeline, now);
    },
    start: () => ticker.start(),
    stop: () => ticker.stop(),
  };
}
