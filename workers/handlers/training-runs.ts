import type { Logger } from "pino";
import { CloudApiError } from "@/lib/clients/http";
import type { Config } from "@/lib/config";
import { type Prisma, type RunStatus } from "@/lib/db/client";
import { buildSubmitRunRequest, type SubmittableRun } from "@/lib/domain/training/launch";
import {
  adaptivePollDelayMs,
  epochsDoneOf,
  isTerminalStatus,
  nextPollDelayMs,
  statusFromDatabricks,
} from "@/lib/domain/training/run-status";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { checkNumberOf, jobIds, pollRunPrefix } from "@/lib/queue/job-ids";

/**
 * A training run's life on the worker side. The database row is the source of truth; every job is
 * safe to run twice because each side effect (Databricks run id, status, check number) is written
 * before the next step and checked before repeating it:
 * - submit: QUEUED → SUBMITTING → (runs/submit with the row's idempotency token) → PENDING.
 * - poll: one runs/get per check; check N is job `poll-<id>-N` and moves the row's `attempts` from
 *   N to N+1, so a duplicate or stale job makes no second call. The next check is a delayed job.
 * - cancel: before submit it ends the row; once the Databricks id is known it calls runs/cancel.
 * - reconcile: runs whose next check is overdue and whose expected job is not queued get it again.
 */

type TrainingRunJobs =
  "databricks.submit-run" | "databricks.poll-run" | "databricks.cancel-run" | "maintenance.reconcile-runs";

export const terminalStatuses = [
  "SUCCEEDED",
  "FAILED",
  "TIMED_OUT",
  "CANCELLED",
  "INTERNAL_ERROR",
] as const satisfies RunStatus[];

/** Poll cadence: every min while a run moves, backing off to max while it does not (adaptivePollDelayMs). */
const pollIntervals = (config: Config) => ({
  minMs: config.SWITCHBOARD_RUN_POLL_MIN_MS,
  maxMs: config.SWITCHBOARD_RUN_POLL_MAX_MS,
});

/** How late a run's next check may be before the reconciler looks for its job. */
const overdueGraceMs = 30_000;
/** A cancel Databricks has not acted on after this long is sent again. */
const cancelResendMs = 60_000;

/**
 * Fault-test hook: `SWITCHBOARD_CHAOS_CRASH_AT=after-submit` SIGKILLs this worker at that step, so the
 * chaos tests can prove a crash at any point neither loses a run nor submits it twice. Read from the
 * environment on purpose, not lib/config: it is for tests only and never an operator's setting.
 */
function crashPoint(step: string) {
  if (process.env.SWITCHBOARD_CHAOS_CRASH_AT?.split(",").includes(step)) process.kill(process.pid, "SIGKILL");
}

const runSelect = {
  id: true,
  runName: true,
  experimentName: true,
  experimentId: true,
  datasetFullName: true,
  modelFamily: true,
  params: true,
  clusterSpec: true,
  featureService: true,
  timeoutSeconds: true,
  status: true,
  databricksRunId: true,
  mlflowRunId: true,
  epochsDone: true,
  epochsTotal: true,
  attempts: true,
  startedAt: true,
  cancelRequestedAt: true,
  /** When the previous check wrote the row: the gap the next check's delay doubles. */
  updatedAt: true,
  launchedBy: { select: { email: true, name: true } },
} satisfies Prisma.TrainingRunSelect;
type RunRow = Prisma.TrainingRunGetPayload<{ select: typeof runSelect }>;

interface StatusEvent {
  status: RunStatus;
  lifeCycleState?: string | null;
  resultState?: string | null;
  message?: string | null;
}

