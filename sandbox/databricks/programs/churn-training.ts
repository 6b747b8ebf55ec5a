import { customerFeatureRows, defaultSeed } from "@/sandbox/data/telco";
import { createChurnTrainer, featureNames, type EpochMetrics } from "./churn-model";
import { mlflowRunTags, withMlflowRun, type MlflowRunCheckpoint } from "./mlflow-run";
import { numberArgument, pythonFailure, type TaskProgram } from "./program";

/** Job time one epoch takes (seconds, before the sandbox speed-up). */
export const epochSeconds = 3;

interface ChurnCheckpoint extends MlflowRunCheckpoint {
  epochsLogged: number;
}

/** A stable seed per dataset name, so each "table" is its own deterministic set of customers. */
export function datasetSeed(dataset: string): number {
  let hash = defaultSeed;
  for (const char of dataset) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return hash;
}

/**
 * Trains the churn classifier for real and tracks it in MLflow like `train.py` with mlflow would:
 * params once, metrics every epoch (step = epoch), FINISHED/FAILED/KILLED at the end, and a model
 * version when --registered_model_name is given. Resumes from its checkpoint after a restart.
 */
export const runChurnTraining: TaskProgram = async (context) => {
  const { args, task } = context;
  const epochs = numberArgument(args, "epochs", 20, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, task);
  const learningRate = numberArgument(args, "learning_rate", 0.1, (n) => n > 0 && n <= 100, task);
  const rowCount = numberArgument(
    args,
    "rows",
    5000,
    (n) => Number.isInteger(n) && n >= 50 && n <= 20_000,
    task,
  );
  const seed = numberArgument(args, "seed", 1, Number.isInteger, task);
  const failAtEpoch =
    args.fail_at_epoch === undefined
      ? undefined
      : numberArgument(args, "fail_at_epoch", 0, Number.isInteger, task);
  const dataset = args.dataset ?? "main.features.customer_features";
  const experiment = args.experiment ?? args.experiment_name ?? `/Shared/${context.runName}`;

  const rows = customerFeatureRows(rowCount, datasetSeed(dataset));
  const trainer = createChurnTrainer(rows, { learningRate, seed });

  return withMlflowRun<ChurnCheckpoint>(context, {
    experiment,
    async start(experimentId) {
      const run = await context.mlflow.createRun({
        experimentId,
        runName: context.runName,
        startTime: Date.now(),
        tags: mlflowRunTags(context),
      });
      await context.mlflow.logBatch(run.runId, {
        params: {
          ...args,
          learning_rate: String(learningRate),
          epochs: String(epochs),
          dataset,
          model_type: "logistic_regression",
          train_rows: String(trainer.trainSize),
          validation_rows: String(trainer.validationSize),
          num_features: String(featureNames.length),
        },
      });
      context.log(
        `Loaded ${rows.length} rows from ${dataset} (${trainer.trainSize} train / ${trainer.validationSize} validation)`,
      );
      return { experimentId, mlflowRunId: run.runId, artifactUri: run.artifactUri, epochsLogged: 0 };
    },
    async train(checkpoint, save) {
      // The checkpoint can lag MLflow by one epoch (stopped between logging and saving): MLflow decides.
      const resumeAfter = Math.max(
        checkpoint.epochsLogged,
        await context.mlflow.lastLoggedStep(checkpoint.mlflowRunId, "loss"),
      );
      trainer.fastForward(resumeAfter);
      let metrics: EpochMetrics | undefined;
      for (let epoch = resumeAfter + 1; epoch <= epochs; epoch++) {
        await context.pace(epochSeconds);
        if (epoch === failAtEpoch) {
          throw pythonFailure(
            task,
            "RuntimeError",
            `training diverged at epoch ${epoch} (--fail_at_epoch ${failAtEpoch})`,
            ["main", "train", "train_epoch"],
          );
        }
        metrics = trainer.epoch();
        const timestamp = Date.now();
        await context.mlflow.logBatch(checkpoint.mlflowRunId, {
          metrics: Object.entries(metrics).map(([key, value]) => ({
            key,
            value: Number.isFinite(value) ? value : 0,
            timestamp,
            step: epoch,
          })),
        });
        context.log(
          `Epoch ${epoch}/${epochs} - loss: ${metrics.loss.toFixed(4)} - val_loss: ${metrics.val_loss.toFixed(4)} - auc: ${metrics.auc.toFixed(4)} - accuracy: ${metrics.accuracy.toFixed(4)} - f1: ${metrics.f1.toFixed(4)}`,
        );
        await save({ ...checkpoint, epochsLogged: epoch });
      }
      return { metrics: { ...(metrics ?? trainer.evaluate()) }, model: trainer.model() };
    },
  });
};
