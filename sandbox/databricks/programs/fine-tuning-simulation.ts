import { createRandom, rowSeed } from "@/sandbox/data/telco";
import { mlflowRunTags, withMlflowRun, type MlflowRunCheckpoint } from "./mlflow-run";
import { numberArgument, pythonFailure, type TaskProgram } from "./program";

/** Job time one logged optimiser step takes (seconds, before the sandbox speed-up). */
export const stepSeconds = 2;
const stepsPerEpoch = 10;

export const simulationNote =
  "Simulated by the Switchboard sandbox: an LLM fine-tuning run cannot execute here, so this loss curve is " +
  "synthetic (exponential decay towards a floor, plus noise). Metrics from a real workspace come from the real trainer.";

/** Node types with GPUs on Azure Databricks (NC/ND/NV families) or other clouds' GPU families. */
export const isGpuNodeType = (nodeType: string) =>
  /^Standard_N[CDV]|gpu|^g[456]|^p[345]|a100|h100/i.test(nodeType);

interface FineTuningCheckpoint extends MlflowRunCheckpoint {
  stepsLogged: number;
}

/** A plausible causal-LM training loss at a step: fast early drop, slow tail, a little noise. */
export function simulatedLoss(step: number, totalSteps: number, seed: number) {
  const noise = createRandom(rowSeed(seed, 7, step)).normal(0, 0.03);
  const progress = step / totalSteps;
  const loss = 0.85 + 1.55 * Math.exp(-6 * progress) + 0.15 * (1 - progress) + noise;
  return Math.max(0.05, loss);
}

/** Evaluation scores that improve as the eval loss falls (about 0.9 to 1.6 here), with a little noise. */
export function evaluationMetrics(evalLoss: number, seed: number) {
  const random = createRandom(rowSeed(seed, 9, 0));
  const quality = Math.min(1, Math.max(0, (1.7 - evalLoss) / 0.9));
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    rouge_l: round(Math.min(1, Math.max(0, 0.28 + 0.3 * quality + random.normal(0, 0.01)))),
    exact_match: round(Math.min(1, Math.max(0, 0.12 + 0.35 * quality + random.normal(0, 0.01)))),
    toxicity: round(Math.min(1, Math.max(0, 0.02 - 0.012 * quality + Math.abs(random.normal(0, 0.002))))),
  };
}

/**
 * A Gen-AI fine-tuning task (`--base_model ...`) on GPU nodes. Nothing is trained: it logs a
 * synthetic, decreasing loss curve and marks the MLflow run `switchboard.simulated=true`.
 */
export const runFineTuningSimulation: TaskProgram = async (context) => {
  const { args, task } = context;
  const nodeType = task.new_cluster?.node_type_id;
  if (nodeType && !isGpuNodeType(nodeType)) {
    throw pythonFailure(
      task,
      "RuntimeError",
      `No CUDA GPUs are available (node type ${nodeType} has no GPU; use an NC/ND-series node type)`,
      ["main", "load_model"],
    );
  }
  const epochs = numberArgument(args, "epochs", 3, (n) => Number.isInteger(n) && n >= 1 && n <= 100, task);
  const learningRate = numberArgument(args, "learning_rate", 2e-5, (n) => n > 0 && n < 1, task);
  const failAtEpoch =
    args.fail_at_epoch === undefined
      ? undefined
      : numberArgument(args, "fail_at_epoch", 0, Number.isInteger, task);
  const totalSteps = epochs * stepsPerEpoch;
  const seed = context.jobRunId % 2 ** 31;

  return withMlflowRun<FineTuningCheckpoint>(context, {
    experiment: args.experiment ?? args.experiment_name ?? `/Shared/${context.runName}`,
    async start(experimentId) {
      const tags = {
        ...mlflowRunTags(context),
        "switchboard.simulated": "true",
        "mlflow.note.content": simulationNote,
      };
      const run = await context.mlflow.createRun({
        experimentId,
        runName: context.runName,
        startTime: Date.now(),
        tags,
      });
      await context.mlflow.logBatch(run.runId, {
        params: {
          ...args,
          base_model: args.base_model,
          epochs: String(epochs),
          learning_rate: String(learningRate),
          max_steps: String(totalSteps),
          peft: args.peft ?? "lora",
        },
      });
      context.log(`Loading ${args.base_model} (simulated: no weights are downloaded in the sandbox)`);
      return { experimentId, mlflowRunId: run.runId, artifactUri: run.artifactUri, stepsLogged: 0 };
    },
    async train(checkpoint, save) {
      let loss = Number.NaN;
      let evalLoss = Number.NaN;
      const resumeAfter = Math.max(
        checkpoint.stepsLogged,
        await context.mlflow.lastLoggedStep(checkpoint.mlflowRunId, "loss"),
      );
      for (let step = resumeAfter + 1; step <= totalSteps; step++) {
        await context.pace(stepSeconds);
        const epoch = Math.ceil(step / stepsPerEpoch);
        if (epoch === failAtEpoch)
          throw pythonFailure(
            task,
            "torch.OutOfMemoryError",
            "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity)",
            ["main", "train", "training_step"],
          );
        loss = simulatedLoss(step, totalSteps, seed);
        const timestamp = Date.now();
        const metrics = [
          { key: "loss", value: loss, timestamp, step },
          {
            key: "learning_rate",
            value: learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps)),
            timestamp,
            step,
          },
        ];
        if (step % stepsPerEpoch === 0) {
          evalLoss = loss + 0.06 + Math.abs(createRandom(rowSeed(seed, 8, step)).normal(0, 0.02));
          metrics.push(
            { key: "eval_loss", value: evalLoss, timestamp, step },
            { key: "perplexity", value: Math.exp(evalLoss), timestamp, step },
          );
        }
        await context.mlflow.logBatch(checkpoint.mlflowRunId, { metrics });
        context.log(`step ${step}/${totalSteps} epoch ${epoch} loss=${loss.toFixed(4)}`);
        await save({ ...checkpoint, stepsLogged: step });
      }
      // The held-out evaluation a fine-tuning notebook runs last (mlflow.evaluate's text metrics:
      // ROUGE-L, exact match, toxicity), tied to the eval loss so a better run scores better.
      const evaluation = evaluationMetrics(evalLoss, seed);
      const timestamp = Date.now();
      await context.mlflow.logBatch(checkpoint.mlflowRunId, {
        metrics: Object.entries(evaluation).map(([key, value]) => ({
          key,
          value,
          timestamp,
          step: totalSteps,
        })),
      });
      return {
        metrics: { loss: simulatedLoss(totalSteps, totalSteps, seed), eval_loss: evalLoss, ...evaluation },
        simulated: true,
      };
    },
  });
};