/** Updates the row only if it still matches `where`, recording the status change in the same transaction. */
async function transition(
  deps: WorkerDeps,
  runId: string,
  where: Prisma.TrainingRunWhereInput,
  data: Prisma.TrainingRunUpdateManyMutationInput,
  event?: StatusEvent,
) {
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.trainingRun.updateManyAndReturn({
      where: { ...where, id: runId },
      data,
      select: { cancelRequestedAt: true },
    });
    if (rows.length && event) await tx.trainingRunEvent.create({ data: { runId, ...event } });
    return rows[0];
  });
}

async function schedulePoll(deps: WorkerDeps, runId: string, check: number, delayMs: number) {
  await deps.producer.enqueue(
    "databricks.poll-run",
    { runId },
    { jobId: jobIds.pollRun(runId, check), delayMs },
  );
}

function toSubmittable(run: RunRow): SubmittableRun {
  return {
    ...run,
    params: run.params as Record<string, unknown>,
    clusterSpec: run.clusterSpec as unknown as SubmittableRun["clusterSpec"],
    launchedBy: run.launchedBy.email ?? run.launchedBy.name,
  };
}

const loadRun = (deps: WorkerDeps, runId: string) =>
  deps.db.trainingRun.findUnique({ where: { id: runId }, select: runSelect });

async function submitRun(runId: string, deps: WorkerDeps, log: Logger): Promise<void> {
  const run = await loadRun(deps, runId);
  if (!run || isTerminalStatus(run.status)) return;
  if (run.databricksRunId !== null) return schedulePoll(deps, run.id, run.attempts, 0);

  if (run.status === "QUEUED") {
    if (run.cancelRequestedAt) {
      await transition(
        deps,
        run.id,
        { status: "QUEUED" },
        { status: "CANCELLED", finishedAt: new Date(), nextCheckAt: null },
        { status: "CANCELLED", message: "Cancelled before it was submitted to Databricks" },
      );
      return;
    }
    const moved = await transition(
      deps,
      run.id,
      { status: "QUEUED" },
      { status: "SUBMITTING" },
      { status: "SUBMITTING", message: "Submitting to Databricks" },
    );
    // Someone else moved it (a cancel, or a duplicate job): start over from what the row says now.
    if (!moved) return submitRun(runId, deps, log);
  }

  let experimentId = run.experimentId;
  if (!experimentId) {
    experimentId = (await deps.clients.mlflow.ensureExperiment(run.experimentName)).experimentId;
    await deps.db.trainingRun.update({ where: { id: run.id }, data: { experimentId } });
  }

  crashPoint("before-submit");
  let databricksRunId: number;
  try {
    // The same idempotency token answers the same run id, so repeating this after a crash is safe.
    databricksRunId = (await deps.clients.databricks.submitRun(buildSubmitRunRequest(toSubmittable(run))))
      .run_id;
  } catch (error) {
    if (error instanceof CloudApiError && !error.retryable) {
      await transition(
        deps,
        run.id,
        { databricksRunId: null, status: { notIn: terminalStatuses } },
        {
          status: "FAILED",
          finishedAt: new Date(),
          nextCheckAt: null,
          errorMessage: `Databricks refused the run: ${error.message}`,
        },
        {
          status: "FAILED",
          message: `Databricks refused the run (${error.status} ${error.errorCode ?? ""})`.trim(),
        },
      );
      return;
    }
    throw error;
  }
  crashPoint("after-submit");

  const { minMs } = pollIntervals(deps.config);
  const stored = await transition(
    deps,
    run.id,
    { databricksRunId: null },
    {
      databricksRunId: BigInt(databricksRunId),
      status: "PENDING",
      nextCheckAt: new Date(Date.now() + minMs),
      attempts: 0,
    },
    { status: "PENDING", message: `Submitted as Databricks run ${databricksRunId}` },
  );
  if (!stored) {
    const current = await deps.db.trainingRun.findUnique({
      where: { id: run.id },
      select: { databricksRunId: true, attempts: true },
    });
    if (current?.databricksRunId !== BigInt(databricksRunId))
      log.error(
        { runId, databricksRunId, stored: current?.databricksRunId?.toString() },
        "one record, two Databricks run ids",
      );
    if (current) await schedulePoll(deps, run.id, current.attempts, minMs);
    return;
  }
  // A cancel that arrived while the submit was in flight: now there is a Databricks run to cancel.
  if (stored.cancelRequestedAt)
    await deps.producer.enqueue(
      "databricks.cancel-run",
      { runId },
      { jobId: jobIds.cancelRun(runId, "submitted") },
    );
  await schedulePoll(deps, run.id, 0, minMs);
  log.info({ runId, databricksRunId }, "submitted");
}

