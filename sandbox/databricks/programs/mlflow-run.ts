import { CloudApiError } from "@/lib/clients/http";
import {
  pythonFailure,
  TaskFailure,
  TaskInterrupted,
  type TaskProgramContext,
  type TaskProgramResult,
} from "./program";

/** Where a tracked program has got to; saved after each step so a restarted sandbox resumes it. */
export interface MlflowRunCheckpoint {
  experimentId: string;
  mlflowRunId: string;
  artifactUri: string;
  modelVersion?: string;
  [key: string]: unknown;
}

export interface TrainingSummary {
  metrics: Record<string, number> | null;
  [key: string]: unknown;
}

/**
 * Tags an MLflow run gets when started from a Databricks job, plus Switchboard's correlation tag and
 * the Feast feature service the run read (docs/decisions/018), as the team's training code sets them.
 */
export function mlflowRunTags(context: TaskProgramContext): Record<string, string> {
  const { args, task } = context;
  const jobRunId = String(context.jobRunId);
  return {
    ...context.runTags,
    "mlflow.user": args.user ?? context.creatorUserName,
    "mlflow.source.type": "JOB",
    "mlflow.source.name": task.spark_python_task?.python_file ?? task.notebook_task?.notebook_path ?? "",
    "mlflow.databricks.jobID": String(context.jobId),
    // MLflow itself writes jobRunID; Switchboard's contract spells it jobRunId. Both, so either lookup works.
    "mlflow.databricks.jobRunID": jobRunId,
    "mlflow.databricks.jobRunId": jobRunId,
    "mlflow.databricks.taskRunId": String(context.taskRunId),
    ...(args.switchboard_run_id ? { "switchboard.run_id": args.switchboard_run_id } : {}),
    ...(args.feature_service ? { "feast.feature_service": args.feature_service } : {}),
  };
}

/**
 * The MLflow bracket around a training program: experiment and run once (or the checkpointed run
 * after a restart), the training itself, model registration, and the run's final status
 * (KILLED on cancel or timeout, FAILED when the code fails, FINISHED otherwise).
 */
export async function withMlflowRun<C extends MlflowRunCheckpoint>(
  context: TaskProgramContext,
  steps: {
    experiment: string;
    start(experimentId: string): Promise<C>;
    train(checkpoint: C, save: (checkpoint: C) => Promise<void>): Promise<TrainingSummary>;
  },
): Promise<TaskProgramResult> {
  const { mlflow, args } = context;
  let checkpoint = context.checkpoint as C | null;
  try {
    if (checkpoint?.mlflowRunId) {
      context.log(`Resuming MLflow run ${checkpoint.mlflowRunId}`);
    } else {
      const experimentId = await mlflow.ensureExperiment(steps.experiment);
      checkpoint = await steps.start(experimentId);
      await context.saveCheckpoint(checkpoint);
      context.log(
        `MLflow run ${checkpoint.mlflowRunId} started in experiment ${steps.experiment} (id ${experimentId})`,
      );
    }
    const started = checkpoint;
    const summary = await steps.train(started, async (next) => {
      checkpoint = next;
      await context.saveCheckpoint(next);
    });
    let modelVersion = checkpoint.modelVersion;
    if (args.registered_model_name) {
      if (!modelVersion) {
        modelVersion = await mlflow.registerModelVersion({
          name: args.registered_model_name,
          source: `${started.artifactUri}/model`,
          runId: started.mlflowRunId,
        });
        // Saved before waiting, so a restart waits for this version instead of registering another.
        checkpoint = { ...checkpoint, modelVersion };
        await context.saveCheckpoint(checkpoint);
      }
      await awaitRegistration(context, args.registered_model_name, modelVersion);
      context.log(`Registered model '${args.registered_model_name}' version ${modelVersion}`);
    }
    await mlflow.endRun(started.mlflowRunId, "FINISHED");
    context.log(`MLFLOW_RUN_ID=${started.mlflowRunId}`);
    return {
      notebookResult: JSON.stringify({
        mlflow_run_id: started.mlflowRunId,
        experiment_id: started.experimentId,
        ...(args.registered_model_name
          ? { registered_model_name: args.registered_model_name, model_version: modelVersion }
          : {}),
        ...summary,
      }),
    };
  } catch (error) {
    if (error instanceof TaskInterrupted) {
      // A stopping sandbox leaves the run RUNNING: it resumes on the next start.
      if (error.reason !== "shutdown" && checkpoint)
        await endQuietly(context, checkpoint.mlflowRunId, "KILLED");
      throw error;
    }
    const failure =
      error instanceof TaskFailure
        ? error
        : pythonFailure(
            context.task,
            "mlflow.exceptions.MlflowException",
            error instanceof CloudApiError ? error.message : String(error),
            ["main", "log_metrics"],
          );
    if (checkpoint) await endQuietly(context, checkpoint.mlflowRunId, "FAILED");
    context.log(failure.trace);
    throw failure;
  }
}

/** Job time mlflow.register_model waits for a version to become READY (its await_registration_for). */
const registrationTimeoutSeconds = 300;

/** Like mlflow.register_model: the job ends only once the new version is READY. */
async function awaitRegistration(context: TaskProgramContext, name: string, version: string) {
  for (let waited = 0; ; waited += 1) {
    const { status, message } = await context.mlflow.modelVersionStatus(name, version);
    if (status === "READY") return;
    if (status === "FAILED_REGISTRATION")
      throw pythonFailure(
        context.task,
        "mlflow.exceptions.MlflowException",
        `Model version ${name}/${version} failed to register: ${message ?? "no reason given"}`,
        ["main", "register_model"],
      );
    if (waited >= registrationTimeoutSeconds) {
      throw pythonFailure(
        context.task,
        "mlflow.exceptions.MlflowException",
        `Model version ${name}/${version} is still ${status} after ${registrationTimeoutSeconds} seconds`,
        ["main", "register_model"],
      );
    }
    await context.pace(1);
  }
}

async function endQuietly(context: TaskProgramContext, runId: string, status: "KILLED" | "FAILED") {
  try {
    await context.mlflow.endRun(runId, status);
  } catch (error) {
    context.log(`WARNING: could not mark MLflow run ${runId} ${status}: ${(error as Error).message}`);
  }
}