async function readMlflowProgress(
  deps: WorkerDeps,
  run: RunRow,
  log: Logger,
): Promise<{ mlflowRunId?: string; epochsDone?: number }> {
  if (!run.experimentId) return {};
  try {
    const mlflowRun = run.mlflowRunId
      ? await deps.clients.mlflow.getRun(run.mlflowRunId)
      : (
          await deps.clients.mlflow.searchRuns({
            experimentIds: [run.experimentId],
            filter: `tags.\`switchboard.run_id\` = '${run.id}'`,
            maxResults: 1,
          })
        ).items[0];
    if (!mlflowRun) return {};
    return { mlflowRunId: mlflowRun.info.runId, epochsDone: epochsDoneOf(mlflowRun, run.epochsTotal) };
  } catch (error) {
    // Progress is a nicety: a slow MLflow must not hold up the run's status.
    log.warn({ err: error, runId: run.id }, "could not read MLflow progress");
    return {};
  }
}

async function readFailure(
  deps: WorkerDeps,
  taskRunId: number | undefined,
  log: Logger,
): Promise<{ errorMessage?: string; errorTrace?: string }> {
  if (taskRunId === undefined) return {};
  try {
    const output = await deps.clients.databricks.getRunOutput(taskRunId);
    return { errorMessage: output.error?.slice(0, 2_000), errorTrace: output.error_trace?.slice(0, 20_000) };
  } catch (error) {
    log.warn({ err: error, taskRunId }, "could not fetch the failed task's output");
    return {};
  }
}

async function pollRun(
  runId: string,
  jobId: string | undefined,
  deps: WorkerDeps,
  log: Logger,
): Promise<void> {
  const run = await loadRun(deps, runId);
  if (!run || isTerminalStatus(run.status) || run.databricksRunId === null) return;
  const intervals = pollIntervals(deps.config);
  // A job without a check number in its id stands for the row's current check.
  const check = checkNumberOf(jobId, pollRunPrefix(runId)) ?? run.attempts;
  // A stale or duplicate job: the check it stands for is done; make sure the current one is queued.
  if (check !== run.attempts)
    return schedulePoll(deps, run.id, run.attempts, nextPollDelayMs(run.attempts, intervals));

  let remote;
  try {
    remote = await deps.clients.databricks.getRun(Number(run.databricksRunId));
  } catch (error) {
    if (error instanceof CloudApiError && error.isNotFound) {
      await transition(
        deps,
        run.id,
        { attempts: check },
        {
          status: "INTERNAL_ERROR",
          finishedAt: new Date(),
          nextCheckAt: null,
          errorMessage: `Databricks no longer knows run ${run.databricksRunId}`,
        },
        { status: "INTERNAL_ERROR", message: "Databricks run not found" },
      );
      return;
    }
    if (error instanceof CloudApiError && error.retryable) {
      // Throttled or unavailable even after the client's retries: check again later, no sooner than asked.
      const delayMs = Math.max(error.retryAfterMs ?? 0, nextPollDelayMs(check + 1, intervals));
      const moved = await transition(
        deps,
        run.id,
        { attempts: check },
        { attempts: check + 1, nextCheckAt: new Date(Date.now() + delayMs) },
      );
      if (moved) await schedulePoll(deps, run.id, check + 1, delayMs);
      log.warn({ runId, status: error.status, delayMs }, "status check failed; trying later");
      return;
    }
    throw error;
  }
  crashPoint("after-poll-call");

  const lifeCycleState = remote.state.life_cycle_state;
  const resultState = remote.state.result_state ?? null;
  const status = statusFromDatabricks(lifeCycleState, resultState, Boolean(run.cancelRequestedAt));
  const isTerminal = isTerminalStatus(status);
  const hasStarted =
    status === "RUNNING" || status === "TERMINATING" || status === "CANCELLING" || isTerminal;
  const progress = hasStarted ? await readMlflowProgress(deps, run, log) : {};
  const failure =
    isTerminal && status !== "SUCCEEDED" && status !== "CANCELLED"
      ? await readFailure(deps, remote.tasks?.[0]?.run_id, log)
      : {};
  const message = remote.status?.termination_details?.message || remote.state.state_message || null;
  const now = new Date();
  const hasChanged =
    status !== run.status || (progress.epochsDone !== undefined && progress.epochsDone !== run.epochsDone);
  const delayMs = adaptivePollDelayMs(
    { hasChanged, sinceLastCheckMs: now.getTime() - run.updatedAt.getTime() },
    intervals,
  );

  const stored = await transition(
    deps,
    run.id,
    { attempts: check },
    {
      status,
      lifeCycleState,
      resultState,
      stateMessage: message,
      databricksRunUrl: remote.run_page_url,
      attempts: check + 1,
      nextCheckAt: isTerminal ? null : new Date(now.getTime() + delayMs),
      ...(hasStarted && !run.startedAt
        ? { startedAt: remote.start_time ? new Date(remote.start_time) : now }
        : {}),
      ...(isTerminal ? { finishedAt: remote.end_time ? new Date(remote.end_time) : now } : {}),
      ...(status === "SUCCEEDED" && run.epochsTotal ? { epochsDone: run.epochsTotal } : {}),
      ...(progress.epochsDone !== undefined && status !== "SUCCEEDED"
        ? { epochsDone: progress.epochsDone }
        : {}),
      ...(progress.mlflowRunId ? { mlflowRunId: progress.mlflowRunId } : {}),
      ...(isTerminal && status !== "SUCCEEDED"
        ? {
            errorMessage: failure.errorMessage ?? (status === "CANCELLED" ? null : message),
            errorTrace: failure.errorTrace ?? null,
          }
        : {}),
    },
    status !== run.status ? { status, lifeCycleState, resultState, message } : undefined,
  );
  if (!stored) return;
  crashPoint("after-poll-update");

  const mlflowRunId = progress.mlflowRunId ?? run.mlflowRunId;
  if (mlflowRunId) {
    await deps.producer.enqueue(
      "mlflow.sync-metrics",
      { mlflowRunId, isFinal: isTerminal },
      { jobId: jobIds.syncMetrics(mlflowRunId, isTerminal ? "final" : check) },
    );
  }
  if (isTerminal) {
    log.info({ runId, status }, "run ended");
    return;
  }
  const cancelIsStuck =
    run.cancelRequestedAt &&
    lifeCycleState !== "TERMINATING" &&
    now.getTime() - run.cancelRequestedAt.getTime() > cancelResendMs;
  if (cancelIsStuck)
    await deps.producer.enqueue(
      "databricks.cancel-run",
      { runId },
      { jobId: jobIds.cancelRun(runId, `resend-${check}`) },
    );
  await schedulePoll(deps, run.id, check + 1, delayMs);
}

async function cancelRun(runId: string, deps: WorkerDeps, log: Logger): Promise<void> {
  const run = await loadRun(deps, runId);
  if (!run || isTerminalStatus(run.status) || !run.cancelRequestedAt) return;
  if (run.databricksRunId === null) {
    // Not submitted yet: end it here. While SUBMITTING, the submit handler cancels once the id is known.
    if (run.status === "QUEUED") {
      await transition(
        deps,
        run.id,
        { status: "QUEUED", databricksRunId: null },
        { status: "CANCELLED", finishedAt: new Date(), nextCheckAt: null },
        { status: "CANCELLED", message: "Cancelled before it was submitted to Databricks" },
      );
    }
    return;
  }
  await deps.clients.databricks.cancelRun(Number(run.databricksRunId));
  crashPoint("after-cancel-call");
  await transition(
    deps,
    run.id,
    { status: { notIn: [...terminalStatuses, "CANCELLING"] } },
    { status: "CANCELLING" },
    { status: "CANCELLING", message: "Cancel sent to Databricks" },
  );
  // Bring the next check forward, so the person who cancelled sees the end soon.
  const nextCheck = await deps.producer.queue("databricks").getJob(jobIds.pollRun(run.id, run.attempts));
  if (nextCheck && (await nextCheck.isDelayed()))
    await nextCheck.changeDelay(pollIntervals(deps.config).minMs).catch(() => undefined);
  log.info({ runId }, "cancel sent");
}

/** Enough for thousands of runs per pass; the rest are picked up on the next pass. */
const reconcileBatch = 5_000;

/**
 * Compares the database with the queue: a non-terminal run whose next check is overdue and whose
 * expected job is neither waiting, delayed nor active (lost with Redis, failed for good, or never
 * added because the web app's enqueue failed) gets it again. Only overdue rows are looked up in Redis.
 */
export async function reconcileRuns(deps: WorkerDeps, log: Logger, now = new Date()) {
  const overdue = await deps.db.trainingRun.findMany({
    where: {
      status: { notIn: terminalStatuses },
      OR: [{ nextCheckAt: null }, { nextCheckAt: { lt: new Date(now.getTime() - overdueGraceMs) } }],
    },
    select: { id: true, databricksRunId: true, attempts: true },
    orderBy: { nextCheckAt: { sort: "asc", nulls: "first" } },
    take: reconcileBatch,
  });
  const queue = deps.producer.queue("databricks");
  let requeued = 0;
  for (let i = 0; i < overdue.length; i += 200) {
    const chunk = overdue.slice(i, i + 200);
    const expected = chunk.map((run) => ({
      run,
      jobId: run.databricksRunId === null ? jobIds.submitRun(run.id) : jobIds.pollRun(run.id, run.attempts),
    }));
    const states = await Promise.all(expected.map(({ jobId }) => queue.getJobState(jobId)));
    for (const [index, { run, jobId }] of expected.entries()) {
      const state = states[index];
      if (
        state === "waiting" ||
        state === "delayed" ||
        state === "active" ||
        state === "prioritized" ||
        state === "waiting-children"
      )
        continue;
      // A finished job with the expected id would swallow the new one (ids dedupe), so it goes first.
      if (state === "completed" || state === "failed") await queue.remove(jobId);
      if (run.databricksRunId === null)
        await deps.producer.enqueue("databricks.submit-run", { runId: run.id }, { jobId });
      else await deps.producer.enqueue("databricks.poll-run", { runId: run.id }, { jobId });
      requeued += 1;
    }
  }
  if (requeued) log.warn({ requeued, overdue: overdue.length }, "re-enqueued runs whose jobs were missing");
  return { overdue: overdue.length, requeued };
}

export const trainingRunHandlers: Pick<HandlerRegistry<WorkerDeps>, TrainingRunJobs> = {
  "databricks.submit-run": ({ runId }, { deps, log }) => submitRun(runId, deps, log),
  "databricks.poll-run": ({ runId }, { deps, job, log }) => pollRun(runId, job.id, deps, log),
  "databricks.cancel-run": ({ runId }, { deps, log }) => cancelRun(runId, deps, log),
  "maintenance.reconcile-runs": async (_payload, { deps, log }) => {
    await reconcileRuns(deps, log);
  },
};
